"""The workbench at scale: its cards cost the same queries for ten projects as for thousands, a return
visit reads them from the figures cache (at most 15 queries in all), and anything logged has them counted
again at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.core.services import log_activity
from projectize.orgs.models import Role
from projectize.projects.models import Project, ProjectStatus, ProjectType
from tests.factories import make_org, make_root, user_with_role

pytestmark = pytest.mark.django_db


def add_projects(organizations, count: int, status: str = ProjectStatus.SUBMITTED) -> None:
    Project.objects.bulk_create(
        Project(
            organization=organizations[n % len(organizations)],
            organization_path=organizations[n % len(organizations)].path,
            year=2026,
            type=ProjectType.DEMONSTRATION,
            status=status,
            title=f"项目{n}",
        )
        for n in range(count)
    )


def visit(client) -> tuple[int, dict[str, int]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries), {card.title: card.count for card in response.context["cards"]}


def test_the_workbench_reads_as_few_queries_for_ten_projects_as_for_thousands(client):
    from django.core.cache import caches

    root = make_root()
    branches = [make_org(root, f"第{n}居民区党总支") for n in range(5)]
    client.force_login(user_with_role(Role.TOWN_ADMIN, root, username="admin"))
    add_projects(branches, 10)
    counted_few, cards = visit(client)
    assert cards["待评审审批的申报"] == 10
    kept_few, _cards = visit(client)

    add_projects(branches, 3000)
    caches["figures"].clear()
    counted_many, cards = visit(client)
    assert cards["待评审审批的申报"] == 3010
    kept_many, _cards = visit(client)
    assert counted_many == counted_few
    assert kept_many == kept_few <= 15 < counted_few


def test_anything_logged_has_the_cards_counted_again_at_once(client):
    root = make_root()
    branch = make_org(root, "新桥居民区党总支")
    admin = user_with_role(Role.TOWN_ADMIN, root, username="admin")
    client.force_login(admin)
    assert visit(client)[1]["待评审审批的申报"] == 0
    add_projects([branch], 1)
    assert visit(client)[1]["待评审审批的申报"] == 0  # kept: nothing was logged
    log_activity(actor=admin, action="project.submit", target=Project.objects.get())
    assert visit(client)[1]["待评审审批的申报"] == 1
