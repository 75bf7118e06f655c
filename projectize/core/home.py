"""The home page gathers "cards" (counts of one's work, with a link) from every app.

An app that has work to show defines `home.cards(user) -> list[Card]` in its own `home.py`.
"""

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class Card:
    title: str
    count: int
    url: str
    hint: str = ""
    # Bootstrap contextual colour: "danger" for overdue work, "primary" for work waiting on you.
    tone: str = "secondary"


def collect_cards(user: Any) -> list[Card]:
    cards: list[Card] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("projectize.") or config.name == "projectize.core":
            continue
        try:
            module = import_module(f"{config.name}.home")
        except ModuleNotFoundError:
            continue
        cards.extend(module.cards(user))
    return cards
