"""Measuring duplicate detection on the project's own labelled pairs.

Two sets: `tuning` (data/similarity_pairs.jsonl), on which the thresholds, weights and synonym groups were
chosen, and `heldout` (data/similarity_heldout.jsonl), written afterwards by another hand in other places
and never used to choose anything: its figures say how the matching does on needs it was not fitted to.
"""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from projectize.needs.similarity import (
    DEFAULT_THRESHOLD,
    Profile,
    Thesaurus,
    compare,
    corpus_idf,
    file_groups,
    profile_features,
)

PAIRS_FILE = Path(__file__).parent / "data" / "similarity_pairs.jsonl"
HELDOUT_FILE = Path(__file__).parent / "data" / "similarity_heldout.jsonl"
SETS = {"tuning": PAIRS_FILE, "heldout": HELDOUT_FILE}


@dataclass
class Scored:
    pair: dict[str, Any]
    score: float
    reasons: list[str]

    @property
    def duplicate(self) -> bool:
        return bool(self.pair["duplicate"])


def _profile(item: dict[str, Any], thesaurus: Thesaurus) -> Profile:
    return profile_features(
        Profile(
            title=item["title"],
            text=item["text"],
            area=item["area"],
            location=item["location"],
            category=item["category"],
            date=date.fromisoformat(item["date"]),
        ),
        thesaurus,
    )


def score_pairs(path: Path = PAIRS_FILE) -> list[Scored]:
    thesaurus = Thesaurus(file_groups())
    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    profiled = [(pair, _profile(pair["a"], thesaurus), _profile(pair["b"], thesaurus)) for pair in pairs]
    # Document frequencies over every distinct need of the set, as the needs table would give them.
    distinct = {(p.title, p.text, p.area): p for _pair, a, b in profiled for p in (a, b)}
    idf = corpus_idf(distinct.values())
    scored = []
    for pair, a, b in profiled:
        match = compare(a, b, idf=idf, thesaurus=thesaurus)
        scored.append(Scored(pair, match.score, match.shown))
    return scored


@dataclass
class Measure:
    threshold: float
    precision: float
    recall: float
    f1: float


def measure(scored: list[Scored], threshold: float = DEFAULT_THRESHOLD) -> Measure:
    flagged = [s for s in scored if s.score >= threshold]
    true = sum(s.duplicate for s in flagged)
    positives = sum(s.duplicate for s in scored)
    precision = true / len(flagged) if flagged else 1.0
    recall = true / positives if positives else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Measure(threshold, precision, recall, f1)
