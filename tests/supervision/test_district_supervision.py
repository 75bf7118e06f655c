"""Supervision with a district above two towns: the district writes to a town committee, which answers;
a town changes nothing of the district's letter; district leaders read and record nothing; each
committee's warning rules cover its own organizations only."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from projectize.orgs.models import Organization, OrgKind, Role
from projectize.projects.models import ProjectStatus
from projectize.supervision.models import LetterStatus, ProjectWarning, RuleKind
from projectize.supervision.selectors import letters_visible_to
from projectize.supervision.services import (
    activity_create,
    guidance_create,
    item_answer,
    letter_acknowledge,
    letter_create,
    letter_item_add,
    letter_send,
    rule_save,
    warnings_evaluate,
)
from tests.factories import make_org, user_with_role
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    district = Organization.objects.add_root({"name": "松江区委", "kind": OrgKind.DISTRICT})
    xinqiao = make_org(district, "新桥镇党委", OrgKind.COMMITTEE)
    sijing = make_org(district, "泗泾镇党委", OrgKind.COMMITTEE)
    area = make_org(xinqiao, "春申居民区党总支")
    other_area = make_org(sijing, "泗泾居民区党总支")
    people = {
        "staff": user_with_role(Role.DISTRICT_STAFF, district),
        "district_leader": user_with_role(Role.DISTRICT_LEADER, district),
        "xinqiao_admin": user_with_role(Role.TOWN_ADMIN, xinqiao),
        "xinqiao_leader": user_with_role(Role.LEADER, xinqiao),
        "sijing_admin": user_with_role(Role.TOWN_ADMIN, sijing),
        "secretary": user_with_role(Role.SECRETARY, area),
    }
    project = make_project(area, status=ProjectStatus.IN_PROGRESS, code="2026-SF-001", title="楼组微议事")
    other = make_project(other_area, status=ProjectStatus.IN_PROGRESS, code="SJ-2026-SF-001", title="古镇议事")
    return {"district": district, "xinqiao": xinqiao, "sijing": sijing, "project": project, "other": other, **people}


def test_the_district_writes_to_the_town_committee_which_answers_it(w):
    letter = letter_create(
        project=w["project"], issuer=w["district"], title="关于新桥镇项目督查的反馈函", body="请整改。",
        prefix="松江督函", actor=w["staff"],
    )  # fmt: skip
    assert letter.organization == w["xinqiao"] and letter.responsible is None
    # The town sees nothing of the district's draft, and cannot add to it.
    assert letter not in letters_visible_to(w["xinqiao_admin"])
    with pytest.raises(PermissionDenied):
        letter_item_add(
            letter=letter, problem="台账不全", requirement="补齐", deadline=datetime.date.today(),
            actor=w["xinqiao_admin"],
        )  # fmt: skip
    letter_item_add(
        letter=letter, problem="台账不全", requirement="补齐", deadline=datetime.date.today(), actor=w["staff"]
    )
    letter = letter_send(letter=letter, actor=w["staff"])
    assert letter.number.startswith("松江督函")
    # Sent: the addressed town reads it and answers; the other town sees nothing of it.
    assert letter in letters_visible_to(w["xinqiao_admin"])
    assert letter not in letters_visible_to(w["sijing_admin"])
    with pytest.raises(PermissionDenied):
        letter_acknowledge(letter=letter, actor=w["sijing_admin"])
    letter = letter_acknowledge(letter=letter, actor=w["xinqiao_admin"])
    item = item_answer(item=letter.items.get(), action_taken="已补齐台账", actor=w["xinqiao_admin"])
    assert item.answered_by == w["xinqiao_admin"]
    # A town cannot write a letter from the district, nor about the other town.
    with pytest.raises(PermissionDenied):
        letter_create(
            project=w["project"], issuer=w["district"], title="t", body="b", prefix="p", actor=w["xinqiao_admin"]
        )
    with pytest.raises(PermissionDenied):
        letter_create(
            project=w["other"], issuer=w["xinqiao"], title="t", body="b", prefix="p", actor=w["xinqiao_admin"]
        )
    assert letter.status == LetterStatus.ACKNOWLEDGED


def test_district_leaders_read_the_towns_supervision_and_record_none_of_it(w):
    for actor in (w["district_leader"], w["staff"]):
        with pytest.raises(PermissionDenied):
            guidance_create(project=w["project"], date=datetime.date.today(), content="加强台账", actor=actor)
        with pytest.raises(PermissionDenied):
            activity_create(
                organization=w["xinqiao"], kind="site_visit", title="实地察看", date=datetime.date.today(), actor=actor
            )
    assert w["district_leader"].has_perm("supervision.view_project_record", w["project"])
    assert not w["district_leader"].has_perm("supervision.guide_project", w["project"])
    assert not w["district_leader"].has_perm("supervision.add_activity")
    # The town's own leader still guides.
    guidance_create(project=w["project"], date=datetime.date.today(), content="加强台账", actor=w["xinqiao_leader"])


def test_each_committees_warning_rules_cover_its_own_organizations(w):
    overdue = datetime.date.today() - datetime.timedelta(days=40)
    for project in (w["project"], w["other"]):
        project.milestones.update(due_date=overdue)
    rule_save(
        organization=w["sijing"], kind=RuleKind.MISSED_MILESTONE, level="reminder", days=7, is_active=True,
        actor=w["sijing_admin"],
    )  # fmt: skip
    rule_save(
        organization=w["district"], kind=RuleKind.MISSED_MILESTONE, level="reminder", days=7, is_active=True,
        actor=w["staff"],
    )  # fmt: skip
    # Xinqiao has switched its rule off: the district's rule does not raise warnings in its place.
    rule_save(
        organization=w["xinqiao"], kind=RuleKind.MISSED_MILESTONE, level="reminder", days=7, is_active=False,
        actor=w["xinqiao_admin"],
    )  # fmt: skip
    # Evaluating one town's rules touches nothing of the other's.
    assert warnings_evaluate(committees=[w["xinqiao"]]) == []
    raised = warnings_evaluate()
    assert {warning.project for warning in raised} == {w["other"]}
    assert not ProjectWarning.objects.filter(project=w["project"]).exists()
