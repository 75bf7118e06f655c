"""Totals counted ahead by one app and shown by another: the public home page's outcome counters come from
the dashboard's roll-up. The app that counts them (reports) registers a source at start-up; a page asks for
the totals by name and counts them itself when no source has them (none registered, or not counted yet).
Figures of several organizations at once (a district portal's towns) are asked for the same way.
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


# Figures of each of the given organizations, or None while any of them is not counted yet.
PerOrganization = Callable[[list[int]], dict[int, dict[str, int]] | None]
_per_organization: dict[str, PerOrganization] = {}


def register_per_organization(name: str, source: PerOrganization) -> None:
    _per_organization[name] = source


def read_per_organization(name: str, organization_ids: list[int]) -> dict[int, dict[str, int]] | None:
    source = _per_organization.get(name)
    return source(organization_ids) if source is not None else None
