"""How alike two residents' needs are: wording (words, synonyms, characters) and place, category and date.

A need is read three ways. Its jieba words (kept in `Need.tokens` on write), the synonym groups its text
mentions (the field's own thesaurus, so 卫生服务站 meets 社区医院 though they share no word), and its
character pairs (so two texts jieba cuts differently still meet). Rare words weigh more than generic ones
(inverse document frequency). The wording score is then moved by the structured fields: another
residential area makes the same words another community's problem.

Everything here is pure and in memory; `selectors.similar_needs` narrows candidates in SQL first.
"""

import datetime
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

# Words that say nothing about what the need is.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "是",
        "有",
        "我",
        "我们",
        "你",
        "他",
        "她",
        "它",
        "这",
        "那",
        "这个",
        "那个",
        "一个",
        "没有",
        "希望",
        "建议",
        "能否",
        "能不能",
        "可以",
        "需要",
        "问题",
        "情况",
        "现在",
        "目前",
        "经常",
        "非常",
        "比较",
        "很多",
        "一些",
        "还是",
        "就是",
        "因为",
        "所以",
        "但是",
        "如果",
        "附近",
        "居民",
        "小区",
        "盼望",
        "太",
        "很",
        "都",
        "也",
        "就",
        "要",
        "不",
        "能",
        "会",
        "让",
        "把",
        "被",
        "给",
        "还",
        "又",
        "只",
        "着",
        "过",
        "吧",
        "呢",
        "啊",
        "好",
        "多",
        "大",
        "小",
        "个",
        "人",
        "家",
        "里",
        "上",
        "下",
        "去",
        "来",
        "到",
        "说",
        "想",
        "每天",
        "每次",
        "一直",
    ]
)
WORD = re.compile(r"\w")
NOT_TEXT = re.compile(r"[\W_\d]+")
THESAURUS_FILE = Path(__file__).parent / "data" / "synonyms.txt"

# A pair at or above this combined score is a likely duplicate (measured by `manage.py evaluate_similarity`).
DEFAULT_THRESHOLD = 0.45
# Residents and staff are shown somewhat less certain matches too: they decide.
SHOWN_THRESHOLD = 0.35
# Of the wording score, the part carried by words and synonyms; the rest is character pairs.
LEXICAL_WEIGHT = 0.75
# Same words about another residential area: another community's problem, not this one.
OTHER_AREA_FACTOR = 0.45
UNKNOWN_AREA_FACTOR = 0.85
CATEGORY_BONUS = 0.05
# A synonym group names what the need is about; it outweighs a stray word.
CONCEPT_BOOST = 5.0
NEAR_LOCATION_BONUS = 0.1
STALE_DAYS = 365
STALE_FACTOR = 0.9
# A feature no need has carried yet weighs like one in this many documents.
DEFAULT_IDF = math.log(50)
# How many needs' features a process keeps (a few tens of megabytes at most).
SEEN_TEXTS = 50_000


@cache
def _jieba() -> Any:
    # Imported on first use or at start-up (`warm`): loading jieba's dictionary slows every `manage.py` start.
    import jieba

    jieba.setLogLevel(60)
    for words in file_groups():
        for word in words:
            jieba.add_word(word)
    return jieba


def tokenize(text: str) -> list[str]:
    """Distinct meaningful words of `text`, in order of first appearance."""
    seen: dict[str, None] = {}
    for word in _jieba().cut_for_search(text.lower()):
        word = word.strip()
        if len(word) < 2 or word in STOPWORDS or not WORD.search(word):
            continue
        seen.setdefault(word, None)
    return list(seen)


def token_text(title: str, description: str) -> str:
    # Padded with spaces so a whole word is found with `contains(" word ")`.
    return " " + " ".join(tokenize(f"{title} {description}")) + " "


def overlap(a: Iterable[str], b: Iterable[str]) -> float:
    """Shared items over the smaller set: a short text inside a longer one scores high."""
    left, right = set(a), set(b)
    if not left or not right:
        return 0.0
    return len(left & right) / min(len(left), len(right))


def bigrams(text: str) -> set[str]:
    """Pairs of adjacent characters, punctuation and digits left out."""
    pairs: set[str] = set()
    for run in NOT_TEXT.split(text.lower()):
        pairs.update(run[i : i + 2] for i in range(len(run) - 1))
    return pairs


def parse_groups(lines: Iterable[str]) -> list[tuple[str, ...]]:
    """Synonym groups from lines of space-separated words; `#` starts a comment line."""
    groups = []
    for line in lines:
        words = tuple(dict.fromkeys(w for w in line.split() if w))
        if words and not line.lstrip().startswith("#") and len(words) > 1:
            groups.append(words)
    return groups


@cache
def file_groups() -> tuple[tuple[str, ...], ...]:
    return tuple(parse_groups(THESAURUS_FILE.read_text(encoding="utf-8").splitlines()))


@dataclass(frozen=True)
class Thesaurus:
    """Synonym groups, found in a text by one regular-expression pass (longest word first)."""

    groups: tuple[tuple[str, ...], ...]
    index: Mapping[str, frozenset[int]] = field(init=False)
    pattern: re.Pattern[str] | None = field(init=False)
    # Features of texts already read, so the needs every lookup meets are read once per process.
    seen: dict[tuple[str, ...], tuple[dict[str, set[str]], set[str], set[str]]] = field(
        init=False, default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        index: dict[str, set[int]] = {}
        for number, words in enumerate(self.groups):
            for word in words:
                index.setdefault(word, set()).add(number)
        longest_first = sorted(index, key=len, reverse=True)
        object.__setattr__(self, "index", {w: frozenset(g) for w, g in index.items()})
        pattern = re.compile("|".join(map(re.escape, longest_first))) if longest_first else None
        object.__setattr__(self, "pattern", pattern)

    def mentions(self, text: str) -> dict[int, set[str]]:
        """Group number → the words of that group the text uses."""
        found: dict[int, set[str]] = {}
        if self.pattern is None:
            return found
        for word in self.pattern.findall(text):
            for group in self.index[word]:
                found.setdefault(group, set()).add(word)
        return found

    def name(self, group: int) -> str:
        return self.groups[group][0]

    def members(self, words: Iterable[str]) -> set[str]:
        """Every word sharing a group with one of `words` (for narrowing candidates by synonyms)."""
        out: set[str] = set()
        for word in words:
            for group in self.index.get(word, ()):
                out.update(self.groups[group])
        return out


@dataclass
class Profile:
    """What the scoring reads of one need."""

    title: str
    text: str
    area: Any = None
    location: str = ""
    category: Any = None
    date: datetime.date | None = None
    words: list[str] | None = None
    # Filled by `profile_features`.
    features: dict[str, set[str]] = field(default_factory=dict)
    chars: set[str] = field(default_factory=set)
    place_chars: set[str] = field(default_factory=set)


def profile_features(profile: Profile, thesaurus: Thesaurus) -> Profile:
    """Feature → the words behind it: `c:<group>` for a synonym group, `w:<word>` for any other word."""
    key = (profile.title, profile.text, profile.location, " ".join(profile.words or ()))
    if key in thesaurus.seen:
        profile.features, profile.chars, profile.place_chars = thesaurus.seen[key]
        return profile
    body = f"{profile.title} {profile.text}"
    mentions = thesaurus.mentions(body)
    covered = {word for words in mentions.values() for word in words}
    features: dict[str, set[str]] = {f"c:{group}": words for group, words in mentions.items()}
    words = profile.words if profile.words is not None else tokenize(body)
    for word in words:
        if word not in covered and not any(word in c for c in covered):
            features.setdefault(f"w:{word}", set()).add(word)
    profile.features = features
    profile.chars = bigrams(body) - bigrams(profile.location)
    profile.place_chars = bigrams(profile.location)
    if len(thesaurus.seen) >= SEEN_TEXTS:
        thesaurus.seen.clear()
    thesaurus.seen[key] = (profile.features, profile.chars, profile.place_chars)
    return profile


# A reason is a code and its words, worded in the reader's language when shown (pairs keep them stored).
Reason = tuple[str, dict[str, str]]
REASON_WORDING = {
    "same_area": _("同一小区"),
    "near": _("位置相近"),
    "same_category": _("同一类别"),
    "synonym": _("同义：%(a)s≈%(b)s"),
    "word": _("相同词：%(word)s"),
}


def describe(reasons: Iterable[Sequence[Any]]) -> list[str]:
    """The reasons as a person reads them, in the active language."""
    return [str(REASON_WORDING[code]) % params if params else str(REASON_WORDING[code]) for code, params in reasons]


@dataclass
class Match:
    score: float
    reasons: list[Reason]

    @property
    def shown(self) -> list[str]:
        return describe(self.reasons)


def _ratio(shared: float, wa: float, wb: float) -> float:
    """What both share over the lighter side's weight (between the overlap coefficient and cosine)."""
    return shared / math.sqrt(min(wa, wb) * (wa + wb) / 2) if wa and wb else 0.0


def _weighted_overlap(left: Iterable[str], right: Iterable[str], weight: Callable[[str], float]) -> float:
    a, b = set(left), set(right)
    if not a or not b:
        return 0.0
    return _ratio(sum(weight(k) for k in a & b), sum(weight(k) for k in a), sum(weight(k) for k in b))


def feature_weight(key: str, idf: Callable[[str], float]) -> float:
    """A feature's weight: rarer weighs more, and a synonym group more than a stray word."""
    return idf(key) * (CONCEPT_BOOST if key.startswith("c:") else 1)


def compare(
    query: Profile,
    other: Profile,
    *,
    idf: Callable[[str], float],
    thesaurus: Thesaurus,
) -> Match:
    """The combined score of two needs and the reasons a person would give for it."""
    lexical = _weighted_overlap(query.features, other.features, lambda key: feature_weight(key, idf))
    chars = _ratio(len(query.chars & other.chars), len(query.chars), len(other.chars))
    # The square root spreads the low end, where paraphrases sharing one or two groups lie.
    score = math.sqrt(LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * chars)
    reasons: list[Reason] = []
    if query.area is not None and other.area is not None:
        if query.area == other.area:
            reasons.append(("same_area", {}))
            if overlap(query.place_chars, other.place_chars) >= 0.5:
                score += NEAR_LOCATION_BONUS * score
                reasons.append(("near", {}))
        else:
            score *= OTHER_AREA_FACTOR
    else:
        score *= UNKNOWN_AREA_FACTOR
    if query.category is not None and query.category == other.category:
        score += CATEGORY_BONUS * score
        reasons.append(("same_category", {}))
    if query.date and other.date and abs((query.date - other.date).days) > STALE_DAYS:
        score *= STALE_FACTOR
    shared = sorted(set(query.features) & set(other.features), key=idf, reverse=True)
    for key in shared[:3]:
        mine, theirs = query.features[key], other.features[key]
        if key.startswith("c:") and not mine & theirs:
            reasons.append(("synonym", {"a": min(mine, key=len), "b": min(theirs, key=len)}))
        else:
            reasons.append(("word", {"word": min(mine & theirs or mine, key=len)}))
    return Match(min(score, 1.0), reasons)


def corpus_idf(profiles: Iterable[Profile]) -> Callable[[str], float]:
    """Inverse document frequency of each feature over `profiles` (for the evaluation set)."""
    counts: dict[str, int] = {}
    total = 0
    for profile in profiles:
        total += 1
        for key in profile.features:
            counts[key] = counts.get(key, 0) + 1
    return idf_from_counts(counts, total)


def idf_from_counts(counts: Mapping[str, int], total: int) -> Callable[[str], float]:
    known: dict[str, float] = {}

    def idf(key: str) -> float:
        if key not in known:
            seen = counts.get(key, 0)
            known[key] = math.log((total + 1) / (seen + 1)) + 1 if seen else DEFAULT_IDF
        return known[key]

    return idf


def warm() -> None:
    """Load jieba's dictionary and compile the shipped thesaurus now, so that no request pays for it."""
    tokenize("预热")
    Thesaurus(file_groups()).mentions("预热")
