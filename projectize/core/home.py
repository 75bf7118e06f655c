"""The home page gathers "cards" (counts of one's work, with a link) from every app.

An app that has work to show defines `home.cards(user) -> list[Card]` in its own `home.py`. An app that must
send someone elsewhere before the workbench (a new installation's first run) defines `home.start(user)`,
the address to go to, or None.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType

from django.apps import apps

from projectize.core.typing import User


@dataclass(frozen=True)
class Card:
    title: str
    count: int
    url: str
    hint: str = ""
    # Bootstrap contextual colour: "danger" for overdue work, "primary" for work waiting on you.
    tone: str = "secondary"


def _home_modules() -> Iterator[ModuleType]:
    for config in apps.get_app_configs():
        if not config.name.startswith("projectize.") or config.name == "projectize.core":
            continue
        try:
            yield import_module(f"{config.name}.home")
        except ModuleNotFoundError:
            continue


def collect_cards(user: User) -> list[Card]:
    cards: list[Card] = []
    for module in _home_modules():
        if hasattr(module, "cards"):
            cards.extend(module.cards(user))
    return cards


def start_page(user: User) -> str | None:
    """Where the user must go before the workbench, if an app says so."""
    for module in _home_modules():
        if hasattr(module, "start") and (url := module.start(user)):
            return str(url)
    return None
