"""The demo reproduces the paper's figures and loads only once."""

import pytest
from django.db.models import Count, Sum

from projectize.orgs import demo as orgs_demo
from projectize.orgs.demo import required, xinqiao
from projectize.projects import demo
from projectize.projects.models import Project, ProjectStatus
from projectize.reviews import demo as reviews_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_2012_projects_and_the_outcome_figures_and_loads_once():
    orgs_demo.load()
    reviews_demo.load()
    demo.load()
    in_2012 = Project.objects.filter(year=2012)
    assert dict(in_2012.values_list("type").annotate(n=Count("id"))) == {
        "innovation": 7,
        "demonstration": 22,
        "institutional": 10,
    }
    assert in_2012.values("organization").distinct().count() == 38
    # Xinqiao's figures: the second town's projects have outcomes of their own.
    assert Project.objects.filter(organization__path__startswith=required(xinqiao()).path).aggregate(
        rules=Sum("rules_established"),
        problems=Sum("problems_solved"),
        brands=Sum("service_brands"),
        people=Sum("beneficiaries"),
    ) == {"rules": 10, "problems": 48, "brands": 16, "people": 33162}
    # Every stage has something to show.
    statuses = set(Project.objects.values_list("status", flat=True))
    assert statuses >= {
        ProjectStatus.DRAFT,
        ProjectStatus.SUBMITTED,
        ProjectStatus.UNDER_REVIEW,
        ProjectStatus.RETURNED,
        ProjectStatus.APPROVED,
        ProjectStatus.IN_PROGRESS,
        ProjectStatus.ACCEPTANCE,
        ProjectStatus.CONCLUDED,
        ProjectStatus.REJECTED,
    }
    assert Project.objects.filter(seeded_from__isnull=False).exists()
    count = Project.objects.count()
    demo.load()
    assert Project.objects.count() == count
