"""A committee, two organizations with their people, and a running project of the first."""

import datetime
from dataclasses import dataclass

from projectize.orgs.models import Organization, Role, User
from projectize.projects.models import Project, ProjectStatus
from projectize.supervision.models import Letter
from projectize.supervision.services import letter_create, letter_item_add
from tests.factories import make_org, make_root, user_with_role
from tests.projects.factories import make_project


@dataclass
class World:
    committee: Organization
    org: Organization
    other_org: Organization
    admin: User
    leader: User
    secretary: User
    responsible: User
    other_secretary: User
    project: Project


def world() -> World:
    committee = make_root()
    org = make_org(committee, "春申居民区党总支")
    other_org = make_org(committee, "明华居民区党总支")
    admin = user_with_role(Role.TOWN_ADMIN, committee, username="admin")
    leader = user_with_role(Role.LEADER, committee, username="leader")
    secretary = user_with_role(Role.SECRETARY, org, username="sec")
    responsible = user_with_role(Role.ORG_STAFF, org, username="resp")
    other_secretary = user_with_role(Role.SECRETARY, other_org, username="othersec")
    project = make_project(
        org, status=ProjectStatus.IN_PROGRESS, code="2026-SF-001", title="楼组微议事", responsible=responsible
    )
    return World(committee, org, other_org, admin, leader, secretary, responsible, other_secretary, project)


def draft_letter(w: World, items: int = 2, deadline_days: int = 30) -> Letter:
    letter = letter_create(
        project=w.project,
        issuer=w.committee,
        title="关于“楼组微议事”项目督查情况的反馈函",
        body="经跟踪式检查，发现以下问题，请认真整改。",
        prefix="新桥督函",
        actor=w.admin,
    )
    for n in range(items):
        letter_item_add(
            letter=letter,
            problem=f"问题{n + 1}：议事记录不全",
            requirement=f"要求{n + 1}：补齐记录并公示",
            deadline=datetime.date.today() + datetime.timedelta(days=deadline_days),
            actor=w.admin,
        )
    return letter
