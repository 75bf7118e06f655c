"""Similar-need lookup latency on PostgreSQL at scale: `python bench/similarity.py --needs 200000`.

Fills a database of its own (kept between runs; `--refill` starts over) with one town's needs written
from the labelled set's wording (data/similarity_pairs.jsonl) in every residential area, with document
frequencies counted as writes would, then times the lookup a resident's typing triggers
(`selectors.similar_needs`, the same call the hint and the staff page make) and prints p50/p95/max.
"""

import argparse
import datetime
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BATCH = 5_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--needs", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--database", default="projectize_bench_similarity")
    parser.add_argument("--refill", action="store_true")
    args = parser.parse_args()
    url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projectize.settings")
    if args.refill:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", args.database], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", args.database], check=False, capture_output=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from projectize.needs.models import Need

    if Need.objects.count() < args.needs:
        fill(args.needs)
    measure(args.queries)


def _texts() -> list[dict[str, str]]:
    import json

    from projectize.needs.evaluation import PAIRS_FILE

    items = {}
    for line in PAIRS_FILE.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        for side in ("a", "b"):
            items[(pair[side]["title"], pair[side]["text"])] = pair[side]
    return list(items.values())


def fill(total: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from projectize.needs.models import Channel, Need, NeedCategory, NeedStatus, TokenFrequency
    from projectize.needs.similarity import profile_features
    from projectize.needs.thesaurus import current_thesaurus
    from projectize.orgs.models import Organization, OrgKind

    Need.objects.all().delete()
    TokenFrequency.objects.all().delete()
    town = Organization.objects.filter(depth=1).first() or Organization.objects.add_root(
        {"name": "基准镇党委", "kind": OrgKind.COMMITTEE}
    )
    texts = _texts()
    areas = list(Organization.objects.filter(depth=2))
    for n in range(len(areas), 40):
        areas.append(Organization.objects.add_child(town, {"name": f"第{n}居民区", "kind": OrgKind.RESIDENTIAL}))
    categories = {
        name: NeedCategory.objects.get_or_create(organization=town, name=name)[0]
        for name in {item["category"] for item in texts}
    }
    thesaurus = current_thesaurus()
    from projectize.needs.selectors import need_profile

    rng = random.Random(15)
    tokens: dict[tuple[str, str], tuple[str, list[str]]] = {}
    counts: Counter[str] = Counter()
    now = timezone.now()
    statuses = [NeedStatus.RECEIVED] * 3 + [NeedStatus.ACCEPTED, NeedStatus.PLANNED, NeedStatus.RESOLVED]
    made = 0
    started = time.monotonic()
    while made < total:
        batch = []
        for _ in range(min(BATCH, total - made)):
            item = rng.choice(texts)
            key = (item["title"], item["text"])
            if key not in tokens:
                from projectize.needs.similarity import token_text

                words = token_text(*key)
                probe = Need(title=key[0], description=key[1], tokens=words, location=item["location"])
                tokens[key] = (words, list(profile_features(need_profile(probe), thesaurus).features))
            words, features = tokens[key]
            counts.update(features)
            batch.append(
                Need(
                    organization=town,
                    title=item["title"],
                    description=item["text"],
                    category=categories[item["category"]],
                    area=rng.choice(areas),
                    location=item["location"],
                    channel=Channel.PORTAL,
                    status=rng.choice(statuses),
                    tokens=words,
                )
            )
        created = Need.objects.bulk_create(batch)
        # Spread the needs over five years, as a town's would be.
        Need.objects.filter(pk__in=[n.pk for n in created]).update(
            created_at=now - datetime.timedelta(days=rng.randint(0, 1800))
        )
        made += len(batch)
        print(f"\r{made} needs ({time.monotonic() - started:.0f} s)", end="", flush=True)
    print()
    TokenFrequency.objects.bulk_create(
        [TokenFrequency(organization=town, feature=key[:60], count=count) for key, count in counts.items()]
        + [TokenFrequency(organization=town, feature="", count=total)]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE needs_need")


def measure(queries: int) -> None:
    from projectize.needs.models import Need
    from projectize.needs.selectors import similar_needs
    from projectize.needs.similarity import warm
    from projectize.orgs.models import Organization

    warm()
    town = Organization.objects.filter(depth=1).first()
    assert town is not None
    areas = list(Organization.objects.filter(depth=2).values_list("pk", flat=True))
    rng = random.Random(17)
    texts = _texts()
    similar_needs(town, "预热")
    timings = []
    found = 0
    for _ in range(queries):
        item = rng.choice(texts)
        started = time.perf_counter()
        result = similar_needs(
            town, f"{item['title']} {item['text']}", area_id=rng.choice(areas), location=item["location"]
        )
        timings.append((time.perf_counter() - started) * 1000)
        found += bool(result)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{Need.objects.count()} needs, {queries} lookups: p50 {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms; {found} found similar needs"
    )


if __name__ == "__main__":
    main()
