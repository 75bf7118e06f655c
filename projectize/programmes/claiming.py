"""The claims side of a target: what the app that takes claims on targets (claims, a layer above) adds here.

A target's life is one table in this app (`workflows.TARGET`), yet most of its steps depend on the claims
made on it: selection starts only once a claim was submitted, the notice only when every claim is decided, the
award makes the project and awards the chosen claims. This app may not import claims. So the claims app
registers, when its own tables load (`claims/workflows.py`, at start-up), its part of each target step (a guard
and an effect) and what counts as a claim made or awarded (conditions on `Target.claims`, for the lists here).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from projectize.orgs.models import User
from projectize.programmes.models import Target


@dataclass(frozen=True)
class StepPart:
    """The claims' part of one target step, run in the step's transaction: what must hold of the target's claims
    first (`guard`, a reason or None), and what the step does to them (`effect`, after the target's own)."""

    guard: Callable[[Target], str | None] | None = None
    effect: Callable[[Target, User, str], None] | None = None


@dataclass(frozen=True)
class Conditions:
    """Conditions on a target's claims, as lookups from `Target` (`claims__...`)."""

    # Claims really made: submitted at some point and not withdrawn (drafts and withdrawn ones are not).
    made: Q
    awarded: Q
    # The lead unit's claim among the awarded ones.
    lead: Q


NOTHING = Q(pk__in=[])
_parts: dict[str, StepPart] = {}
_conditions: list[Conditions] = [Conditions(made=NOTHING, awarded=NOTHING, lead=NOTHING)]


def register(*, conditions: Conditions, steps: Mapping[str, StepPart]) -> None:
    """Called once by the claims app when its tables load."""
    _conditions[0] = conditions
    _parts.update(steps)


def conditions() -> Conditions:
    return _conditions[0]


def guard(step: str, own: Callable[[Target], str | None] | None = None) -> Callable[[Target], str | None]:
    """The step's guard: the target's own condition first, then the claims'. A step that depends on the claims
    is refused while no claims side is registered, rather than taken without it."""

    def check(target: Target) -> str | None:
        if own is not None and (problem := own(target)):
            return problem
        part = _parts.get(step)
        if part is None:
            return _("认领功能未启用，不能执行此操作。")
        return part.guard(target) if part.guard is not None else None

    return check


def effect(step: str, own: Callable[[Target, User, str], None] | None = None) -> Callable[[Target, User, str], None]:
    """The step's effect: the target's own changes, then the claims'."""

    def run(target: Target, actor: User, note: str) -> None:
        if own is not None:
            own(target, actor, note)
        part = _parts.get(step)
        if part is not None and part.effect is not None:
            part.effect(target, actor, note)

    return run
