"""Chinese text similarity for duplicate needs: jieba word tokens and their overlap.

Works the same on SQLite and PostgreSQL: each need keeps its tokens in a text column; candidates
are found in the database by their rarest shared tokens, then scored here, a bounded handful at a time.
"""

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from django.db.models import Q, QuerySet

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
    ]
)
WORD = re.compile(r"\w")
# How many candidates are scored per query, and how close counts as similar.
CANDIDATE_LIMIT = 200
MIN_SCORE = 0.2
QUERY_TOKENS = 8


@cache
def _jieba() -> Any:
    # Imported on first use: loading jieba and its dictionary slows every `manage.py` start.
    import jieba

    jieba.setLogLevel(60)
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
    """Shared words over the smaller set: a short need inside a longer one scores high."""
    left, right = set(a), set(b)
    if not left or not right:
        return 0.0
    return len(left & right) / min(len(left), len(right))


def similar(queryset: QuerySet[Any], text: str, *, limit: int = 5) -> list[tuple[Any, float]]:
    """The needs of `queryset` most like `text`, best first, with their scores."""
    words = tokenize(text)
    if not words:
        return []
    # Longer words are rarer and say more; they pick the candidates.
    picked = sorted(words, key=len, reverse=True)[:QUERY_TOKENS]
    match = Q()
    for word in picked:
        match |= Q(tokens__contains=f" {word} ")
    candidates = queryset.filter(match).order_by("-created_at")[:CANDIDATE_LIMIT]
    scored = [(need, overlap(words, need.tokens.split())) for need in candidates]
    scored = [(need, score) for need, score in scored if score >= MIN_SCORE]
    scored.sort(key=lambda pair: pair[1], reverse=True)
    return scored[:limit]
