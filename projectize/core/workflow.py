"""Declarative state machines.

A process declares its steps once, as a `Workflow` of `Transition`s. The same table decides
which buttons a user sees (`available`), whether a step is allowed (`apply`), what the activity
log records and who is notified. Nothing else may change a workflow's status field.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from projectize.core.activity import as_action, as_choice
from projectize.core.services import log_activity, notify

Predicate = Callable[[Any, Any], bool]


class TransitionError(Exception):
    """A step that the object's state or a guard does not allow. The message is for the user."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: Any
    sources: tuple[str, ...]
    target: str
    # rules predicate (user, obj) -> bool: who may take the step.
    allowed: Predicate
    # obj -> error message or None: what must be true of the object before the step.
    guard: Callable[[Any], str | None] | None = None
    # obj -> users to tell about the step.
    notify: Callable[[Any], Iterable[Any]] | None = None
    # (locked obj, actor, note) -> None: the step's other changes, in the same transaction.
    effect: Callable[[Any, Any, str], None] | None = None
    # obj -> URL of a page with a form for this step, when a note alone is not enough input.
    form_url: Callable[[Any], str] | None = None
    requires_note: bool = False
    # Bootstrap colour of the button: primary, danger, secondary ...
    style: str = "primary"
    # What taking the step will do, said before it is taken: the button first asks for confirmation.
    confirm: Any = None


@dataclass
class Workflow:
    transitions: list[Transition]
    state_field: str = "status"
    _by_name: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name = {t.name: t for t in self.transitions}

    def get(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise TransitionError(_("未知的操作。")) from None

    def available(self, user: Any, obj: Any) -> list[Transition]:
        """Steps the user may take in the object's state; `Transition.guard(obj)` says why one cannot be
        taken now (the buttons show it), and is checked again when applied."""
        state = getattr(obj, self.state_field)
        return [t for t in self.transitions if state in t.sources and t.allowed(user, obj)]

    def apply(
        self,
        obj: models.Model,
        name: str,
        *,
        actor: Any,
        note: str = "",
        on_apply: Callable[[Any], None] | None = None,
    ) -> Any:
        """Take step `name`: lock the row, check state, right and guard, save, log and notify.

        The transition's `effect` and then `on_apply(locked_obj)` (input from a form) make the
        step's other changes inside the same transaction.
        Returns the saved object (a fresh, locked copy, not `obj`).
        """
        transition = self.get(name)
        with transaction.atomic():
            locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
            state = getattr(locked, self.state_field)
            if state not in transition.sources:
                raise TransitionError(
                    _("当前状态为“%(state)s”，不能执行“%(action)s”。")
                    % {"state": self.state_label(locked), "action": transition.label}
                )
            if not transition.allowed(actor, locked):
                raise PermissionDenied(_("您无权执行“%(action)s”。") % {"action": transition.label})
            if transition.requires_note and not note.strip():
                raise TransitionError(_("请填写“%(action)s”的理由。") % {"action": transition.label})
            if transition.guard is not None and (problem := transition.guard(locked)):
                raise TransitionError(problem)
            before = getattr(locked, self.state_field)
            setattr(locked, self.state_field, transition.target)
            if transition.effect is not None:
                transition.effect(locked, actor, note)
            if on_apply is not None:
                on_apply(locked)
            locked.save()
            self._record(locked, transition, actor, note, before)
        return locked

    def _record(self, obj: Any, transition: Transition, actor: Any, note: str, before: str) -> None:
        """Log the step and tell those concerned, as codes and parameters: each reader reads them in
        their own language."""
        code = f"{obj._meta.model_name}.{transition.name}"
        log_activity(
            actor=actor,
            action=code,
            target=obj,
            params={"note": note} if note else None,
            before={self.state_field: as_choice(obj, self.state_field, before)},
            after={self.state_field: as_choice(obj, self.state_field)},
        )
        if transition.notify is not None:
            notify(
                recipients=[u for u in transition.notify(obj) if u != actor],
                verb="workflow.step",
                params={"object": obj, "step": as_action(code), "note": note},
                url=obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
            )

    def done_message(self, obj: Any, name: str) -> str:
        """What the person who took the step is told: what happened, to what."""
        return _("已%(action)s“%(object)s”。") % {"action": self.get(name).label, "object": obj}

    def state_label(self, obj: Any, value: Any = None) -> str:
        """The label of `value` (by default, the object's current state) in the active language."""
        value = getattr(obj, self.state_field) if value is None else value
        choices = dict(obj._meta.get_field(self.state_field).flatchoices)
        return str(choices.get(value, value))
