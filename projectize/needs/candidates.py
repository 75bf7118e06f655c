"""Which needs a similar-need lookup scores: a hundred open needs of the committee at most, chosen in SQL.

A need's stored words (`Need.tokens`) are indexed on PostgreSQL over the open needs only, as
`<committee>:<word>` and as `a<area>:<word>` (migration 0006, `needs_need_place_terms`), so a lookup reads
the posting lists of a few of its words in its own committee or residential area and fetches only the
needs holding them: never the table, another town's or a closed need. The lookup has two parts (`plan`),
each reading its share of `ROWS_READ` rows:

- its rare features, one or another (a synonym group stands for all its words), rarest first until the
  needs they occur in would pass `CANDIDATE_ROWS` by the counts kept on write (`TokenFrequency`): a
  place, a name, an uncommon word find the needs that share them wherever they are;
- its common features, the weightiest of them (a synonym group before a word) together with one of the
  next three, in the query's residential area when it has one: a paraphrase in common words is found
  among the area's needs (another area's need scores at most `OTHER_AREA_FACTOR` of it anyway).

The rows read are ranked by the weight of the query's features their words show, and the best
`CANDIDATE_LIMIT` are scored in full (`similarity.compare`).
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
CANDIDATE_LIMIT = 100
# The needs the chosen words may occur in (by the counts kept on write, which count closed needs too), and
# the rows read at most whatever the counts say.
CANDIDATE_ROWS = 1_500
ROWS_READ = 800
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


# A part of the lookup: lists of features a need must hold one word of each of, and whether it must be of
# the query's residential area. A need is a candidate if it satisfies any part.
Clause = tuple[list[list[str]], bool]


def plan(
    features: Sequence[str], counts: dict[str, int], weight: Callable[[str], float], *, area: bool
) -> list[Clause]:
    """The parts of the lookup: its rare features, one or another, rarest first up to `CANDIDATE_ROWS`
    needs; and its weightiest common feature with one of the next three, in the query's area if it has one."""
    ordered = sorted(features, key=lambda key: (counts.get(key, 0), key))
    # A word no need of the committee has shown yet (a typo, a house number) costs nothing to ask for but
    # says nothing of how common the others are.
    unseen = [key for key in ordered if not counts.get(key)]
    seen = ordered[len(unseen) :]
    rare = list(unseen)
    expected = 0
    for key in seen:
        if expected + counts[key] > CANDIDATE_ROWS:
            break
        rare.append(key)
        expected += counts[key]
    common = seen[len(rare) - len(unseen) :]
    clauses: list[Clause] = [([rare], False)] if rare else []
    if common:
        heaviest = sorted(common, key=lambda key: (-weight(key), counts[key], key))
        lists = [heaviest[:1]] + ([heaviest[1:4]] if len(heaviest) > 1 else [])
        clauses.append((lists, area))
    return clauses


def _holds_any(organization: Organization, words: list[str], area: int | None) -> tuple[str, list[str]]:
    """SQL for needs whose stored words include one of `words`, of the committee or of its residential area,
    and its parameter."""
    prefix = f"a{area}:" if area is not None else f"{organization.pk}:"
    return "needs_need_place_terms(organization_id, area_id, tokens) && %s::text[]", [prefix + w for w in words]


def _clause(organization: Organization, lists: list[list[str]], area: int | None, thesaurus: Thesaurus) -> Any:
    words = [
        list(dict.fromkeys(w for key in keys for w in feature_words(key, thesaurus)))[:QUERY_TERMS] for keys in lists
    ]
    if connection.vendor == "postgresql":
        parts = [_holds_any(organization, each, area) for each in words]
        return " AND ".join(sql for sql, _param in parts), [param for _sql, param in parts]
    match = Q(organization=organization) & (Q(area=area) if area is not None else Q())
    for each in words:
        one = Q()
        for word in each:
            one |= Q(tokens__contains=f" {word} ")
        match &= one
    return match


def read_candidates(
    organization: Organization,
    query: Profile,
    thesaurus: Thesaurus,
    counts: dict[str, int],
    weight: Callable[[str], float],
    *,
    exclude: int | None = None,
) -> list[tuple[Any, ...]]:
    """Rows (`PROFILE_FIELDS`) of the committee's open needs the plan asks for, `ROWS_READ` at most."""
    clauses = plan(list(query.features), counts, weight, area=query.area is not None)
    if not clauses:
        return []
    # Each part reads its share of the rows, so that a word far commoner than its count says (a count kept
    # before staff changed the synonyms) cannot crowd out the other part. No order: the rows a limit lets
    # through are the first found, not all found and sorted.
    share = ROWS_READ // len(clauses)
    rows: dict[int, tuple[Any, ...]] = {}
    for lists, in_area in clauses:
        needs = Need.objects.filter(status__in=OPEN_STATUSES).order_by()
        part = _clause(organization, lists, query.area if in_area else None, thesaurus)
        if connection.vendor == "postgresql":
            # The terms name the committee (or the area); asking for it again, the planner would read its
            # every need from the committee's own index to intersect them.
            needs = needs.filter(RawSQL(part[0], part[1], output_field=BooleanField()))
        else:
            needs = needs.filter(part)
        if exclude is not None:
            needs = needs.exclude(pk=exclude)
        rows.update((row[0], row) for row in needs.values_list(*PROFILE_FIELDS)[:share])
    return list(rows.values())


def candidate_rows(
    organization: Organization,
    query: Profile,
    thesaurus: Thesaurus,
    weight: Callable[[str], float],
    counts: dict[str, int],
    *,
    exclude: int | None = None,
) -> list[tuple[Any, ...]]:
    """Rows (`PROFILE_FIELDS`) of the `CANDIDATE_LIMIT` needs most worth scoring: those whose words show
    most of the query's weight, newer first among equals."""
    rows = read_candidates(organization, query, thesaurus, counts, weight, exclude=exclude)
    word_key = {word: key for key in query.features for word in feature_words(key, thesaurus)}
    weights = {key: weight(key) for key in query.features}

    def rank(row: tuple[Any, ...]) -> tuple[float, int]:
        words = row[-1]
        shared = {word_key[word] for word in words.split() if word in word_key}
        # A long need shows more words by its length alone.
        return sum(weights[key] for key in shared) / math.sqrt(len(words) + 20), row[0]

    rows.sort(key=rank, reverse=True)
    return rows[:CANDIDATE_LIMIT]


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
