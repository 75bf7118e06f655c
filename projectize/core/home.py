"""The home page gathers "cards" (counts of one's work, with a link) from every app.

An app that has work to show defines `home.cards(user) -> list[Card]` in its own `home.py`. An app that must
send someone elsewhere before the workbench (a new installation's first run) defines `home.start(user)`,
the address to go to, or None.

Counting every app's cards takes a query or two each; a person's cards are kept in the figures cache for
FIGURES_CACHE_SECONDS and counted again as soon as anything is written to the activity log (each write
moves a version number the cache keys carry), so a returning visit costs no counting and an action shows
at once (in every server process with Redis; without it, in the process that wrote it, and in the others
within FIGURES_CACHE_SECONDS).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.utils import translation

from projectize.core.typing import User

VERSION_KEY = "home-cards:version"


@dataclass(frozen=True)
class Card:
    title: str
    count: int
    url: str
    hint: str = ""
    # Bootstrap contextual colour: "danger" for overdue work, "primary" for work waiting on you.
    tone: str = "secondary"
    # The count stopped at its cap and there are more (shown "N+").
    more: bool = False


def _home_modules() -> Iterator[ModuleType]:
    for config in apps.get_app_configs():
        if not config.name.startswith("projectize.") or config.name == "projectize.core":
            continue
        try:
            yield import_module(f"{config.name}.home")
        except ModuleNotFoundError:
            continue


def collect_cards(user: User) -> list[Card]:
    cache = caches["figures"]
    version = cache.get_or_set(VERSION_KEY, 0, None)
    key = f"home-cards:{version}:{user.pk}:{translation.get_language()}"
    cards: list[Card] | None = cache.get(key)
    if cards is None:
        cards = []
        for module in _home_modules():
            if hasattr(module, "cards"):
                cards.extend(module.cards(user))
        cache.set(key, cards, settings.FIGURES_CACHE_SECONDS)
    return cards


def cards_changed(**kwargs: object) -> None:
    """Something was written: everyone's cards are counted again on their next visit."""
    cache = caches["figures"]
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def start_page(user: User) -> str | None:
    """Where the user must go before the workbench, if an app says so."""
    for module in _home_modules():
        if hasattr(module, "start") and (url := module.start(user)):
            return str(url)
    return None
