from decimal import Decimal

import pytest

from projectize.core.models import ActivityLog
from projectize.orgs import demo as orgs_demo
from projectize.orgs.models import Organization
from projectize.reviews import demo
from projectize.reviews.models import Purpose, Rubric
from projectize.reviews.selectors import rubric_for

pytestmark = pytest.mark.django_db


def test_the_demo_makes_one_rubric_per_purpose_for_each_committee_once_through_the_services():
    orgs_demo.load()
    demo.load()
    branch = Organization.objects.get(name="新桥居民区党总支")
    for purpose in ("application", "claim", "acceptance", "initial_assessment", "showcase"):
        rubric = rubric_for(organization=branch, purpose=purpose)
        assert rubric is not None
        assert sum(c.weight for c in rubric.criteria.all()) == rubric.total == Decimal(100)
    town = Organization.objects.get(name=orgs_demo.TOWN_NAME)
    by_purpose = {rubric.purpose: rubric for rubric in Rubric.objects.filter(organization=town)}
    assert [c.name for c in by_purpose[Purpose.ACCEPTANCE].criteria.all()] == ["一听", "二看", "三查", "四问"]
    assert all(c.bands for c in by_purpose[Purpose.INITIAL_ASSESSMENT].criteria.all())
    assert by_purpose[Purpose.SHOWCASE].top_grade_quota == 50
    # The same five for the district (the defaults a new town copies) and for the second town.
    committees = [orgs_demo.district(), town, orgs_demo.second_town()]
    assert [Rubric.objects.filter(organization=c).count() for c in committees] == [5, 5, 5]
    logged = ActivityLog.objects.filter(action="rubric.create").count()
    assert logged == 15

    demo.load()
    assert Rubric.objects.count() == 15
    assert ActivityLog.objects.filter(action="rubric.create").count() == logged
