"""The states of a process, with what the pages need to know of them.

A process's status choices derive from `StatusChoices` and say once, with `@states(...)`, each state's
badge colour (`tones`) and the named groups of states that services, selectors and templates ask about
(`groups`, e.g. "running").
"""

from collections.abc import Callable, Mapping
from typing import ClassVar, TypeVar

from django.db import models


class StatusChoices(models.TextChoices):
    # Bootstrap colour of each state's badge; states not named are "secondary".
    tones: ClassVar[Mapping[str, str]]
    # Named groups of states: {"running": ("in_progress", "rectifying")}.
    groups: ClassVar[Mapping[str, tuple[str, ...]]]

    @classmethod
    def tone(cls, value: str) -> str:
        return getattr(cls, "tones", {}).get(value, "secondary")

    @classmethod
    def group(cls, name: str) -> tuple[str, ...]:
        """The states in group `name`, for `status__in=` filters and membership tests."""
        found: tuple[str, ...] | None = getattr(cls, "groups", {}).get(name)
        if found is None:
            raise KeyError(f"{cls.__name__} has no group {name!r}")
        return found


Choices = TypeVar("Choices", bound=type[StatusChoices])


def states(
    *, tones: Mapping[str, str] | None = None, groups: Mapping[str, tuple[str, ...]] | None = None
) -> Callable[[Choices], Choices]:
    """Class decorator: the tones and groups of a `StatusChoices` (enum bodies cannot hold them)."""

    def decorate(cls: Choices) -> Choices:
        unknown = {*(tones or {}), *(s for group in (groups or {}).values() for s in group)} - {
            member.value for member in cls
        }
        if unknown:
            raise ValueError(f"{cls.__name__}: unknown states {sorted(unknown)}")
        cls.tones = dict(tones or {})
        cls.groups = dict(groups or {})
        return cls

    return decorate
