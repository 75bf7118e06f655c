"""Similar-need lookup latency on PostgreSQL at scale: `python bench/similarity.py --needs 2000000`.

Fills a database of its own (kept between runs; `--refill` starts over) and times the lookup a resident's
typing triggers (`selectors.similar_needs`, the call the hint, the staff page and the duplicate finder
make), printing p50/p95/max, the rows the index handed over and the load average.

The data has the shape `manage.py generate_scale --orgs 1000` gives (two towns of 40 residential areas,
its mix of statuses, five years of dates) but not its wording: generate_scale writes 18 fixed sentences,
each word then in a sixth of all needs, which says nothing of a real town's vocabulary. Here each need is
written from the labelled set's needs (data/similarity_pairs.jsonl, about 600 distinct ones): a base
need, often with a clause of another need of the same category, a time, and a place of its own (roads,
buildings, gates) in its title, text or location. Every word of the labelled set thus occurs in thousands
of needs of a town, far more often than in a real one (a lookup's rarest word is rarely that common), so
the figures lean to the slow side. Queries are written the same way and are new to the database; a third
are a title alone, as the hint fires while the title is typed; one in seven gives no residential area.

Words and features are counted as writes count them (`TokenFrequency`); needs are loaded with COPY and the
open needs' word index is built after the load.
"""

import argparse
import datetime
import importlib
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# As generate_scale weighs them (projectize/scale/generate.py NEED_STATUSES).
STATUSES = {"received": 12, "accepted": 25, "declined": 8, "planned": 15, "resolved": 35, "merged": 5}
AREAS_PER_TOWN = 40
SYLLABLES = [
    "春申",
    "莲花",
    "明华",
    "新桥",
    "华亭",
    "振业",
    "民益",
    "瑞和",
    "馨佳",
    "富春",
    "陈春",
    "新凯",
    "嘉和",
    "北站",
    "场东",
    "新育",
    "泗泾",
    "九亭",
    "洞泾",
    "茸北",
    "松汇",
    "荣乐",
    "谷阳",
    "人民",
    "中山",
    "西林",
    "乐都",
    "长兴",
    "玉树",
    "方松",
    "广富林",
    "文诚",
    "龙腾",
    "思贤",
    "沪松",
    "莘砖",
    "叶榭",
    "佘山",
    "车墩",
    "石湖",
    "永丰",
    "岳阳",
    "车亭",
    "鼎信",
    "滨湖",
    "江月",
    "聚龙",
    "松卫",
    "白马",
    "古楼",
    "云间",
    "仓桥",
    "荣都",
    "塔汇",
    "华阳",
    "菜花泾",
    "庙前",
    "沈泾",
    "光星",
    "新松",
]
ROAD_KINDS = ["路", "路", "街", "公路", "大道"]
PLACE_FORMS = [
    "{road}{n}号",
    "{road}{n}弄",
    "{n}号楼",
    "{n}号楼{m}单元",
    "{road}{road2}路口",
    "{estate}{n}号楼门口",
    "{estate}南门",
    "{estate}北大门",
    "{estate}东侧绿地",
    "{road}沿街商铺",
]
ESTATE_KINDS = ["小区", "新村", "花园", "家园", "苑", "公寓"]
TIMES = ["最近一个月", "这两年", "从去年开始", "每到夏天", "每天早上", "周末", "这几天", "入冬以后", "天一下雨"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--needs", type=int, default=2_000_000)
    parser.add_argument("--towns", type=int, default=2, help="generate_scale --orgs 1000 makes two towns")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--database", default="projectize_bench_similarity")
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--check", type=int, default=0, help="compare this many lookups with a wide search")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
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
        fill(args.needs, args.towns)
    measure(args.queries, args.check)


class Writer:
    """Needs of the labelled set's wording, recombined so that hardly two are the same."""

    def __init__(self, rng: random.Random) -> None:
        from projectize.needs.evaluation import PAIRS_FILE

        self.rng = rng
        items: dict[tuple[str, str], dict[str, str]] = {}
        for line in PAIRS_FILE.read_text(encoding="utf-8").splitlines():
            pair = json.loads(line)
            for side in ("a", "b"):
                items[(pair[side]["title"], pair[side]["text"])] = pair[side]
        self.items = list(items.values())
        self.clauses: dict[str, list[str]] = {}
        for item in self.items:
            for clause in item["text"].replace("？", "，").replace("！", "，").replace("。", "，").split("，"):
                if len(clause) >= 4:
                    self.clauses.setdefault(item["category"], []).append(clause)
        self.roads = [a + b for a in SYLLABLES for b in ROAD_KINDS]
        self.estates = [a + b for a in SYLLABLES for b in ESTATE_KINDS]

    def place(self) -> str:
        rng = self.rng
        return rng.choice(PLACE_FORMS).format(
            road=rng.choice(self.roads),
            road2=rng.choice(SYLLABLES),
            estate=rng.choice(self.estates),
            n=rng.randint(1, 120),
            m=rng.randint(1, 6),
        )

    def need(self) -> tuple[str, str, str, str]:
        """Title, text, location and category of a new need."""
        rng = self.rng
        item = rng.choice(self.items)
        title, text, location = item["title"], item["text"], item["location"]
        parts = [text.rstrip("。")]
        if rng.random() < 0.5:
            parts.append(rng.choice(self.clauses[item["category"]]))
        if rng.random() < 0.3:
            parts.insert(0, rng.choice(TIMES))
        if rng.random() < 0.6:
            location = self.place()
        if rng.random() < 0.3:
            parts.insert(0, f"在{location}")
        if rng.random() < 0.25:
            title = f"{location}{title}"[:100]
        return title, "，".join(parts) + "。", location[:100], item["category"]


def fill(total: int, towns: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from projectize.needs.models import Need, NeedCategory, TokenFrequency
    from projectize.needs.similarity import Profile, profile_features, tokenize
    from projectize.needs.thesaurus import current_thesaurus
    from projectize.orgs.models import Organization, OrgKind

    Need.objects.all().delete()
    TokenFrequency.objects.all().delete()
    root = Organization.objects.filter(depth=1).first() or Organization.objects.add_root(
        {"name": "基准区委", "kind": OrgKind.PARTY_COMMITTEE}
    )
    rng = random.Random(15)
    writer = Writer(rng)
    thesaurus = current_thesaurus()
    parts: dict[str, tuple[list[str], list[str]]] = {}

    def read(text: str) -> tuple[list[str], set[str]]:
        # Texts are joined from parts at punctuation, where jieba cuts anyway: each part is read once, and a
        # need's words and features are its parts' (a word a synonym in another part covers is kept).
        words: dict[str, None] = {}
        features: set[str] = set()
        for part in text.replace("。", "，").split("，"):
            if part not in parts:
                part_words = tokenize(part)
                profile = profile_features(Profile(title="", text=part, words=part_words), thesaurus)
                parts[part] = (part_words, [key[:60] for key in profile.features])
            words.update(dict.fromkeys(parts[part][0]))
            features.update(parts[part][1])
        return list(words), features

    now = timezone.now()
    statuses, weights = list(STATUSES), list(STATUSES.values())
    columns = [
        "created_at",
        "updated_at",
        "code",
        "title",
        "description",
        "location",
        "channel",
        "submitter_name",
        "submitter_mobile",
        "status",
        "tokens",
        "area_id",
        "organization_id",
        "category_id",
    ]
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS needs_need_open_place_terms")
    started = time.monotonic()
    made = 0
    for t in range(towns):
        town = Organization.objects.add_child(root, {"name": f"基准镇党委{t + 1:02d}", "kind": OrgKind.COMMITTEE})
        areas = [
            town.add_child(name=f"基准{t + 1:02d}第{n + 1:03d}居民区", kind=OrgKind.RESIDENTIAL).pk
            for n in range(AREAS_PER_TOWN)
        ]
        categories = {
            name: NeedCategory.objects.create(organization=town, name=name).pk
            for name in {item["category"] for item in writer.items}
        }
        quota = total * (t + 1) // towns - total * t // towns
        counts: Counter[str] = Counter()
        buffer = io.StringIO()
        for n in range(quota):
            title, text, location, category = writer.need()
            need_words, features = read(f"{title}，{text}")
            counts.update(features)
            created = now - datetime.timedelta(seconds=rng.randint(0, 5 * 365 * 86400))
            area = rng.choice(areas) if rng.random() < 0.85 else None
            row = [
                created.isoformat(),
                created.isoformat(),
                f"B{t:02d}{n:09d}",
                _escape(title),
                _escape(text),
                _escape(location),
                "portal",
                "",
                "",
                rng.choices(statuses, weights)[0],
                " " + " ".join(need_words) + " ",
                "\\N" if area is None else str(area),
                str(town.pk),
                str(categories[category]),
            ]
            buffer.write("\t".join(row) + "\n")
            made += 1
            if made % 50_000 == 0 or n + 1 == quota:
                _copy(buffer.getvalue(), columns)
                buffer = io.StringIO()
                print(f"\r{made} needs ({time.monotonic() - started:.0f} s)", end="", flush=True)
        TokenFrequency.objects.bulk_create(
            [TokenFrequency(organization=town, feature=key, count=count) for key, count in counts.items()]
            + [TokenFrequency(organization=town, feature="", count=quota)],
            batch_size=5_000,
        )
    print()
    with connection.cursor() as cursor:
        index_started = time.monotonic()
        index = importlib.import_module("projectize.needs.migrations.0006_open_need_place_terms")
        cursor.execute(
            "CREATE INDEX needs_need_open_place_terms ON needs_need USING gin "
            f"(needs_need_place_terms(organization_id, area_id, tokens)) WHERE status IN {index.OPEN}"
        )
        print(f"open needs' word index built in {time.monotonic() - index_started:.0f} s")
        cursor.execute("ANALYZE needs_need")


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def _copy(data: str, columns: list[str]) -> None:
    from django.db import connection

    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY needs_need ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        copy.write(data)


def measure(queries: int, check: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projectize.needs import candidates
    from projectize.needs.models import Need
    from projectize.needs.selectors import similar_needs
    from projectize.needs.similarity import warm
    from projectize.orgs.models import Organization, OrgKind

    warm()
    towns = list(Organization.objects.filter(kind=OrgKind.COMMITTEE))
    areas = {town.pk: list(Organization.objects.get_children(town).values_list("pk", flat=True)) for town in towns}
    rng = random.Random(17)
    writer = Writer(rng)
    read: list[int] = []
    reader = candidates.read_candidates

    def counted(*args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        rows = reader(*args, **kwargs)
        read.append(len(rows))
        return rows

    candidates.read_candidates = counted

    for town in towns:
        similar_needs(town, "预热 停车")
    read.clear()
    timings: list[float] = []
    # CPU spent on a lookup by this process and by its database server process: what the lookup costs
    # whatever else the machine is doing (wall-clock time on a shared, loaded machine is mostly waiting).
    cpu: list[float] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    found = 0
    queries_per_lookup: list[int] = []
    asked: list[tuple[Any, str, int | None, str, list[float]]] = []
    for n in range(queries):
        town = towns[n % len(towns)]
        title, text, location, _category = writer.need()
        typed = title if n % 3 == 0 else f"{title} {text}"
        area = rng.choice(areas[town.pk]) if rng.random() < 6 / 7 else None
        with CaptureQueriesContext(connection) as captured:
            used = time.process_time() + _server_cpu(backend)
            started = time.perf_counter()
            result = similar_needs(town, typed, area_id=area, location=location)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() + _server_cpu(backend) - used) * 1000)
        queries_per_lookup.append(len(captured))
        found += bool(result)
        asked.append((town, typed, area, location, [match.score for _need, match in result]))
    timings.sort()
    cpu.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    load = os.getloadavg()
    print(
        f"{Need.objects.count():,} needs in {len(towns)} towns, {queries} lookups: "
        f"p50 {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms; CPU (this process and its database server process) "
        f"p50 {statistics.median(cpu):.1f} ms, p95 {cpu[int(len(cpu) * 0.95) - 1]:.1f} ms; "
        f"{found} found similar needs; "
        f"rows read from the index p50 {statistics.median(read):.0f}, max {max(read)}; "
        f"queries per lookup {min(queries_per_lookup)}–{max(queries_per_lookup)}; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    candidates.read_candidates = reader
    if check:
        compare_wide(asked[:check])


def _server_cpu(pid: int) -> float:
    """CPU seconds the database server process `pid` has used (PostgreSQL on this machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def compare_wide(asked: list[tuple[Any, str, int | None, str, list[float]]]) -> None:
    """How much the narrowing loses: the same lookups with 30 times the rows read and scored, no area asked.

    Many needs share a wording here, so the same scores are compared rather than the same needs.
    """
    from projectize.needs import candidates
    from projectize.needs.selectors import similar_needs

    plan = candidates.plan
    wide = {"CANDIDATE_ROWS": 45_000, "ROWS_READ": 24_000, "CANDIDATE_LIMIT": 3_000}
    saved = {name: getattr(candidates, name) for name in wide}
    for name, value in wide.items():
        setattr(candidates, name, value)
    candidates.plan = lambda features, counts, weight, *, area: plan(features, counts, weight, area=False)
    best = kept = shown = 0
    try:
        for town, typed, area, location, fast in asked:
            scores = [match.score for _need, match in similar_needs(town, typed, area_id=area, location=location)]
            best += not scores or bool(fast and fast[0] >= scores[0] - 0.005)
            left = [round(score, 2) for score in fast]
            for score in (round(score, 2) for score in scores):
                if score in left:
                    left.remove(score)
                    kept += 1
            shown += len(scores)
    finally:
        for name, value in saved.items():
            setattr(candidates, name, value)
        candidates.plan = plan
    print(
        f"against a wide search ({len(asked)} lookups): the best match found in {best}, "
        f"{kept} of the wide search's {shown} shown needs matched by score"
    )


if __name__ == "__main__":
    main()
