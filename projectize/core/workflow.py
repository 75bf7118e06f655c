"""Declarative state machines.

A process declares its steps once, as a `Workflow` of `Transition`s in its app's `workflows.py`. The
same table decides which buttons a user sees (`available`), whether a step is allowed (`apply`), what
the activity log records, who is notified and what each person should do next (`next_step`). Nothing
else may change a workflow's state field (tests/test_architecture.py scans the code for it).

Each table registers itself with its model: `workflow_for(obj)` finds it, so models import nothing
from the services their steps call.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from projectize.core.activity import as_action, as_choice, register_steps
from projectize.core.choices import StatusChoices
from projectize.core.services import log_activity, notify
from projectize.core.typing import User

Predicate = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class NextStep:
    """The one thing a person should do next about an object, shown at the top of its page."""

    text: str
    url: str = ""
    tone: str = "primary"


# What those who cannot take a step in a state are told: a text, or (user, obj) -> NextStep | None.
Waiting = Any


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
    # saved obj -> facts of the step for its log entry, as codes and numbers (see core.activity's sentences).
    log_params: Callable[[Any], dict[str, Any]] | None = None
    # The next-step hint shown to those who may take the step ("请开始评审并指派评审专家。").
    hint: Any = None


_registry: dict[type[models.Model], "Workflow"] = {}


def workflow_for(model: type[models.Model] | models.Model) -> "Workflow":
    """The table of a model (or of an object's model). KeyError for a model without one."""
    model_class = model if isinstance(model, type) else type(model)
    return _registry[model_class._meta.concrete_model or model_class]


def registered_workflows() -> list["Workflow"]:
    return list(_registry.values())


@dataclass
class Workflow:
    model: type[models.Model]
    # The status choices: their groups and tones.
    states: type[StatusChoices]
    transitions: list[Transition]
    # user -> the objects the user may see; the generic step endpoint answers 404 outside it.
    scope: Callable[[Any], models.QuerySet[Any]]
    state_field: str = "status"
    # Per state, what those who cannot act are told (see `next_step`).
    waiting: Mapping[str, Waiting] = field(default_factory=dict)
    _by_name: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name = {t.name: t for t in self.transitions}
        if self.model in _registry:
            raise RuntimeError(f"{self.model.__name__} has two workflows")
        _registry[self.model] = self
        register_steps({f"{self.model._meta.model_name}.{t.name}": t.label for t in self.transitions})

    def in_group(self, obj: Any, group: str) -> bool:
        return getattr(obj, self.state_field) in self.states.group(group)

    def get(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise TransitionError(_("未知的操作。")) from None

    def available(self, user: User, obj: Any) -> list[Transition]:
        """Steps the user may take in the object's state; `Transition.guard(obj)` says why one cannot be
        taken now (the buttons show it), and is checked again when applied."""
        state = getattr(obj, self.state_field)
        return [t for t in self.transitions if state in t.sources and t.allowed(user, obj)]

    def next_step(self, user: User, obj: Any) -> NextStep | None:
        """What `user` should do next: the hint of the first step they may take now, else what the state's
        `waiting` entry says to them."""
        for step in self.available(user, obj):
            if step.hint is not None and not (step.guard is not None and step.guard(obj)):
                return NextStep(str(step.hint), step.form_url(obj) if step.form_url else "#actions")
        waiting = self.waiting.get(getattr(obj, self.state_field))
        if waiting is None:
            return None
        if callable(waiting):
            found: NextStep | None = waiting(user, obj)
            return found
        return NextStep(str(waiting), tone="info")

    def apply(
        self,
        obj: models.Model,
        name: str,
        *,
        actor: User,
        note: str = "",
        on_apply: Callable[[Any], None] | None = None,
    ) -> Any:
        """Take step `name`: lock the row, check state, right and guard, save, log and notify.

        The transition's `effect` and then `on_apply(locked_obj)` (input from a form) make the
        step's other changes inside the same transaction.
        Returns the saved object (a fresh, locked copy, not `obj`).
        """
        transition = self.get(name)
        if transition.form_url is not None and on_apply is None:
            # The step's form gives input its effects rely on (a record to create, a summary to check).
            raise TransitionError(_("“%(action)s”需在其表单中填写后提交。") % {"action": transition.label})
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

    def _record(self, obj: Any, transition: Transition, actor: User, note: str, before: str) -> None:
        """Log the step and tell those concerned, as codes and parameters: each reader reads them in
        their own language."""
        code = f"{obj._meta.model_name}.{transition.name}"
        log_activity(
            actor=actor,
            action=code,
            target=obj,
            params={**(transition.log_params(obj) if transition.log_params else {}), **({"note": note} if note else {})}
            or None,
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
