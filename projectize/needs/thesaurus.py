"""The live thesaurus (staff's synonym groups) and word weights (document frequencies counted on write)."""

import time
from collections.abc import Callable, Iterable
from threading import Lock

from django.db.models import Count, F, Max

from projectize.needs.models import SynonymGroup, TokenFrequency
from projectize.needs.similarity import Profile, Thesaurus, file_groups, idf_from_counts, parse_groups
from projectize.orgs.models import Organization

# Staff edits reach every process within this many seconds, at one small query per period.
REFRESH_SECONDS = 30
_lock = Lock()
_state: dict[str, object] = {"checked": 0.0, "version": None, "thesaurus": None}


def current_thesaurus() -> Thesaurus:
    """Staff's synonym groups (the shipped file until staff have any), rebuilt only when they change."""
    now = time.monotonic()
    cached = _state["thesaurus"]
    if isinstance(cached, Thesaurus) and now - float(_state["checked"]) < REFRESH_SECONDS:  # type: ignore[arg-type]
        return cached
    with _lock:
        version = tuple(SynonymGroup.objects.aggregate(n=Count("id"), at=Max("updated_at")).values())
        if not isinstance(cached, Thesaurus) or version != _state["version"]:
            rows = list(SynonymGroup.objects.values_list("words", flat=True))
            groups = tuple(parse_groups(rows)) if rows else file_groups()
            cached = _state["thesaurus"] = Thesaurus(groups)
            _state["version"] = version
        _state["checked"] = now
    return cached


def forget_thesaurus() -> None:
    _state["thesaurus"] = None


# A large committee's counts move slowly and weigh by their logarithm: a process reuses the counts it read
# for a while, and until the committee's needs have grown by a hundredth. Smaller committees always ask.
CACHED_FROM = 10_000
CACHE_SECONDS = 60
CACHED_FEATURES = 200_000
# Committee → (when its total was last read, that total, the total when its counts were first read, counts).
_counts: dict[int, tuple[float, int, int, dict[str, int]]] = {}


def feature_counts(organization: Organization, features: Iterable[str]) -> tuple[dict[str, int], int]:
    """In how many of the committee's needs each feature occurs, and how many needs there are (one query,
    none when a large committee's counts were all read lately)."""
    wanted = {key[:60] for key in features}
    now = time.monotonic()
    checked, total, base, known = _counts.get(organization.pk, (0.0, 0, 0, {}))
    if now - checked < CACHE_SECONDS and wanted <= known.keys():
        return {key: known[key] for key in wanted}, total
    ask = (wanted - known.keys()) | {""}
    found = dict(
        TokenFrequency.objects.filter(organization=organization, feature__in=ask).values_list("feature", "count")
    )
    current = found.pop("", 0)
    counts = {key: found.get(key, 0) for key in ask if key}
    if abs(current - base) * 100 > current or len(known) > CACHED_FEATURES:
        # Grown (or a new process's first look): what was read before is read again.
        _counts.pop(organization.pk, None)
        if known:
            return feature_counts(organization, wanted)
    if current < CACHED_FROM:
        return counts, current
    known.update(counts)
    _counts[organization.pk] = (now, current, base or current, known)
    return {key: known.get(key, 0) for key in wanted}, current


def forget_counts() -> None:
    _counts.clear()


def idf_lookup(organization: Organization, features: Iterable[str]) -> Callable[[str], float]:
    """IDF of `features` among the committee's needs, from the counts kept on write."""
    return idf_from_counts(*feature_counts(organization, features))


def count_features(organization: Organization, profile: Profile) -> None:
    """A new need adds one to each of its features' document counts (and to the needs' own count)."""
    features = [key[:60] for key in profile.features] + [""]
    rows = TokenFrequency.objects.filter(organization=organization, feature__in=features)
    known = set(rows.values_list("feature", flat=True))
    rows.update(count=F("count") + 1)
    TokenFrequency.objects.bulk_create(
        [TokenFrequency(organization=organization, feature=key, count=1) for key in features if key not in known],
        ignore_conflicts=True,
    )
