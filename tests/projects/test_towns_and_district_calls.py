"""Two towns under a district: each numbers its projects on its own, and a district's call is run by the
district's staff, not by the towns its applicants belong to."""

import pytest
from django.core.exceptions import PermissionDenied

from projectize.orgs.models import CommitteeProfile, Organization, OrgKind, Role
from projectize.projects.models import ProjectStatus, ProjectType
from projectize.projects.workflows import PROJECT
from tests.factories import make_org, user_with_role
from tests.projects.factories import make_call, make_project, move_call

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
