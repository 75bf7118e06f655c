"""Which needs a similar-need lookup scores: a few hundred open needs of the committee, chosen in SQL.

A need's stored words (`Need.tokens`) are indexed on PostgreSQL as `<committee>:<word>` terms over the
open needs only (migration 0004, `needs_need_terms`), so the database reads the posting lists of a few of
the query's words in its own committee and fetches only the needs holding one of them. Which words: the
query's rarest features first (a synonym group stands for all its words), counted on write
(`TokenFrequency`), until the needs they occur in would pass `CANDIDATE_ROWS`. A query of generic words
only asks for needs holding its two rarest features together. The rows found are ranked by the weight of
the query's features they share and the best `CANDIDATE_LIMIT` are scored in full (`similarity.compare`).
"""

import math
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from projectize.needs.models import Need, NeedStatus
from projectize.needs.similarity import (
    Match,
    Profile,
    Thesaurus,
    compare,
    feature_weight,
    idf_from_counts,
    profile_features,
)
from projectize.needs.thesaurus import feature_counts, idf_lookup
from projectize.orgs.models import Organization

# At most this many needs are scored in full per lookup.
CANDIDATE_LIMIT = 200
# The needs the chosen words occur in (by the counts kept on write), and the rows read at most whatever the
# counts say (counts are of all the committee's needs; the index holds only the open ones).
CANDIDATE_ROWS = 2_000
ROWS_READ = 3_000
# How many words one lookup asks the index for at most.
QUERY_TERMS = 60
OPEN_STATUSES = NeedStatus.group("open")

PROFILE_FIELDS = ("pk", "title", "description", "area_id", "location", "category_id", "created_at", "tokens")


def row_profile(row: Sequence[Any]) -> Profile:
    _pk, title, description, area, location, category, created_at, tokens = row
    return Profile(
        title=title,
        text=description,
        area=area,
        location=location,
        category=category,
        date=timezone.localdate(created_at),
        words=tokens.split(),
    )


def feature_words(key: str, thesaurus: Thesaurus) -> tuple[str, ...]:
    """The stored words that show a feature: every word of a synonym group, or the word itself."""
    return thesaurus.groups[int(key[2:])] if key.startswith("c:") else (key[2:],)


def plan(features: Sequence[str], counts: dict[str, int]) -> list[list[str]]:
    """The features to ask for: one list whose needs are taken if they hold any of them (rarest first, up
    to `CANDIDATE_ROWS` needs), or, when even the rarest is generic, two lists whose needs must hold both."""
    ordered = sorted(features, key=lambda key: (counts.get(key, 0), key))
    if not ordered:
        return []
    if counts.get(ordered[0], 0) > CANDIDATE_ROWS and len(ordered) > 1:
        return [[ordered[0]], [ordered[1]]]
    chosen: list[str] = []
    expected = 0
    for key in ordered:
        if chosen and expected + counts.get(key, 0) > CANDIDATE_ROWS:
            break
        chosen.append(key)
        expected += counts.get(key, 0)
    return [chosen]


def _holds_any(organization: Organization, words: list[str]) -> Q | RawSQL:
    """Needs whose stored words include one of `words` (the committee's open needs' index on PostgreSQL)."""
    if connection.vendor == "postgresql":
        return RawSQL(
            "needs_need_terms(organization_id, tokens) && %s::text[]",
            ([f"{organization.pk}:{word}" for word in words],),
            output_field=BooleanField(),
        )
    match = Q()
    for word in words:
        match |= Q(tokens__contains=f" {word} ")
    return match


def read_candidates(
    organization: Organization,
    query: Profile,
    thesaurus: Thesaurus,
    counts: dict[str, int],
    *,
    exclude: int | None = None,
) -> list[tuple[int, str]]:
    """(pk, words) of the committee's open needs holding the planned words, `ROWS_READ` at most."""
    lists = plan(list(query.features), counts)
    if not lists:
        return []
    needs = Need.objects.filter(organization=organization, status__in=OPEN_STATUSES)
    for keys in lists:
        words = list(dict.fromkeys(word for key in keys for word in feature_words(key, thesaurus)))[:QUERY_TERMS]
        needs = needs.filter(_holds_any(organization, words))
    if exclude is not None:
        needs = needs.exclude(pk=exclude)
    return list(needs.values_list("pk", "tokens")[:ROWS_READ])


def candidate_rows(
    organization: Organization,
    query: Profile,
    thesaurus: Thesaurus,
    weight: Callable[[str], float],
    counts: dict[str, int],
    *,
    exclude: int | None = None,
) -> list[tuple[Any, ...]]:
    """Rows (`PROFILE_FIELDS`) of the `CANDIDATE_LIMIT` needs most worth scoring: those sharing most of the
    query's weight (by their stored words), newer first among equals."""
    found = read_candidates(organization, query, thesaurus, counts, exclude=exclude)
    word_key = {word: key for key in query.features for word in feature_words(key, thesaurus)}
    weights = {key: weight(key) for key in query.features}

    def rank(row: tuple[int, str]) -> tuple[float, int]:
        shared = {word_key[word] for word in row[1].split() if word in word_key}
        # A long need shares more words by its length alone.
        return sum(weights[key] for key in shared) / math.sqrt(len(row[1]) + 20), row[0]

    best = [pk for pk, _words in sorted(found, key=rank, reverse=True)[:CANDIDATE_LIMIT]]
    if not best:
        return []
    return list(Need.objects.filter(pk__in=best).values_list(*PROFILE_FIELDS))


def best_matches(
    organization: Organization,
    query: Profile,
    thesaurus: Thesaurus,
    *,
    exclude: int | None = None,
    threshold: float,
    limit: int,
) -> list[tuple[int, Match]]:
    """The open needs at or above `threshold` against `query`, best first: (pk, match)."""
    if not query.features:
        return []
    counts, total = feature_counts(organization, query.features)
    rough = idf_from_counts(counts, total)
    rows = candidate_rows(
        organization, query, thesaurus, lambda key: feature_weight(key, rough), counts, exclude=exclude
    )
    profiled = [(row[0], profile_features(row_profile(row), thesaurus)) for row in rows]
    idf = idf_lookup(organization, {key for _pk, profile in profiled for key in profile.features} | set(query.features))
    matches = [(pk, compare(query, profile, idf=idf, thesaurus=thesaurus)) for pk, profile in profiled]
    found = [(pk, match) for pk, match in matches if match.score >= threshold]
    found.sort(key=lambda pair: pair[1].score, reverse=True)
    return found[:limit]
