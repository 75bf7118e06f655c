"""Which writes change the dashboard's figures: saving or deleting any row they count, and anything logged
in the activity log (which names the organization it concerns).

A signal only notes the organization ids at hand (no query); once the transaction commits, the parts of
the tree that count those organizations are marked as changed and their count is queued
(`rollup.changes`). Rows written in bulk (imports, the scale generator) send no signals: those who write
them count afterwards (`manage.py refresh_figures`).
"""

import threading
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from projectize.claims.models import Claim
from projectize.core.models import ActivityLog
from projectize.funds import selectors as funds_selectors
from projectize.funds.models import Allocation, Budget, Disbursement
from projectize.needs.models import Need, NeedCategory
from projectize.programmes import selectors as programmes_selectors
from projectize.programmes.models import Programme, Section, Target
from projectize.projects import selectors as projects_selectors
from projectize.projects.models import Call, Project
from projectize.reports import rollup
from projectize.showcase import selectors as showcase_selectors
from projectize.showcase.models import Award, Nomination, Showcase, Vote
from projectize.supervision.models import ProjectWarning

_pending = threading.local()


def _noted() -> dict[str, set[int]]:
    if not hasattr(_pending, "ids"):
        _pending.ids = {}
    noted: dict[str, set[int]] = _pending.ids
    return noted


def _note(kind: str, *ids: int | None) -> None:
    _noted().setdefault(kind, set()).update(pk for pk in ids if pk)
    transaction.on_commit(_flush)


def _flush() -> None:
    """Resolve what was noted to organizations and mark their parts (once per transaction: later calls
    find nothing noted)."""
    noted, _pending.ids = _noted(), {}
    if not noted:
        return
    organizations = set(noted.pop("organization", set()))
    for kind, ids in noted.items():
        organizations |= RESOLVE[kind](ids)
    rollup.changes(organizations)


def _flat(rows: Any) -> set[int]:
    return {pk for row in rows for pk in row if pk}


RESOLVE: dict[str, Callable[[set[int]], set[int]]] = {
    "programme": lambda ids: _flat(
        programmes_selectors.programmes_in_subtree("").filter(pk__in=ids).values_list("organization_id")
    ),
    "target": lambda ids: _flat(
        programmes_selectors.targets_in_subtree("").filter(pk__in=ids).values_list("programme__organization_id")
    ),
    "budget": lambda ids: _flat(
        funds_selectors.budgets_in_subtree("").filter(pk__in=ids).values_list("organization_id")
    ),
    "allocation": lambda ids: _flat(
        funds_selectors.allocations_in_subtree("")
        .filter(pk__in=ids)
        .values_list("budget__organization_id", "project__organization_id")
    ),
    "showcase": lambda ids: _flat(
        showcase_selectors.showcases_in_subtree("").filter(pk__in=ids).values_list("organization_id")
    ),
    "nomination": lambda ids: _flat(
        showcase_selectors.nominations_with_projects()
        .filter(pk__in=ids)
        .values_list("organization_id", "showcase__organization_id")
    ),
    "project": lambda ids: _flat(
        projects_selectors.projects_in_subtree("").filter(pk__in=ids).values_list("organization_id")
    ),
}


# What each saved or deleted row concerns: its organizations, or rows that lead to them.
def _notes(instance: Any) -> list[tuple[str, int | None]]:
    match instance:
        case Project() | NeedCategory() | Call() | Programme() | Budget() | ProjectWarning() | Showcase():
            return [("organization", instance.organization_id)]
        case Need():
            return [("organization", instance.organization_id), ("organization", instance.area_id)]
        case Section() | Target():
            return [("programme", instance.programme_id)]
        case Claim():
            return [("organization", instance.organization_id), ("target", instance.target_id)]
        case Allocation():
            return [("budget", instance.budget_id), ("project", instance.project_id)]
        case Disbursement():
            return [("allocation", instance.allocation_id)]
        case Nomination():
            return [("organization", instance.organization_id), ("showcase", instance.showcase_id)]
        case Award() | Vote():
            return [("nomination", instance.nomination_id)]
        case ActivityLog():
            return [("organization", instance.organization_id)]
    return []


WATCHED: list[type[Model]] = [
    Project,
    Call,
    Need,
    NeedCategory,
    Programme,
    Section,
    Target,
    Claim,
    Budget,
    Allocation,
    Disbursement,
    ProjectWarning,
    Showcase,
    Nomination,
    Award,
    Vote,
    ActivityLog,
]


def _changed(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    for kind, pk in _notes(instance):
        _note(kind, pk)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"reports-figures-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"reports-figures-delete-{model._meta.label}")
