"""Two towns under a district: each numbers its projects on its own, and a district's call is run by the
district's staff, not by the towns its applicants belong to."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from projectize.core.models import Notification
from projectize.orgs.models import CommitteeProfile, Organization, OrgKind, Role
from projectize.projects.models import Discussion, Project, ProjectStatus, ProjectType
from projectize.projects.steps import five_fixed_missing
from projectize.projects.workflows import PROJECT
from projectize.reviews.models import Review, ReviewStatus
from projectize.reviews.services import assignment_accept, review_open, sheet_submit
from tests.factories import make_org, user_with_role
from tests.projects.factories import make_call, make_project, move_call
from tests.reviews.factories import make_rubric

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns():
    district = Organization.objects.add_root({"name": "松江区委", "kind": OrgKind.DISTRICT})
    xinqiao = make_org(district, "新桥镇党委", OrgKind.COMMITTEE)
    sijing = make_org(district, "泗泾镇党委", OrgKind.COMMITTEE)
    CommitteeProfile.objects.create(organization=sijing, slug="sijing", code_prefix="SJ")
    CommitteeProfile.objects.create(organization=district, slug="songjiang", code_prefix="SQ")
    return {
        "district": district,
        "xinqiao": xinqiao,
        "sijing": sijing,
        "area": make_org(xinqiao, "春申居民区党总支"),
        "other_area": make_org(sijing, "江川居民区党总支"),
        "staff": user_with_role(Role.DISTRICT_STAFF, district),
        "xinqiao_admin": user_with_role(Role.TOWN_ADMIN, xinqiao),
        "sijing_admin": user_with_role(Role.TOWN_ADMIN, sijing),
    }


def submitted(organization, call, **fields):
    project = make_project(organization, call, status=ProjectStatus.SUBMITTED, **fields)
    move_call(call, "review")
    return project


def approve(project, actor):
    project = PROJECT.apply(project, "start_review", actor=actor)
    return PROJECT.apply(project, "approve", actor=actor, note="同意立项")


def test_each_town_numbers_its_projects_on_its_own(towns):
    ours = submitted(towns["area"], make_call(towns["xinqiao"]), type=ProjectType.INNOVATION)
    theirs = submitted(towns["other_area"], make_call(towns["sijing"]), type=ProjectType.INNOVATION)
    assert approve(ours, towns["xinqiao_admin"]).code == "2026-CX-001"
    assert approve(theirs, towns["sijing_admin"]).code == "SJ-2026-CX-001"


def test_a_district_call_is_run_by_the_district_not_by_the_applicants_town(towns):
    call = make_call(towns["district"], title="2026年度区级党建项目申报")
    project = submitted(towns["area"], call, type=ProjectType.DEMONSTRATION)
    for outsider in (towns["xinqiao_admin"], towns["sijing_admin"]):
        with pytest.raises(PermissionDenied):
            PROJECT.apply(project, "start_review", actor=outsider)
    assert approve(project, towns["staff"]).code == "SQ-2026-SF-001"
    # The applicant's town still reads it; the other town does not.
    assert towns["xinqiao_admin"].has_perm("projects.view_project", project)
    assert not towns["sijing_admin"].has_perm("projects.view_project", project)
    # District staff read a town's own projects and change nothing of them.
    own = submitted(towns["area"], make_call(towns["xinqiao"], year=2025), type=ProjectType.INNOVATION)
    assert towns["staff"].has_perm("projects.view_project", own)
    assert not towns["staff"].has_perm("projects.manage_project", own)
    with pytest.raises(PermissionDenied):
        PROJECT.apply(own, "start_review", actor=towns["staff"])


def test_district_staff_review_applications_to_their_call_and_no_town_admin_does(towns, client):
    """A Xinqiao branch applies to the district's call: the district's staff start the review, pick the
    district's rubric and experts on the review page, and approve; neither town's admin can."""
    staff = towns["staff"]
    rubric = make_rubric(towns["district"], staff)
    expert = user_with_role(Role.REVIEWER, towns["district"], username="district_expert")
    call = make_call(towns["district"], title="2026年度区级党建项目申报")
    secretary = user_with_role(Role.SECRETARY, towns["area"])
    project = PROJECT.apply(make_project(towns["area"], call), "submit", actor=secretary)
    # The submission is told to those who run the call: the district's staff, not the applicant's town admin.
    assert Notification.objects.filter(recipient=staff).exists()
    assert not Notification.objects.filter(recipient=towns["xinqiao_admin"]).exists()
    move_call(call, "review")

    def step(user, name):
        client.force_login(user)
        return client.post(reverse("core:transition", args=["projects.project", project.pk, name]), {"note": "同意"})

    project_type = ContentType.objects.get_for_model(Project).pk
    open_url = reverse("reviews:open", args=[project_type, project.pk]) + "?purpose=application"
    for outsider in (towns["xinqiao_admin"], towns["sijing_admin"]):
        assert step(outsider, "start_review").status_code in (403, 404)
    step(staff, "start_review")
    project.refresh_from_db()
    assert project.status == ProjectStatus.UNDER_REVIEW

    for outsider in (towns["xinqiao_admin"], towns["sijing_admin"]):
        client.force_login(outsider)
        assert client.get(open_url).status_code == 404
        with pytest.raises(PermissionDenied):
            review_open(subject=project, rubric=rubric, reviewers=[expert], actor=outsider)

    client.force_login(staff)
    panel = client.get(reverse("projects:application", args=[project.pk]), headers={"HX-Request": "true"})
    assert 'data-testid="assign-reviewers"' in panel.content.decode()
    page = client.get(open_url)
    assert page.status_code == 200
    assert rubric.name in page.content.decode()
    client.post(open_url, {"rubric": rubric.pk, "reviewers": [expert.pk]})
    review = Review.objects.get(subject_id=project.pk)
    assert review.organization == towns["district"]
    assert list(review.assignments.values_list("reviewer", flat=True)) == [expert.pk]

    assignment = review.assignments.get()
    assignment_accept(assignment=assignment, actor=expert)
    assert expert.has_perm("projects.view_project", project)
    sheet_submit(assignment=assignment, scores={c.pk: 18 for c in rubric.criteria.all()}, actor=expert)
    for outsider in (towns["xinqiao_admin"], towns["sijing_admin"]):
        assert step(outsider, "approve").status_code in (403, 404)
    step(staff, "approve")
    project.refresh_from_db()
    review.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED
    assert project.code == "SQ-2026-SF-001"
    assert review.status == ReviewStatus.CLOSED


def test_a_towns_people_are_offered_and_accepted_only_their_own_towns_leaders(towns, client):
    """The project list's 牵头领导 filter and the 五定 check know only the project's committee's leaders: a
    Xinqiao user never sees 泗泾镇's, and a 泗泾镇 leader named on a Xinqiao project does not count."""
    ours = user_with_role(Role.LEADER, towns["xinqiao"], last_name="新", first_name="桥领导")
    theirs = user_with_role(Role.LEADER, towns["sijing"], last_name="泗", first_name="泾领导")
    secretary = user_with_role(Role.SECRETARY, towns["area"])
    list_url = reverse("projects:list")
    for reader in (towns["xinqiao_admin"], ours, secretary):
        client.force_login(reader)
        page = client.get(list_url).content.decode()
        assert f'<option value="{ours.pk}">' in page
        assert "泗泾领导" not in page and f'<option value="{theirs.pk}">' not in page
    # District staff filter by either town's leaders.
    client.force_login(towns["staff"])
    page = client.get(list_url).content.decode()
    assert f'<option value="{ours.pk}">' in page and f'<option value="{theirs.pk}">' in page

    project = make_project(towns["area"], make_call(towns["xinqiao"]), status=ProjectStatus.APPROVED)
    project.lead_leader = theirs
    project.save()
    assert "定牵头领导：所选人员不是党委领导。" in five_fixed_missing(project)
    client.force_login(towns["xinqiao_admin"])
    assert "所选人员不是党委领导" in client.get(project.get_absolute_url()).content.decode()
    project.lead_leader = ours
    project.save()
    assert not any("牵头领导" in problem for problem in five_fixed_missing(project))
    assert "所选人员不是党委领导" not in client.get(project.get_absolute_url()).content.decode()


def test_the_district_records_its_own_discussion_of_applications_to_its_call(towns, client):
    """研究讨论 of a district's call: its attendees are the district's leaders and staff, not a town's."""
    district_leader = user_with_role(Role.DISTRICT_LEADER, towns["district"], username="dleader")
    town_leader = user_with_role(Role.LEADER, towns["xinqiao"], username="xleader")
    call = make_call(towns["district"], title="2026年度区级党建项目申报")
    project = submitted(towns["area"], call, type=ProjectType.DEMONSTRATION)
    client.force_login(towns["staff"])
    url = reverse("projects:discussion_new", args=[call.pk])
    page = client.get(url).content.decode()
    assert f'value="{district_leader.pk}"' in page and f'value="{town_leader.pk}"' not in page
    client.post(
        url,
        {
            "held_on": "2026-05-10",
            "title": "区委组织部研究讨论",
            "attendees": [district_leader.pk, towns["staff"].pk],
            "minutes": "逐项讨论。",
            f"outcome_{project.pk}": "recommend",
        },
    )
    discussion = Discussion.objects.get(call=call)
    assert set(discussion.attendees.all()) == {district_leader, towns["staff"]}
