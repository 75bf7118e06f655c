"""`manage.py generate_scale` at a tiny size: its rows are valid for the app's own pages, and a seed repeats."""

import datetime
import io
import re
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Sum
from django.utils import timezone

from projectize.claims.models import Claim
from projectize.core.models import ActivityLog
from projectize.funds.models import Allocation, Budget
from projectize.needs.models import Need, Support, TokenFrequency
from projectize.needs.selectors import need_profile
from projectize.needs.similarity import profile_features
from projectize.needs.thesaurus import current_thesaurus
from projectize.orgs.models import Organization, OrgKind, User
from projectize.programmes.models import Target
from projectize.projects.models import (
    CodeCounter,
    Milestone,
    MilestoneStatus,
    ProgressReport,
    Project,
    ProjectStatus,
    ReportStatus,
)
from projectize.projects.selectors import overdue_items
from projectize.scale.management.commands.generate_scale import PASSWORD
from projectize.scale.writer import Table, indexes_built_after

pytestmark = pytest.mark.django_db

SIZES = ["--orgs", "50", "--projects", "200", "--needs", "300", "--claims", "60", "--log-rows", "1500"]


def generate(seed: int) -> str:
    out = io.StringIO()
    call_command(
        "generate_scale", *SIZES, "--seed", str(seed), "--today", "2026-06-15", "--i-know-this-is-synthetic", stdout=out
    )
    return out.getvalue()


def snapshot() -> dict[str, list[Any]]:
    models = [Organization, Project, Need, Support, Target, Claim, Allocation, ActivityLog]
    return {model._meta.label: list(model._default_manager.order_by("pk").values_list()) for model in models}


def test_the_same_seed_gives_the_same_data():
    with transaction.atomic():
        generate(7)
        first = snapshot()
        transaction.set_rollback(True)
    assert not Organization.objects.exists()
    generate(7)
    assert snapshot() == first
    assert Project.objects.count() == 200
    assert Need.objects.count() == 300
    assert Claim.objects.count() == 60
    assert ActivityLog.objects.count() == 1500


def test_the_tree_codes_and_running_totals_hold_the_apps_invariants():
    output = generate(1)
    assert "rows in" in output
    # Treebeard's own check: paths, depths and child counts.
    assert not any(Organization.objects.find_problems())
    for parent in Organization.objects.filter(numchild__gt=1)[:20]:
        children = Organization.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        names = list(children.order_by("path").values_list("name", flat=True))
        assert names == sorted(names), "siblings are kept in name order (node_order_by)"
    # The next code taken for a year and type follows the last one generated.
    for counter in CodeCounter.objects.all():
        numbers = [
            int(code.rsplit("-", 1)[1])
            for code in Project.objects.filter(code__startswith=f"{counter.prefix}-").values_list("code", flat=True)
            if code
        ]
        assert counter.last == max(numbers)
    # Each need's support counter (kept by the need services on write) is the number of its supports.
    counted_supports = Need.objects.annotate(n=Count("supports")).exclude(support_count=F("n"))
    assert not counted_supports.exists()
    assert Need.objects.filter(support_count__gt=1).exists()
    for budget in Budget.objects.all():
        assert budget.committed == (budget.allocations.aggregate(total=Sum("amount"))["total"] or 0)
    # The duplicate finder's word counts are those it would have kept had each need come in through the form.
    counted: Counter[str] = Counter()
    for need in Need.objects.all():
        features = profile_features(need_profile(need), current_thesaurus()).features
        counted.update([feature[:60] for feature in features] + [""])
    assert dict(TokenFrequency.objects.values_list("feature", "count")) == dict(counted)
    # New rows written by the app take ids after the generated ones.
    last = Project.objects.aggregate(last=Max("pk"))["last"]
    project = Project.objects.create(
        organization=Organization.objects.get(depth=3), year=2026, type="innovation", title="新项目"
    )
    assert project.pk > last


def test_a_generated_town_admin_and_secretary_use_the_pages(client):
    generate(1)
    town = Organization.objects.get(depth=3)
    project = Project.objects.filter(status=ProjectStatus.IN_PROGRESS).order_by("pk").first()
    need = Need.objects.order_by("pk").first()
    claim = Claim.objects.order_by("pk").first()
    assert project and need and claim
    assert client.login(username="t0001_admin", password=PASSWORD)
    for url in [
        "/",
        "/projects/",
        "/projects/?page=3",
        f"/projects/{project.pk}/",
        "/needs/",
        f"/needs/{need.pk}/",
        "/claims/all/",
        f"/claims/{claim.pk}/",
        "/programmes/targets/",
        "/activity/",
        "/orgs/",
        f"/orgs/{town.pk}/",
        "/reports/dashboard/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    # The project page shows its generated history on its timeline.
    assert re.search(r"启动实施", client.get(f"/projects/{project.pk}/").content.decode())
    client.logout()
    for url in ["/public/", "/programmes/public/"]:
        assert client.get(url).status_code == 200, url
    secretary = project.organization.secretary
    assert secretary is not None
    assert client.login(username=secretary.username, password=PASSWORD)
    assert client.get("/projects/").status_code == 200
    assert client.get(f"/projects/{project.pk}/").status_code == 200


def _schema() -> set[tuple[str, ...]]:
    """Every index and constraint of the generated tables, with its definition (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            " UNION ALL SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE connamespace = current_schema()::regnamespace"
        )
        return {tuple(row) for row in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="indexes are set aside on PostgreSQL only")
def test_indexes_and_constraints_set_aside_for_the_load_are_all_back_after_it():
    before = _schema()
    generate(1)
    assert _schema() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="indexes are set aside on PostgreSQL only")
def test_a_failed_load_still_gets_its_indexes_and_constraints_back():
    before = _schema()
    table = Table(Organization, ["path", "depth", "numchild", "name", "kind", "created_at", "updated_at"])
    with pytest.raises(RuntimeError), indexes_built_after([table]):
        assert _schema() != before
        raise RuntimeError("the generator stopped")
    assert _schema() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="indexes are set aside on PostgreSQL only")
def test_rows_written_without_their_constraints_are_checked_when_the_constraints_return():
    table = Table(Organization, ["path", "depth", "numchild", "name", "kind", "created_at", "updated_at"])
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic(), indexes_built_after([table]):
        # Two organizations with the same path: nothing stops them on the way in; the unique constraint,
        # created again, refuses them.
        for _n in range(2):
            table.add(table.new_id(), "0001", 1, 0, "市委", "party_committee", now, now)
        table.flush()
    assert not Organization.objects.exists()


def test_the_city_and_district_staff_read_every_town_below_them(client):
    generate(1)
    city, district = Organization.objects.get(depth=1), Organization.objects.filter(depth=2).first()
    assert city.kind == OrgKind.CITY and district is not None and district.kind == OrgKind.DISTRICT
    assert client.login(username="city_admin", password=PASSWORD)
    for url in ["/reports/dashboard/", f"/reports/dashboard/?org={district.pk}", "/projects/", "/activity/"]:
        assert client.get(url).status_code == 200, url
    # The bench's exports: every project of the city, the whole log.
    for url in ["/projects/export.xlsx", "/activity/?export=xlsx"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"".join(response.streaming_content if response.streaming else [response.content])[:2] == b"PK"
    client.logout()
    assert client.login(username="d01_leader", password=PASSWORD)
    page = client.get("/projects/")
    assert page.status_code == 200
    shown = {project.organization.path[: len(district.path)] for project in page.context["page"]}
    assert shown == {district.path}


def test_running_projects_have_overdue_work_and_others_none(client):
    """Coded projects get milestones and, once started, progress reports: running projects leave some of
    their past work open (the 督办 list reads it); concluded projects none; nothing before approval."""
    generate(1)
    today = datetime.date(2026, 6, 15)
    running = ProjectStatus.group("running")
    overdue = overdue_items(today=today)
    assert len(overdue) > 10
    assert {item.project.status for item in overdue} <= set(running)
    assert {item.kind for item in overdue} == {"report", "milestone"}
    assert all(item.due_date < today for item in overdue)
    concluded = Project.objects.filter(status=ProjectStatus.CONCLUDED)
    assert Milestone.objects.filter(project__in=concluded).exclude(status=MilestoneStatus.MET).count() == 0
    assert ProgressReport.objects.filter(project__in=concluded).exclude(status=ReportStatus.ACCEPTED).count() == 0
    assert Milestone.objects.filter(project__in=concluded).count() == 4 * concluded.count()
    assert not Milestone.objects.filter(project__code__isnull=True).exists()
    assert not ProgressReport.objects.filter(project__status=ProjectStatus.APPROVED).exists()
    # The town's admin finds them on the 督办 list.
    admin = User.objects.get(username="t0001_admin")
    client.force_login(admin)
    town = admin.grants.get().organization
    mine = [item for item in overdue if item.project.organization_path.startswith(town.path)]
    page = client.get("/projects/overdue/").content.decode()
    assert mine and all(f'data-testid="overdue-{item.key}"' in page for item in mine[:50])
