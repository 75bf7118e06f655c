"""The roll-up holds, for every subtree and year, exactly what counting the source tables gives; it follows
each kind of write once the background count has run, and counts a part never counted on first view."""

import pytest
from django.core.cache import caches

from projectize.claims.models import ClaimStatus
from projectize.core.jobs import jobs_run_pending
from projectize.core.models import Job
from projectize.needs.models import NeedStatus
from projectize.projects.models import ProjectStatus
from projectize.reports import rollup
from projectize.reports.models import Refresh
from tests.reports import live, rolled
from tests.reports.world import build_city

pytestmark = pytest.mark.django_db

YEARS = [None, 2025, 2026]


@pytest.fixture(autouse=True)
def _fresh_figures(settings):
    settings.FIGURES_UPPER_EVERY = 0
    caches["figures"].clear()
    yield
    caches["figures"].clear()


def assert_rolled_up(city):
    for organization in city.scopes:
        organization.refresh_from_db()
        for year in YEARS:
            expected = rolled.comparable(live.figures(organization, year))
            assert rolled.comparable(rolled.figures(organization, year)) == expected, (organization.name, year)


def test_every_figure_of_every_subtree_and_year_is_what_the_source_tables_count():
    city = build_city()
    rollup.count_all()
    assert_rolled_up(city)


def _writes(city):
    """Each kind of write that changes a figure, as the services make it (rows saved, created, deleted)."""
    a, b = city.towns
    project = a.projects[2]

    def status(obj, value, field="status"):
        setattr(obj, field, value)
        obj.save()

    from datetime import date
    from decimal import Decimal

    from projectize.core.services import log_activity
    from projectize.funds.models import Allocation, Budget, Disbursement, DisbursementStatus
    from projectize.needs.models import Need, NeedCategory
    from projectize.programmes.models import Section, Target, TargetStatus
    from projectize.projects.models import Project
    from projectize.showcase.models import Award, AwardLevelKind, Nomination, Showcase, Vote
    from projectize.supervision.models import ProjectWarning
    from tests.claims.helpers import make_claim
    from tests.needs.factories import make_need
    from tests.projects.factories import make_call
    from tests.reports.world import add

    def conclude():
        concluded = Project.objects.get(pk=a.projects[1].pk)
        concluded.problems_solved = 9
        status(concluded, ProjectStatus.CONCLUDED)

    def vote():
        nomination = Nomination.objects.get(project=a.projects[1])
        Vote.objects.create(nomination=nomination, voter="v1")
        Nomination.objects.filter(pk=nomination.pk).update(vote_count=1)

    def logged_update():
        # A write that sends no signal of its own (an UPDATE) is caught by its activity log entry.
        Project.objects.filter(pk=a.projects[3].pk).update(beneficiaries=500)
        log_activity(actor=a.admin, action="project.update", target=Project.objects.get(pk=a.projects[3].pk))

    target = Target.objects.filter(programme__organization=b.committee, status=TargetStatus.PUBLISHED).first()
    assert target is not None
    budget = Budget.objects.get(organization=a.committee)
    return [
        ("a project applies", lambda: add(a, status=ProjectStatus.SUBMITTED, year=2026, title="新申报")),
        ("a project is approved", lambda: status(project, ProjectStatus.APPROVED)),
        ("a project concludes with outcomes", conclude),
        ("a draft is deleted", lambda: Project.objects.filter(pk=b.projects[2].pk).get().delete()),
        ("a need is raised", lambda: make_need(b.committee, title="新需求", area=None)),
        (
            "a need is accepted",
            lambda: status(Need.objects.filter(organization=a.committee).first(), NeedStatus.ACCEPTED),
        ),
        (
            "a category is renamed",
            lambda: status(NeedCategory.objects.get(organization=a.committee, name="交通管理"), "交通出行", "name"),
        ),
        ("a call opens", lambda: make_call(b.committee, year=2024, title="2024年度申报")),
        ("a section is added", lambda: Section.objects.create(programme=target.programme, title="社区服务", order=2)),
        ("a target is claimed", lambda: make_claim(target, b.branch, ClaimStatus.SUBMITTED)),
        ("a claim is awarded", lambda: status(target.claims.get(organization=b.branch), ClaimStatus.AWARDED)),
        ("a target is awarded", lambda: status(Target.objects.get(pk=target.pk), TargetStatus.AWARDED)),
        (
            "money is allocated",
            lambda: Allocation.objects.create(
                budget=budget, project=a.projects[5], amount=Decimal("1000"), reason="追加", created_by=a.admin
            ),
        ),
        (
            "money is paid",
            lambda: Disbursement.objects.create(
                allocation=Allocation.objects.filter(budget=budget, project=a.projects[5]).get(),
                amount=Decimal("300"),
                purpose="物资",
                paid_on=date(2026, 6, 1),
                status=DisbursementStatus.APPROVED,
                requested_by=a.admin,
                approved_by=b.admin,
            ),
        ),
        (
            "a warning is raised",
            lambda: ProjectWarning.objects.create(
                rule=ProjectWarning.objects.earliest("pk").rule,
                level="reminder",
                organization=a.area,
                project=a.projects[0],
                cause="milestone:1",
                message="节点逾期",
                raised_on=date(2025, 12, 1),
            ),
        ),
        (
            "a project is nominated",
            lambda: Nomination.objects.create(
                showcase=Showcase.objects.get(organization=a.committee),
                project=a.projects[1],
                organization=a.projects[1].organization,
                summary="简介",
                highlights="亮点",
            ),
        ),
        ("a resident votes", vote),
        (
            "an award is given",
            lambda: Award.objects.create(
                nomination=Nomination.objects.get(project=a.projects[1]),
                level=AwardLevelKind.SECOND,
                amount=Decimal("3000"),
                certificate_no="新桥-2",
            ),
        ),
        ("a logged bulk change", logged_update),
    ]


def test_the_figures_follow_each_kind_of_write_once_the_background_count_has_run(
    django_capture_on_commit_callbacks,
):
    city = build_city()
    rollup.count_all()
    for name, write in _writes(city):
        with django_capture_on_commit_callbacks(execute=True):
            write()
        assert Refresh.objects.filter(changed_at__isnull=False).exists(), name
        assert Job.objects.filter(kind=rollup.JOB_KIND, status="queued").exists(), name
        assert jobs_run_pending() >= 1, name
        assert not Refresh.objects.filter(changed_at__isnull=False).exists(), name
        try:
            assert_rolled_up(city)
        except AssertionError as error:
            raise AssertionError(f"after “{name}”: {error}") from error
