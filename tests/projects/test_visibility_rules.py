"""Who sees which project, role by role, over a tree of a city: the list, the selector and the project page.

Written down before the list's visibility filter was rewritten for scale (issue 15), and passing on the
code as it was then: each set below is what that code showed. Any change to these sets is a change of the
rules, not of speed.
"""

import datetime

import pytest
from django.urls import reverse

from projectize.orgs.models import OrgKind, Role
from projectize.orgs.services import organization_move
from projectize.projects.models import Acceptance, Partner, ProjectStatus
from projectize.projects.selectors import projects_visible_to
from projectize.reviews.models import Assignment
from projectize.reviews.services import assignment_accept, review_open, rubric_create
from tests.factories import UserFactory, grant, make_org, make_root, user_with_role
from tests.projects.factories import make_project
from tests.reviews.factories import application_spec

pytestmark = pytest.mark.django_db

# The projects of the city, by organization; the drafts are marked.
PROJECTS = {
    "town1": [("t1-running", ProjectStatus.IN_PROGRESS)],
    "org1": [("o1-draft", ProjectStatus.DRAFT), ("o1-running", ProjectStatus.IN_PROGRESS)],
    "org2": [("o2-submitted", ProjectStatus.SUBMITTED)],
    "branch2a": [("b2a-draft", ProjectStatus.DRAFT), ("b2a-concluded", ProjectStatus.CONCLUDED)],
    "org3": [
        ("o3-draft", ProjectStatus.DRAFT),
        ("o3-review", ProjectStatus.UNDER_REVIEW),
        ("o3-partnered", ProjectStatus.IN_PROGRESS),
        ("o3-accepting", ProjectStatus.ACCEPTANCE),
        ("o3-led", ProjectStatus.IN_PROGRESS),
        ("o3-withdrawn", ProjectStatus.WITHDRAWN),
        ("o3-returned", ProjectStatus.RETURNED),
    ],
    "closed": [("closed-running", ProjectStatus.IN_PROGRESS), ("closed-draft", ProjectStatus.DRAFT)],
}
ALL = {title for projects in PROJECTS.values() for title, _status in projects}
DRAFTS = {"o1-draft", "b2a-draft", "o3-draft", "closed-draft"}
TOWN1 = {"t1-running", "o1-running", "o2-submitted", "b2a-concluded"}
TOWN2 = {"o3-review", "o3-partnered", "o3-accepting", "o3-led", "o3-withdrawn", "o3-returned", "closed-running"}

# What each person saw.
SEES = {
    # A superuser sees every project, drafts too.
    "superuser": ALL,
    "city_admin": ALL - DRAFTS,
    "district_leader": ALL - DRAFTS,
    "town1_admin": TOWN1,
    # A town's leader also sees a project they lead in another town.
    "town1_leader": TOWN1 | {"o3-led"},
    "town2_admin": TOWN2,
    "org1_secretary": {"o1-draft", "o1-running"},
    # An organization's people see its subtree's projects, drafts too.
    "org2_staff": {"o2-submitted", "b2a-draft", "b2a-concluded"},
    "branch2a_secretary": {"b2a-draft", "b2a-concluded"},
    "partner_contact": {"o3-partnered"},
    "reviewer": {"o3-review"},
    "undeclared_reviewer": set(),
    "panel_member": {"o3-accepting"},
    "responsible": {"o1-running"},
    "finance": set(),
    # Two grants: both subtrees.
    "two_grants": {"o1-draft", "o1-running", "o3-draft"} | (TOWN2 - {"closed-running"}),
    # Staff of one town and secretary in the other: no drafts of the town, drafts of their own organization.
    "staff_and_secretary": TOWN2 | {"o1-draft", "o1-running"},
    # A grant at an organization that is no longer active gives nothing.
    "inactive_org_secretary": set(),
    "inactive_account": set(),
}


@pytest.fixture
def city():
    root = make_root("市委")
    district = make_org(root, "松江区委", OrgKind.PARTY_COMMITTEE)
    town1 = make_org(district, "新桥镇党委", OrgKind.COMMITTEE)
    town2 = make_org(district, "九亭镇党委", OrgKind.COMMITTEE)
    orgs = {"root": root, "district": district, "town1": town1, "town2": town2}
    orgs["org1"] = make_org(town1, "春申居民区党总支")
    orgs["org2"] = make_org(town1, "社区党建服务中心党总支", OrgKind.GENERAL_BRANCH)
    orgs["branch2a"] = make_org(orgs["org2"], "第一党支部", OrgKind.BRANCH)
    orgs["unit"] = make_org(town1, "春申物业管理有限公司", OrgKind.ENTERPRISE)
    orgs["org3"] = make_org(town2, "九亭居民区党总支")
    orgs["closed"] = make_org(town2, "撤并居民区党总支")
    for key in ("org1", "org2", "branch2a", "unit", "org3", "closed"):
        orgs[key].refresh_from_db()
    orgs["closed"].is_active = False
    orgs["closed"].save()

    people = {
        "superuser": UserFactory.create(is_superuser=True),
        "city_admin": user_with_role(Role.TOWN_ADMIN, root),
        "district_leader": user_with_role(Role.LEADER, district),
        "town1_admin": user_with_role(Role.TOWN_ADMIN, town1),
        "town1_leader": user_with_role(Role.LEADER, town1),
        "town2_admin": user_with_role(Role.TOWN_ADMIN, town2),
        "org1_secretary": user_with_role(Role.SECRETARY, orgs["org1"]),
        "org2_staff": user_with_role(Role.ORG_STAFF, orgs["org2"]),
        "branch2a_secretary": user_with_role(Role.SECRETARY, orgs["branch2a"]),
        "partner_contact": user_with_role(Role.CLAIM_CONTACT, orgs["unit"]),
        "reviewer": user_with_role(Role.REVIEWER, town2),
        "undeclared_reviewer": user_with_role(Role.REVIEWER, town2),
        "panel_member": UserFactory.create(),
        "responsible": UserFactory.create(),
        "finance": user_with_role(Role.FINANCE, town1),
        "two_grants": user_with_role(Role.SECRETARY, orgs["org1"]),
        "staff_and_secretary": user_with_role(Role.TOWN_ADMIN, town2),
        "inactive_org_secretary": user_with_role(Role.SECRETARY, orgs["closed"]),
        "inactive_account": user_with_role(Role.TOWN_ADMIN, town1, is_active=False),
    }
    grant(people["two_grants"], Role.ORG_STAFF, orgs["org3"])
    grant(people["staff_and_secretary"], Role.SECRETARY, orgs["org1"])

    projects = {}
    for key, rows in PROJECTS.items():
        for title, status in rows:
            projects[title] = make_project(orgs[key], None, status=status, title=title, complete=False)
    projects["o1-running"].responsible = people["responsible"]
    projects["o1-running"].lead_leader = people["town1_leader"]
    projects["o1-running"].save()
    projects["o3-led"].lead_leader = people["town1_leader"]
    projects["o3-led"].save()
    Partner.objects.create(project=projects["o3-partnered"], organization=orgs["unit"])
    acceptance = Acceptance.objects.create(project=projects["o3-accepting"], scheduled_on=datetime.date(2026, 6, 1))
    acceptance.panel.add(people["panel_member"])

    rubric = rubric_create(organization=town2, spec=application_spec(), actor=people["town2_admin"])
    review = review_open(
        subject=projects["o3-review"],
        rubric=rubric,
        reviewers=[people["reviewer"], people["undeclared_reviewer"]],
        actor=people["town2_admin"],
    )
    assignment_accept(
        assignment=Assignment.objects.get(review=review, reviewer=people["reviewer"]), actor=people["reviewer"]
    )
    return {"orgs": orgs, "people": people, "projects": projects}


def test_the_rules_hold_for_every_project():
    assert set(SEES) and all(seen <= ALL for seen in SEES.values())


@pytest.mark.parametrize("who", list(SEES))
def test_each_person_sees_exactly_what_they_saw_before(city, who):
    user = city["people"][who]
    assert {p.title for p in projects_visible_to(user)} == SEES[who]


@pytest.mark.parametrize("who", [who for who in SEES if who != "inactive_account"])
def test_the_list_page_shows_the_same_projects(client, city, who):
    client.force_login(city["people"][who])
    page = client.get(reverse("projects:list"))
    assert page.status_code == 200
    shown = {title for title in ALL if f">{title}</a>" in page.content.decode()}
    assert shown == SEES[who]


@pytest.mark.parametrize("who", [who for who in SEES if who != "inactive_account"])
def test_the_project_page_opens_to_exactly_those_who_list_it(city, who):
    user = city["people"][who]
    opens = {title for title, project in city["projects"].items() if user.has_perm("projects.view_project", project)}
    assert opens == SEES[who]


def test_a_project_follows_its_organization_when_the_tree_changes(city):
    """An organization moved under another town takes its projects into that town's lists."""
    orgs, people = city["orgs"], city["people"]
    organization_move(actor=people["city_admin"], organization=orgs["org1"], new_parent=orgs["town2"])
    for person in people.values():
        person.refresh_from_db()
    assert {p.title for p in projects_visible_to(people["town2_admin"])} == TOWN2 | {"o1-running"}
    assert {p.title for p in projects_visible_to(people["town1_admin"])} == TOWN1 - {"o1-running"}
    assert {p.title for p in projects_visible_to(people["org1_secretary"])} == {"o1-draft", "o1-running"}


def test_a_new_organization_that_shifts_its_siblings_changes_nobody_s_projects(city):
    """Siblings are kept in name order: a new first child renumbers the paths of the others and their subtrees."""
    make_org(city["orgs"]["town1"], "一号居民区党总支")
    for who in ("town1_admin", "org1_secretary", "org2_staff", "branch2a_secretary", "partner_contact", "two_grants"):
        user = city["people"][who]
        user.refresh_from_db()
        assert {p.title for p in projects_visible_to(user)} == SEES[who], who
