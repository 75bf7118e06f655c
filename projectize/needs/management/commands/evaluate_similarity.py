from typing import Any

from django.core.management.base import BaseCommand

from projectize.needs.evaluation import SETS, measure, score_pairs
from projectize.needs.similarity import DEFAULT_THRESHOLD


class Command(BaseCommand):
    help = "Precision, recall and F1 of duplicate detection on the labelled pairs of residents' needs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--misses", type=int, default=10, help="How many of the worst errors to list.")
        parser.add_argument(
            "--set",
            choices=sorted(SETS),
            default="tuning",
            dest="pairs",
            help="tuning: the pairs the matching was fitted on; heldout: pairs never used to fit it.",
        )

    def handle(self, *args: Any, misses: int, pairs: str, **options: Any) -> None:
        scored = score_pairs(SETS[pairs])
        at = measure(scored)
        duplicates = sum(s.duplicate for s in scored)
        self.stdout.write(
            f"{pairs} set: {len(scored)} pairs, {duplicates} duplicates; threshold {DEFAULT_THRESHOLD:.2f}"
        )
        self.stdout.write(f"precision {at.precision:.3f}  recall {at.recall:.3f}  F1 {at.f1:.3f}")
        self.stdout.write("\nthreshold  precision  recall  F1")
        for step in range(20, 85, 5):
            row = measure(scored, step / 100)
            self.stdout.write(f"{row.threshold:9.2f}  {row.precision:9.3f}  {row.recall:6.3f}  {row.f1:.3f}")
        wrong = [s for s in scored if s.duplicate != (s.score >= DEFAULT_THRESHOLD)]
        wrong.sort(key=lambda s: abs(s.score - DEFAULT_THRESHOLD), reverse=True)
        self.stdout.write(f"\nworst misses ({len(wrong)} wrong in all):")
        for s in wrong[:misses]:
            label = "duplicate missed" if s.duplicate else "false alarm"
            a, b = s.pair["a"], s.pair["b"]
            self.stdout.write(
                f"  #{s.pair['id']} {label} ({s.pair['kind']}) score {s.score:.2f}: "
                f"{a['area']}「{a['title']}」 / {b['area']}「{b['title']}」 {'; '.join(s.reasons)}"
            )
