"""Races with real threads: each thread has its own database connection, as two web requests would.

They run on SQLite (which serialises writers) and on PostgreSQL (row locks), e.g.
DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name> pytest tests/claims/test_concurrency.py
"""

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from projectize.claims import services
from projectize.claims.models import Claim, ClaimStatus
from projectize.core.workflow import TransitionError
from projectize.orgs.models import OrgKind, Role
from projectize.programmes.models import TargetStatus
from projectize.programmes.workflows import TARGET
from projectize.projects.models import Project
from tests.claims.helpers import make_claim
from tests.factories import make_org, make_root, user_with_role
from tests.programmes.factories import make_programme, make_section, make_target


def run_together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Start every job at the same moment in its own thread; return each result or exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def units_with_contacts(root, count):
    pairs = []
    for n in range(count):
        unit = make_org(root, f"认领单位{n}", OrgKind.ENTERPRISE)
        pairs.append((unit, user_with_role(Role.CLAIM_CONTACT, unit)))
    return pairs


def draft(target, unit, contact) -> Claim:
    return make_claim(target, unit, ClaimStatus.DRAFT, contact=contact)


@pytest.mark.django_db(transaction=True)
def test_no_submitted_claim_is_lost_when_claims_race_the_deadline():
    root = make_root()
    staff = user_with_role(Role.TOWN_ADMIN, root)
    programme = make_programme(root)
    target = make_target(make_section(programme))
    claims = [draft(target, unit, contact) for unit, contact in units_with_contacts(root, 6)]
    programme.claim_closes = timezone.now() + timedelta(seconds=3)
    programme.save()

    def submit(claim: Claim, delay: float) -> Callable[[], Any]:
        def job() -> Any:
            time.sleep(delay)
            return services.claim_submit(claim=claim, actor=claim.contact)

        return job

    def close_claiming() -> Any:
        while True:
            try:
                return TARGET.apply(target, "start_selection", actor=staff)
            except TransitionError as error:
                if "尚未截止" not in str(error):
                    raise
                time.sleep(0.05)

    # Three submit well before the deadline, three right around it, while staff close claiming.
    delays = [0, 0.1, 0.2, 2.9, 3.0, 3.1]
    results = run_together([submit(c, d) for c, d in zip(claims, delays, strict=True)] + [close_claiming])

    accepted = {r.pk for r in results[:-1] if isinstance(r, Claim)}
    refused = [r for r in results[:-1] if not isinstance(r, Claim)]
    assert accepted, results
    assert all(isinstance(r, TransitionError) and ("截止" in str(r) or "不接受认领" in str(r)) for r in refused)
    target.refresh_from_db()
    assert target.status == TargetStatus.SELECTING
    # Every claim that was told "submitted" is in the selection, and no other.
    assert set(target.claims.filter(status=ClaimStatus.SUBMITTED).values_list("pk", flat=True)) == accepted
    assert target.claims.filter(status=ClaimStatus.DRAFT).count() == len(refused)


@pytest.mark.django_db(transaction=True)
def test_two_staff_selecting_at_once_never_exceed_the_maximum():
    root = make_root()
    staff = [user_with_role(Role.TOWN_ADMIN, root) for _ in range(2)]
    target = make_target(make_section(make_programme(root)), status=TargetStatus.SELECTING, max_units=1)
    claims = [draft(target, unit, contact) for unit, contact in units_with_contacts(root, 2)]
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(status=ClaimStatus.SUBMITTED)

    def select(claim: Claim, actor: Any) -> Callable[[], Any]:
        return lambda: services.claim_decide(claim=claim, actor=actor, selected=True, reason="方案最优")

    results = run_together([select(claim, actor) for claim, actor in zip(claims, staff, strict=True)])

    assert sum(isinstance(r, Claim) for r in results) == 1
    assert sum(isinstance(r, TransitionError) and "已选满" in str(r) for r in results) == 1
    assert target.claims.filter(status=ClaimStatus.SELECTED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_staff_awarding_the_same_target_at_once_create_one_project():
    root = make_root()
    staff = [user_with_role(Role.TOWN_ADMIN, root) for _ in range(2)]
    target = make_target(make_section(make_programme(root)), status=TargetStatus.NOTICE, max_units=2)
    target.notice_starts_at = timezone.now() - timedelta(days=8)
    target.notice_ends_at = timezone.now() - timedelta(days=1)
    target.save()
    claims = [draft(target, unit, contact) for unit, contact in units_with_contacts(root, 2)]
    Claim.objects.filter(pk=claims[0].pk).update(status=ClaimStatus.SELECTED, is_lead=True, decided_at=timezone.now())
    Claim.objects.filter(pk=claims[1].pk).update(status=ClaimStatus.SELECTED, decided_at=timezone.now())

    def award(actor: Any) -> Callable[[], Any]:
        return lambda: services.target_award(target=target, actor=actor)

    results = run_together([award(actor) for actor in staff])

    assert sum(isinstance(r, Project) for r in results) == 1
    assert sum(isinstance(r, TransitionError) for r in results) == 1
    project = Project.objects.get()
    assert project.organization == claims[0].organization
    assert list(project.partners.values_list("organization", flat=True)) == [claims[1].organization_id]
    assert target.claims.filter(status=ClaimStatus.AWARDED, project=project).count() == 2
