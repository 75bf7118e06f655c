"""Which organization each row belongs to, found from the app registry: a new model is classified without
touching the isolation test, or the test says it has not been."""

import hashlib
from collections import deque

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models

from projectize.orgs.models import Organization, User

# Models that belong to no organization, and why. A model with no way to an organization that is not named
# here fails the test: decide where it belongs before it holds anything a town could leak.
GLOBAL_MODELS = {
    "orgs.User": "a person may hold roles in several towns; who sees an account is orgs.selectors.visible_users",
    "orgs.PasswordRecord": "a person's own password history, read by no page",
    "core.Notification": "a message to one person, shown only to its recipient",
    "core.Attachment": "held through its target (any model): its page admits whoever may see the target",
    "core.Job": "a background job, shown only to the person who started it",
    "core.RateCounter": "counts requests per address and purpose, read by no page",
    "needs.SynonymGroup": "the thesaurus of Chinese words the duplicate finder uses, shared by every town",
    "projects.CodeCounter": "a sequence per code prefix; each town's prefix (SJ-2026-CX) keeps its numbers apart",
}
# Tables counted again from the others whenever a page asks (the dashboard's roll-ups): their rows change as
# pages are read, and no person writes them. They are left out of the fingerprint, not out of the coverage.
DERIVED_MODELS = {"reports.Tally", "reports.OrganizationFigure", "reports.Refresh"}
# The way from a model to its organization is its nearest foreign key to one, in declared order; these
# links are not the owner (a need's residential area, the unit that reported it, an application's assessor).
NOT_OWNER = {"secretary", "area", "source_organization", "copied_from", "reverses", "seeded_from", "merged_into"}
NOT_FOLLOWED = (User, ContentType)
MAX_HOPS = 4


def owner_lookups() -> dict[type[models.Model], str | None]:
    """For every model of the project, the lookup to the organization its rows belong to ("" for an
    organization itself), or None when there is none within a few foreign keys."""
    found: dict[type[models.Model], str | None] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("projectize.") or model._meta.proxy:
            continue
        found[model] = "" if model is Organization else _lookup(model)
    return found


def _lookup(model: type[models.Model]) -> str | None:
    queue: deque[tuple[type[models.Model], str, int]] = deque([(model, "", 0)])
    while queue:
        current, prefix, hops = queue.popleft()
        if hops == MAX_HOPS:
            continue
        for field in current._meta.concrete_fields:
            if not field.is_relation or field.name in NOT_OWNER:
                continue
            target = field.related_model
            lookup = f"{prefix}{field.name}"
            if target is Organization:
                return lookup
            if isinstance(target, type) and issubclass(target, models.Model) and not issubclass(target, NOT_FOLLOWED):
                queue.append((target, f"{lookup}__", hops + 1))
    return None


def label(model: type[models.Model]) -> str:
    return model._meta.label


def rows_of(model: type[models.Model], lookup: str, path: str) -> models.QuerySet:
    """The model's rows that belong to the subtree at `path`."""
    key = f"{lookup}__path__startswith" if lookup else "path__startswith"
    return model._default_manager.filter(**{key: path})


def fingerprint(lookups: dict[type[models.Model], str | None], path: str) -> dict[str, str]:
    """Every row of every model that belongs to the subtree, hashed per model: any change shows."""
    prints = {}
    for model, lookup in lookups.items():
        if lookup is None or label(model) in DERIVED_MODELS:
            continue
        names = [field.attname for field in model._meta.concrete_fields]
        rows = rows_of(model, lookup, path).order_by("pk").values_list(*names)
        digest = hashlib.sha256()
        for row in rows.iterator(chunk_size=2000):
            digest.update(repr(row).encode())
        prints[label(model)] = digest.hexdigest()
    return prints
