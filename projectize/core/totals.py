"""Totals counted ahead by one app and shown by another: the public home page's outcome counters come from
the dashboard's roll-up. The app that counts them (reports) registers a source at start-up; a page asks for
the totals by name and counts them itself when no source has them (none registered, or not counted yet).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Totals:
    values: dict[str, int]
    # When they were counted: pages say how fresh they are.
    counted_at: datetime


_sources: dict[str, Callable[[], Totals | None]] = {}


def register(name: str, source: Callable[[], Totals | None]) -> None:
    _sources[name] = source


def read(name: str) -> Totals | None:
    source = _sources.get(name)
    return source() if source is not None else None
