"""A city, district or town of synthetic data, the same for the same seed.

The tree is a city's: city → districts → towns → committees (总支, residential areas, villages,
enterprise and social party organizations, stationed units) → branches, with enterprises and social
organizations under each town. Each town runs its own calls, programmes, need categories and funds,
as a town committee does; its projects, needs, claims and log rows are written town by town, one
transaction per town, and the totals asked for are shared out evenly between towns.
"""

import datetime
import functools
import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from projectize.claims.models import Claim, ClaimStatus
from projectize.core.models import ActivityLog
from projectize.funds.models import Allocation, Budget, Disbursement, DisbursementStatus, FundKind
from projectize.needs.demo import CATEGORIES, PATTERNS
from projectize.needs.models import CODE_ALPHABET as NEED_CODE_ALPHABET
from projectize.needs.models import CODE_LENGTH as NEED_CODE_LENGTH
from projectize.needs.models import Channel, Need, NeedCategory, NeedStatus, NeedUpdate, Support, TokenFrequency
from projectize.needs.similarity import Profile, profile_features, token_text
from projectize.needs.thesaurus import current_thesaurus
from projectize.orgs.models import NON_PARTY_KINDS, Organization, OrgKind, Role, RoleGrant, User
from projectize.programmes.models import Programme, Section, Target, TargetStatus
from projectize.projects.models import (
    TYPE_CODES,
    BuildingType,
    Call,
    CallStatus,
    CodeCounter,
    Milestone,
    MilestoneStatus,
    ProgressReport,
    Project,
    ProjectOrigin,
    ProjectStatus,
    ProjectType,
    ReportStatus,
)
from projectize.scale.writer import Table, indexes_built_after, reset_sequences

YEARS = 7
TOWN_SIZE = 500  # organizations per town
TOWNS_PER_DISTRICT = 12
SECTIONS = ["交通管理", "社区服务", "社会福利", "环境整治", "平安建设", "文化教育"]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文斌宇浩凯晨辉鹏亮俊峰志海燕雪梅琳婷欣怡佳慧"
PLACES = "新桥春申明华泗泾九亭车墩叶榭石湖荡永丰方松中山岳阳广富林洞泾佘山小昆山天马仓桥茸北"
DISTRICT_NAMES = [
    "松江",
    "闵行",
    "嘉定",
    "青浦",
    "奉贤",
    "金山",
    "宝山",
    "浦东",
    "徐汇",
    "长宁",
    "静安",
    "普陀",
    "虹口",
    "杨浦",
    "黄浦",
    "崇明",
]
BRANDS = [
    "红色物业",
    "邻里守望",
    "银龄互助",
    "青春先锋",
    "楼组自治",
    "党员责任区",
    "睦邻客厅",
    "平安志愿",
    "文明引领",
    "乐业帮扶",
]
FORMS = ["议事厅", "服务站", "先锋岗", "微治理", "暖心驿站", "工作法", "共建联盟", "便民圈", "积分制", "会客厅"]
SENTENCES = [
    "辖区老年人口比例高，独居和高龄老人日常照料需求突出。",
    "小区建成年代早，停车、加装电梯、垃圾分类等问题长期困扰居民。",
    "党员作用发挥不均衡，在职党员参与社区事务的渠道不多。",
    "通过支部牵头、党员带头、居民参与，形成常态化的议事协商机制。",
    "联合驻区单位和社会组织，整合场地、人员和经费资源。",
    "每月召开一次推进会，每季度向党委报告进展，年底接受考评。",
    "明确书记为第一责任人，组建项目团队，细化任务分工和时间节点。",
    "建立台账，逐项销号，做到问题有回应、过程有记录、结果可追溯。",
    "预计服务居民两千人次以上，解决实际问题十件以上，形成一项可推广的制度。",
    "总结形成工作规范，在全镇居民区党组织中复制推广。",
]
PROJECT_TYPES = [ProjectType.INNOVATION, ProjectType.DEMONSTRATION, ProjectType.INSTITUTIONAL]
PROJECT_TYPE_WEIGHTS = [7, 22, 10]  # as in the paper: 7 innovation, 22 demonstration, 10 institutional
CHANNELS = list(Channel.values)
CHANNEL_WEIGHTS = [35, 20, 15, 8, 7, 10, 5]
# Final statuses of a past year's application, and of this year's, with their shares.
PAST_STATUSES = {
    ProjectStatus.CONCLUDED: 62,
    ProjectStatus.FAILED: 3,
    ProjectStatus.REJECTED: 18,
    ProjectStatus.WITHDRAWN: 4,
    ProjectStatus.IN_PROGRESS: 8,
    ProjectStatus.RECTIFYING: 2,
    ProjectStatus.DRAFT: 3,
}
CURRENT_STATUSES = {
    ProjectStatus.DRAFT: 10,
    ProjectStatus.SUBMITTED: 8,
    ProjectStatus.UNDER_REVIEW: 7,
    ProjectStatus.RETURNED: 4,
    ProjectStatus.APPROVED: 8,
    ProjectStatus.REJECTED: 10,
    ProjectStatus.IN_PROGRESS: 40,
    ProjectStatus.ACCEPTANCE: 8,
    ProjectStatus.CONCLUDED: 5,
}
# The workflow steps that lead to each final status (projects.workflows.PROJECT), logged one by one.
PROJECT_STEPS: dict[str, list[tuple[str, str]]] = {}
_REVIEWED = [("submit", "submitted"), ("start_review", "under_review")]
_STARTED = [*_REVIEWED, ("approve", "approved"), ("start", "in_progress")]
PROJECT_STEPS.update(
    {
        ProjectStatus.DRAFT: [],
        ProjectStatus.SUBMITTED: [("submit", "submitted")],
        ProjectStatus.WITHDRAWN: [("submit", "submitted"), ("withdraw", "withdrawn")],
        ProjectStatus.UNDER_REVIEW: _REVIEWED,
        ProjectStatus.RETURNED: [*_REVIEWED, ("return", "returned")],
        ProjectStatus.REJECTED: [*_REVIEWED, ("reject", "rejected")],
        ProjectStatus.APPROVED: [*_REVIEWED, ("approve", "approved")],
        ProjectStatus.IN_PROGRESS: _STARTED,
        ProjectStatus.ACCEPTANCE: [*_STARTED, ("schedule_acceptance", "acceptance")],
        ProjectStatus.RECTIFYING: [*_STARTED, ("schedule_acceptance", "acceptance"), ("rectify", "rectifying")],
        ProjectStatus.CONCLUDED: [*_STARTED, ("schedule_acceptance", "acceptance"), ("conclude", "concluded")],
        ProjectStatus.FAILED: [*_STARTED, ("schedule_acceptance", "acceptance"), ("fail", "failed")],
    }
)
CODED = {
    ProjectStatus.APPROVED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.ACCEPTANCE,
    ProjectStatus.RECTIFYING,
    ProjectStatus.CONCLUDED,
    ProjectStatus.FAILED,
}
# A coded project's plan: its milestones' and progress reports' (month, day) in its year. Running projects (the
# 督办 list's) leave about 30% of their past milestones unassessed and 25% of their past reports not handed
# in; the others' were met and accepted.
MILESTONE_DATES = [(6, 30), (8, 31), (10, 31), (11, 30)]
REPORT_DATES = [(6, 25), (9, 25), (11, 25)]
PLANNED_RUNNING = {ProjectStatus.IN_PROGRESS, ProjectStatus.RECTIFYING}
NEED_STATUSES = {
    NeedStatus.RECEIVED: 12,
    NeedStatus.ACCEPTED: 25,
    NeedStatus.DECLINED: 8,
    NeedStatus.PLANNED: 15,
    NeedStatus.RESOLVED: 35,
    NeedStatus.MERGED: 5,
}
NEED_STEPS = {
    NeedStatus.RECEIVED: [],
    NeedStatus.ACCEPTED: [("accept", "accepted")],
    NeedStatus.DECLINED: [("decline", "declined")],
    NeedStatus.PLANNED: [("accept", "accepted"), ("plan", "planned")],
    NeedStatus.RESOLVED: [("accept", "accepted"), ("resolve", "resolved")],
    NeedStatus.MERGED: [("merge", "merged")],
}
RECEIVED_REPLY = "需求已收到，我们会尽快处理。"
# Log parameters that repeat, written once rather than per row.
DECISION_NOTE = json.dumps({"note": "方案具体、资源匹配。"}, ensure_ascii=False)
CHANNEL_PARAMS = {
    value: json.dumps({"channel": {"choice": "needs.need.channel", "value": value}}) for value in CHANNELS
}
REPLIES = ["已收到，转居民区核实。", "已安排专人跟进。", "已纳入今年的家新桥标的。", "问题已解决，感谢您的反映。"]


@dataclass
class Org:
    id: int
    path: str
    name: str
    kind: str
    parent: "Org | None"
    children: list["Org"] = field(default_factory=list)
    user_id: int | None = None  # the secretary or claiming contact


@dataclass
class Town:
    org: Org
    index: int
    admin: int = 0
    leaders: list[int] = field(default_factory=list)
    finance: int = 0

    @property
    def members(self) -> list[Org]:
        """Organizations below the town committee."""
        found: list[Org] = []
        stack = list(self.org.children)
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(node.children)
        found.sort(key=lambda node: node.id)
        return found


@dataclass
class Sizes:
    orgs: int
    projects: int
    needs: int
    claims: int
    log_rows: int


def share(total: int, part: int, parts: int) -> int:
    """The `part`-th of `parts` nearly equal shares of `total`."""
    return total * (part + 1) // parts - total * part // parts


def _path_step(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while number:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
    return text.rjust(Organization.steplen, "0")


def weighted(rng: random.Random, table: dict[Any, int]) -> Any:
    return rng.choices(list(table), weights=list(table.values()))[0]


@functools.cache
def choice_json(label: str, value: str) -> str:
    return json.dumps({"status": {"choice": label, "value": value}}, ensure_ascii=False)


class Generator:
    def __init__(
        self,
        sizes: Sizes,
        *,
        seed: int,
        today: datetime.date,
        password: str,
        say: Callable[[str], None],
    ) -> None:
        self.sizes = sizes
        self.seed = seed
        self.today = today
        self.now = datetime.datetime.combine(today, datetime.time(10), tzinfo=datetime.UTC)
        self.years = list(range(today.year - YEARS + 1, today.year + 1))
        self.password = make_password(password, salt=f"scale{seed}")
        self.say = say
        self.started = time.monotonic()
        self.tokens: dict[str, str] = {}
        self.features: dict[str, list[str]] = {}
        self.thesaurus = current_thesaurus()
        self.code_last: dict[str, int] = {}
        self.types = {
            model: ContentType.objects.get_for_model(model).pk for model in (Project, Need, Claim, Target, Allocation)
        }
        self.users = Table(User, ["password", "username", "first_name", "last_name", "date_joined"])
        self.orgs = Table(
            Organization,
            ["path", "depth", "numchild", "name", "kind", "secretary_id", "contact_name", "created_at", "updated_at"],
        )
        self.grants = Table(RoleGrant, ["user_id", "role", "organization_id", "created_at", "updated_at"])
        self.calls = Table(
            Call,
            [
                "organization_id",
                "year",
                "title",
                "status",
                "application_start",
                "application_end",
                "review_start",
                "review_end",
                "implementation_start",
                "implementation_end",
                "evaluation_start",
                "evaluation_end",
                "created_at",
                "updated_at",
            ],
        )
        self.projects = Table(
            Project,
            [
                "origin",
                "call_id",
                "organization_id",
                "year",
                "type",
                "code",
                "title",
                "status",
                "background",
                "approach",
                "measures",
                "expected_effects",
                "building_type",
                "budget_requested",
                "start_date",
                "end_date",
                "lead_leader_id",
                "responsible_id",
                "progress",
                "rules_established",
                "problems_solved",
                "service_brands",
                "beneficiaries",
                "submitted_at",
                "approved_at",
                "started_at",
                "concluded_at",
                "created_at",
                "updated_at",
            ],
        )
        self.categories = Table(NeedCategory, ["organization_id", "name", "order"])
        self.needs = Table(
            Need,
            [
                "organization_id",
                "code",
                "title",
                "description",
                "category_id",
                "area_id",
                "channel",
                "submitter_name",
                "submitter_mobile",
                "reported_by_id",
                "source_organization_id",
                "status",
                "target_id",
                "merged_into_id",
                "first_response_at",
                "tokens",
                "support_count",
                "created_at",
                "updated_at",
            ],
        )
        self.updates = Table(NeedUpdate, ["need_id", "created_at", "need_status", "message", "author_id"])
        self.frequencies = Table(TokenFrequency, ["organization_id", "feature", "count"])
        self.supports = Table(Support, ["need_id", "supporter_key", "created_at"])
        self.programmes = Table(
            Programme, ["organization_id", "year", "title", "claim_opens", "claim_closes", "created_at", "updated_at"]
        )
        self.sections = Table(Section, ["programme_id", "title", "order"])
        self.targets = Table(
            Target,
            [
                "programme_id",
                "section_id",
                "order",
                "title",
                "description",
                "expected_outcomes",
                "support_funds",
                "max_units",
                "status",
                "published_at",
                "notice_starts_at",
                "notice_ends_at",
                "closed_reason",
                "created_at",
                "updated_at",
            ],
        )
        self.claims = Table(
            Claim,
            [
                "target_id",
                "organization_id",
                "contact_id",
                "status",
                "plan",
                "reasons",
                "team",
                "timeline",
                "submitted_at",
                "is_lead",
                "decision_reason",
                "decided_by_id",
                "decided_at",
                "project_id",
                "created_at",
                "updated_at",
            ],
        )
        self.budgets = Table(
            Budget, ["organization_id", "year", "kind", "amount", "committed", "created_by_id", "created_at"]
        )
        self.allocations = Table(
            Allocation, ["budget_id", "project_id", "amount", "reason", "drawn", "created_by_id", "created_at"]
        )
        self.disbursements = Table(
            Disbursement,
            [
                "allocation_id",
                "amount",
                "purpose",
                "paid_on",
                "status",
                "requested_by_id",
                "approved_by_id",
                "requested_at",
                "decided_at",
            ],
        )
        self.logs = Table(
            ActivityLog,
            [
                "created_at",
                "actor_id",
                "action",
                "params",
                "target_type_id",
                "target_id",
                "target_repr",
                "organization_id",
                "before",
                "after",
            ],
        )
        self.milestones = Table(Milestone, ["project_id", "title", "due_date", "status"])
        self.reports = Table(ProgressReport, ["project_id", "number", "due_date", "status", "created_at", "updated_at"])
        self.counters = Table(CodeCounter, ["prefix", "last"])

    @property
    def tables(self) -> list[Table]:
        return [value for value in vars(self).values() if isinstance(value, Table)]

    def elapsed(self) -> str:
        return f"{time.monotonic() - self.started:7.1f} s"

    # ---- the tree and its people ------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        rng = random.Random(f"{self.seed}-tree")
        towns = self.tree(rng)
        with indexes_built_after(self.tables, lambda line: self.say(f"{self.elapsed()}  {line}")):
            self.load(rng, towns)
            self.say(f"{self.elapsed()}  rows written")
        with transaction.atomic():
            reset_sequences(self.tables)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # As autovacuum leaves a table that has been in use: statistics for the planner, and the
            # visibility map that lets an index-only scan skip the table.
            tables = ", ".join(connection.ops.quote_name(str(table.model._meta.db_table)) for table in self.tables)
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {tables}")
            self.say(f"{self.elapsed()}  vacuumed and analyzed")
        elif connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.say(f"{self.elapsed()}  analyzed")
        return {table.model._meta.label: table.written for table in self.tables}

    def load(self, rng: random.Random, towns: list["Town"]) -> None:
        with transaction.atomic():
            self.people(rng, towns)
            self.flush()
        self.say(f"{self.elapsed()}  tree: {self.orgs.written} organizations, {self.users.written} accounts")
        for index, town in enumerate(towns):
            with transaction.atomic():
                self.town(town, len(towns))
                self.flush()
            if index == len(towns) - 1 or (index + 1) % max(1, len(towns) // 20) == 0:
                done = (index + 1) / len(towns)
                spent = time.monotonic() - self.started
                self.say(
                    f"{self.elapsed()}  towns {index + 1}/{len(towns)}: {self.projects.written} projects, "
                    f"{self.needs.written} needs, {self.claims.written} claims, {self.logs.written} log rows; "
                    f"about {spent / done - spent:.0f} s to go"
                )
        with transaction.atomic():
            for prefix, last in sorted(self.code_last.items()):
                self.counters.add(self.counters.new_id(), prefix, last)
            self.flush()

    def flush(self) -> None:
        for table in self.tables:
            table.flush()

    def tree(self, rng: random.Random) -> list[Town]:
        total = self.sizes.orgs
        town_count = max(1, total // TOWN_SIZE)
        district_count = max(1, round(town_count / TOWNS_PER_DISTRICT))
        root = Org(self.orgs.new_id(), "", "市委", OrgKind.CITY, None)
        districts = []
        for d in range(district_count):
            name = f"{DISTRICT_NAMES[d % len(DISTRICT_NAMES)]}区委{'' if d < len(DISTRICT_NAMES) else d}"
            districts.append(self.child(root, name, OrgKind.DISTRICT))
        towns: list[Town] = []
        left = total - 1 - district_count - town_count
        for t in range(town_count):
            district = districts[t % district_count]
            place = PLACES[(2 * t) % len(PLACES)] + PLACES[(2 * t + 1 + t // len(PLACES)) % len(PLACES)]
            org = self.child(district, f"{place}镇党委{t + 1:04d}", OrgKind.COMMITTEE)
            towns.append(Town(org, t))
            budget = share(left, t, town_count)
            units = budget // 5
            committees = max(1, (budget - units) // 9)
            branches = budget - units - committees
            parents = []
            for c in range(committees):
                kind = rng.choices(
                    [
                        OrgKind.RESIDENTIAL,
                        OrgKind.VILLAGE,
                        OrgKind.GENERAL_BRANCH,
                        OrgKind.ENTERPRISE_PARTY,
                        OrgKind.SOCIAL_PARTY,
                        OrgKind.INSTITUTION,
                        OrgKind.STATIONED,
                    ],
                    weights=[40, 15, 15, 12, 6, 6, 6],
                )[0]
                label = OrgKind(kind).label
                parents.append(self.child(org, f"{place}第{c + 1:03d}{label}", kind))
            # Fan-out varies: a large residential area has many branches, a small unit one or none.
            weights = [rng.uniform(0.2, 2.0) for _ in parents]
            for b, parent in enumerate(rng.choices(parents, weights=weights, k=branches)):
                self.child(parent, f"{parent.name}第{b + 1:04d}党支部", OrgKind.BRANCH)
            for u in range(units):
                kind = OrgKind.ENTERPRISE if rng.random() < 0.7 else OrgKind.SOCIAL_ORG
                self.child(org, f"{place}{OrgKind(kind).label}{u + 1:04d}", kind)
        self.paths(root, "")
        self.root = root
        return towns

    def child(self, parent: Org, name: str, kind: str) -> Org:
        node = Org(self.orgs.new_id(), "", name, kind, parent)
        parent.children.append(node)
        return node

    def paths(self, node: Org, prefix: str, number: int = 1) -> None:
        """Materialized paths as treebeard gives them: siblings in name order (`node_order_by`)."""
        node.path = prefix + _path_step(number)
        node.children.sort(key=lambda child: child.name)
        for position, child in enumerate(node.children, start=1):
            self.paths(child, node.path, position)

    def person(self, rng: random.Random, username: str) -> int:
        surname = rng.choice(SURNAMES)
        given = "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        return self.users.add(self.users.new_id(), self.password, username, given, surname, self.now)

    def grant(self, user: int, role: str, org: Org) -> None:
        self.grants.add(self.grants.new_id(), user, role, org.id, self.now, self.now)

    def people(self, rng: random.Random, towns: list[Town]) -> None:
        """Staff and a leader at the city and each district (the roles granted above the towns); a town's
        administrator, leaders and finance officer; a secretary for each party organization below a town, a
        contact for each unit."""
        root = self.root
        self.grant(self.person(rng, "city_admin"), Role.DISTRICT_STAFF, root)
        self.grant(self.person(rng, "city_leader"), Role.DISTRICT_LEADER, root)
        for d, district in enumerate(root.children, start=1):
            self.grant(self.person(rng, f"d{d:02d}_admin"), Role.DISTRICT_STAFF, district)
            self.grant(self.person(rng, f"d{d:02d}_leader"), Role.DISTRICT_LEADER, district)
        number = 0
        for town in towns:
            prefix = f"t{town.index + 1:04d}"
            town.admin = self.person(rng, f"{prefix}_admin")
            self.grant(town.admin, Role.TOWN_ADMIN, town.org)
            for n in (1, 2):
                town.leaders.append(self.person(rng, f"{prefix}_leader{n}"))
                self.grant(town.leaders[-1], Role.LEADER, town.org)
            town.finance = self.person(rng, f"{prefix}_finance")
            self.grant(town.finance, Role.FINANCE, town.org)
            for org in town.members:
                number += 1
                org.user_id = self.person(rng, f"u{number:06d}")
                claims_only = org.kind in NON_PARTY_KINDS or org.kind == OrgKind.STATIONED
                self.grant(org.user_id, Role.CLAIM_CONTACT if claims_only else Role.SECRETARY, org)
        stack = [root]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            secretary = node.user_id if node.kind not in NON_PARTY_KINDS else None
            contact = "" if secretary else f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}"
            self.orgs.add(
                node.id,
                node.path,
                len(node.path) // Organization.steplen,
                len(node.children),
                node.name,
                node.kind,
                secretary,
                contact,
                self.now,
                self.now,
            )

    # ---- one town ---------------------------------------------------------------------------------

    def moment(self, rng: random.Random, year: int, start: tuple[int, int], end: tuple[int, int]) -> datetime.datetime:
        low = datetime.datetime(year, *start, 9, tzinfo=datetime.UTC)
        high = datetime.datetime(year, *end, 17, tzinfo=datetime.UTC)
        value = low + (high - low) * rng.random()
        return min(value, self.now)

    def text(self, rng: random.Random, count: int) -> str:
        return "".join(rng.sample(SENTENCES, count))

    def town(self, town: Town, towns: int) -> None:
        rng = random.Random(f"{self.seed}-town-{town.index}")
        self.town_projects: list[tuple[int, int, str, str, Org]] = []
        members = town.members
        party = [org for org in members if org.kind not in NON_PARTY_KINDS]
        areas = [org for org in members if org.kind in (OrgKind.RESIDENTIAL, OrgKind.VILLAGE)] or party
        events: list[tuple[Any, ...]] = []
        weights = [1 + 0.15 * i for i in range(len(self.years))]
        log_budget = share(self.sizes.log_rows, town.index, towns)

        calls = {}
        for year in self.years:
            current = year == self.today.year
            calls[year] = self.calls.add(
                self.calls.new_id(),
                town.org.id,
                year,
                f"{year}年度{town.org.name}三型党建项目申报",
                CallStatus.OPEN if current else CallStatus.CLOSED,
                datetime.date(year, 3, 1),
                datetime.date(year, 3, 31),
                datetime.date(year, 4, 1),
                datetime.date(year, 4, 30),
                datetime.date(year, 5, 1),
                datetime.date(year, 11, 30),
                datetime.date(year, 12, 1),
                datetime.date(year, 12, 31),
                self.moment(rng, year, (1, 5), (2, 20)),
                self.moment(rng, year, (2, 21), (2, 28)),
            )

        # Programmes, targets and claims; an awarded claim becomes a regional project.
        claim_quota = share(self.sizes.claims, town.index, towns)
        target_count = max(len(self.years), round(claim_quota / 2.5))
        targets_by_year: dict[int, list[int]] = {}
        # Claims due to the targets so far and not yet placed (a draft target passes its share on).
        pending = 0
        number = 0
        regional = 0
        for y, year in enumerate(self.years):
            current = year == self.today.year
            opens = self.moment(rng, year, (6, 1), (6, 1))
            closes = self.moment(rng, year, (6, 30), (6, 30))
            programme = self.programmes.add(
                self.programmes.new_id(), town.org.id, year, "家新桥", opens, closes, opens, opens
            )
            sections = [
                self.sections.add(self.sections.new_id(), programme, title, order)
                for order, title in enumerate(SECTIONS, start=1)
            ]
            targets_by_year[year] = []
            count = share(target_count, y, len(self.years))
            for order in range(count):
                status = weighted(
                    rng,
                    {
                        TargetStatus.AWARDED: 50,
                        TargetStatus.NOTICE: 15,
                        TargetStatus.SELECTING: 15,
                        TargetStatus.PUBLISHED: 10,
                        TargetStatus.DRAFT: 10,
                    }
                    if current
                    else {TargetStatus.AWARDED: 75, TargetStatus.CLOSED: 25},
                )
                section = rng.randrange(len(SECTIONS))
                created = self.moment(rng, year, (5, 1), (5, 25))
                published = None if status == TargetStatus.DRAFT else opens
                notice_start = notice_end = None
                if status in (TargetStatus.NOTICE, TargetStatus.AWARDED):
                    notice_start = self.moment(rng, year, (7, 5), (7, 10))
                    notice_end = notice_start + datetime.timedelta(days=7)
                title = f"{SECTIONS[section]}·{rng.choice(BRANDS)}{rng.choice(FORMS)}（{year}-{order + 1:03d}）"
                target = self.targets.add(
                    self.targets.new_id(),
                    programme,
                    sections[section],
                    order,
                    title,
                    self.text(rng, 2),
                    self.text(rng, 1),
                    Decimal(rng.randrange(2, 30) * 5000),
                    rng.choice((1, 1, 1, 2, 3)),
                    status,
                    published,
                    notice_start,
                    notice_end,
                    "无单位认领，转入下一年度。" if status == TargetStatus.CLOSED else "",
                    created,
                    published or created,
                )
                targets_by_year[year].append(target)
                pending += share(claim_quota, number, target_count)
                number += 1
                events.append(
                    (
                        created,
                        town.admin,
                        "target.create",
                        json.dumps({"name": title}, ensure_ascii=False),
                        Target,
                        target,
                        title,
                        town.org.id,
                        "{}",
                        "{}",
                    )
                )
                if published:
                    events.append(
                        (published, town.admin, "target.publish", "{}", Target, target, title, town.org.id, "{}", "{}")
                    )
                if status == TargetStatus.DRAFT:
                    continue
                wanted = min(pending, len(members))
                pending -= wanted
                chosen = rng.sample(members, wanted)
                for rank, org in enumerate(chosen):
                    regional += self.claim(
                        rng, town, events, year, status, rank, org, target, title, published or created
                    )

        # Projects from the annual calls.
        call_quota = max(0, share(self.sizes.projects, town.index, towns) - regional)
        per_year = [0] * len(self.years)
        for y in rng.choices(range(len(self.years)), weights=weights, k=call_quota):
            per_year[y] += 1
        for y, year in enumerate(self.years):
            current = year == self.today.year
            for _n in range(per_year[y]):
                org = rng.choice(party)
                status = weighted(rng, CURRENT_STATUSES if current else PAST_STATUSES)
                ptype = rng.choices(PROJECT_TYPES, weights=PROJECT_TYPE_WEIGHTS)[0]
                self.project(rng, town, events, year, org, status, ptype, ProjectOrigin.CALL, calls[year], None)

        # Needs, their replies and supports.
        need_quota = share(self.sizes.needs, town.index, towns)
        categories = [
            self.categories.add(self.categories.new_id(), town.org.id, name, order)
            for order, name in enumerate(CATEGORIES, start=1)
        ]
        open_needs: list[int] = []
        self.town_features: dict[str, int] = {}
        per_year = [0] * len(self.years)
        for y in rng.choices(range(len(self.years)), weights=weights, k=need_quota):
            per_year[y] += 1
        for y, year in enumerate(self.years):
            for _n in range(per_year[y]):
                self.need(rng, town, events, year, areas, party, categories, targets_by_year[year], open_needs)

        # The word counts the duplicate finder keeps on write (needs.thesaurus.count_features).
        self.town_features[""] = need_quota
        for feature, count in sorted(self.town_features.items()):
            self.frequencies.add(self.frequencies.new_id(), town.org.id, feature, count)
        self.funds(rng, town, events)
        self.log(rng, town, events, log_budget)

    def claim(
        self,
        rng: random.Random,
        town: Town,
        events: list[tuple[Any, ...]],
        year: int,
        target_status: str,
        rank: int,
        org: Org,
        target: int,
        title: str,
        published: datetime.datetime,
    ) -> int:
        """One unit's claim on a target, as far as the target has come; 1 if it became a project."""
        status: str = {
            TargetStatus.PUBLISHED: ClaimStatus.SUBMITTED if rng.random() < 0.8 else ClaimStatus.DRAFT,
            TargetStatus.SELECTING: ClaimStatus.SUBMITTED,
            TargetStatus.CLOSED: ClaimStatus.NOT_SELECTED,
            TargetStatus.NOTICE: ClaimStatus.SELECTED if rank == 0 else ClaimStatus.NOT_SELECTED,
            TargetStatus.AWARDED: ClaimStatus.AWARDED if rank == 0 else ClaimStatus.NOT_SELECTED,
        }[TargetStatus(target_status)]
        if status == ClaimStatus.NOT_SELECTED and rng.random() < 0.08:
            status = ClaimStatus.WITHDRAWN
        created = min(published + datetime.timedelta(days=rng.uniform(1, 20)), self.now)
        submitted = None if status == ClaimStatus.DRAFT else min(created + datetime.timedelta(days=1), self.now)
        decided = status in (ClaimStatus.SELECTED, ClaimStatus.NOT_SELECTED, ClaimStatus.AWARDED)
        decided_at = self.moment(rng, year, (7, 1), (7, 4)) if decided else None
        project = None
        if status == ClaimStatus.AWARDED:
            past = year < self.today.year
            project_status = weighted(
                rng,
                {ProjectStatus.CONCLUDED: 80, ProjectStatus.IN_PROGRESS: 20}
                if past
                else {ProjectStatus.IN_PROGRESS: 60, ProjectStatus.APPROVED: 40},
            )
            project = self.project(
                rng, town, events, year, org, project_status, ProjectType.REGIONAL, ProjectOrigin.CLAIM, None, title
            )
        claim = self.claims.add(
            self.claims.new_id(),
            target,
            org.id,
            org.user_id,
            status,
            self.text(rng, 3),
            self.text(rng, 2),
            f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}（负责人）",
            "六月：调研\n七月至十月：实施\n十一月：总结",
            submitted,
            rank == 0 and decided and status != ClaimStatus.NOT_SELECTED,
            "方案具体、资源匹配。" if decided else "",
            town.admin if decided else None,
            decided_at,
            project,
            created,
            decided_at or submitted or created,
        )
        name = f"{org.name} · {title}"
        events.append((created, org.user_id, "claim.create", "{}", Claim, claim, name, org.id, "{}", "{}"))
        if submitted:
            events.append((submitted, org.user_id, "claim.submit", "{}", Claim, claim, name, org.id, "{}", "{}"))
        if decided_at:
            step = "claim.not_select" if status == ClaimStatus.NOT_SELECTED else "claim.select"
            params = DECISION_NOTE
            events.append((decided_at, town.admin, step, params, Claim, claim, name, org.id, "{}", "{}"))
        return 1 if project else 0

    def project(
        self,
        rng: random.Random,
        town: Town,
        events: list[tuple[Any, ...]],
        year: int,
        org: Org,
        status: str,
        ptype: str,
        origin: str,
        call: int | None,
        title: str | None,
    ) -> int:
        project = self.projects.new_id()
        from_claim = origin == ProjectOrigin.CLAIM
        created = self.moment(rng, year, (7, 10), (7, 20)) if from_claim else self.moment(rng, year, (2, 1), (3, 20))
        submitted = None if status == ProjectStatus.DRAFT or from_claim else self.moment(rng, year, (3, 1), (3, 31))
        approved = created if from_claim else self.moment(rng, year, (4, 10), (4, 30))
        started = self.moment(rng, year, (7, 21), (7, 31)) if from_claim else self.moment(rng, year, (5, 1), (5, 20))
        concluded = self.moment(rng, year, (12, 10), (12, 28))
        steps = PROJECT_STEPS[status]
        if from_claim:
            steps = [step for step in steps if step[0] not in ("submit", "start_review", "approve")]
        names = {step for step, _after in steps}
        code = None
        if status in CODED:
            prefix = f"{year}-{TYPE_CODES[ptype]}"
            self.code_last[prefix] = self.code_last.get(prefix, 0) + 1
            code = f"{prefix}-{self.code_last[prefix]:03d}"
        title = title or f"{rng.choice(BRANDS)}{rng.choice(FORMS)}——{org.name}"
        done = status == ProjectStatus.CONCLUDED
        progress = 100 if done or status == ProjectStatus.ACCEPTANCE else rng.randint(5, 95) if "start" in names else 0
        times = {
            "submit": submitted,
            "withdraw": submitted,
            "start_review": approved - datetime.timedelta(days=10),
            "return": approved - datetime.timedelta(days=5),
            "reject": approved,
            "approve": approved,
            "start": started,
            "schedule_acceptance": concluded - datetime.timedelta(days=8),
            "rectify": concluded,
            "conclude": concluded,
            "fail": concluded,
        }
        last = max([created, *(min(times[step], self.now) for step in names)])  # type: ignore[type-var]
        self.projects.add(
            project,
            origin,
            call,
            org.id,
            year,
            ptype,
            code,
            title,
            status,
            self.text(rng, 3),
            self.text(rng, 2),
            self.text(rng, 2),
            self.text(rng, 1),
            rng.choice(BuildingType.values),
            Decimal(rng.randrange(2, 60) * 1000),
            datetime.date(year, 5, 1),
            datetime.date(year, 11, 30),
            rng.choice(town.leaders) if code else None,
            org.user_id,
            progress,
            rng.randint(0, 2) if done else 0,
            rng.randint(0, 5) if done else 0,
            rng.randint(0, 1) if done else 0,
            rng.randint(50, 3000) if done else 0,
            submitted,
            min(approved, self.now) if code else None,
            min(started, self.now) if "start" in names else None,
            min(concluded, self.now) if done else None,
            created,
            last,
        )
        if code:
            self.plan(project, year, status, started="start" in names)
        shown = f"{code} {title}" if code else title
        self.town_projects.append((project, year, status, shown, org))
        first = "project.create_from_claim" if from_claim else "project.create"
        events.append((created, org.user_id, first, "{}", Project, project, shown, org.id, "{}", "{}"))
        before: str = ProjectStatus.APPROVED if from_claim else ProjectStatus.DRAFT
        for step, after in steps:
            actor = org.user_id if step in ("submit", "withdraw", "start") else town.admin
            events.append(
                (
                    min(times[step], self.now),  # type: ignore[type-var]
                    actor,
                    f"project.{step}",
                    "{}",
                    Project,
                    project,
                    shown,
                    org.id,
                    choice_json("projects.project.status", before),
                    choice_json("projects.project.status", after),
                )
            )
            before = after
        return project

    def plan(self, project: int, year: int, status: str, *, started: bool) -> None:
        """A coded project's milestones and, once started, its progress reports. Which of a running project's
        are late is drawn from its id, not from the town's random stream, so that every other row stays
        what it was before plans were generated."""
        running = status in PLANNED_RUNNING
        for number, (month, day) in enumerate(MILESTONE_DATES, start=1):
            due = datetime.date(year, month, day)
            still_open = status == ProjectStatus.APPROVED or (
                running and (due >= self.today or (project * 7919 + number) % 100 < 30)
            )
            state: str = MilestoneStatus.PENDING if still_open else MilestoneStatus.MET
            self.milestones.add(self.milestones.new_id(), project, f"第{number}阶段目标", due, state)
        if not started:
            return
        for number, (month, day) in enumerate(REPORT_DATES, start=1):
            due = datetime.date(year, month, day)
            draw = (project * 104729 + number) % 100
            state = ReportStatus.ACCEPTED
            if running and (due >= self.today or draw < 20):
                state = ReportStatus.DUE
            elif running and draw < 25:
                state = ReportStatus.RETURNED
            moment = datetime.datetime.combine(min(due, self.today), datetime.time(9), tzinfo=datetime.UTC)
            self.reports.add(self.reports.new_id(), project, number, due, state, moment, moment)

    def need(
        self,
        rng: random.Random,
        town: Town,
        events: list[tuple[Any, ...]],
        year: int,
        areas: list[Org],
        party: list[Org],
        categories: list[int],
        targets: list[int],
        open_needs: list[int],
    ) -> None:
        need = self.needs.new_id()
        kind = rng.randrange(len(CATEGORIES))
        title, description = rng.choice(PATTERNS[CATEGORIES[kind]])
        area = rng.choice(areas) if rng.random() < 0.85 else None
        title = title.format(area=area.name[:12] if area else town.org.name[:2])
        tokens = self.need_tokens(title, description)
        for feature in self.need_features(title, description):
            self.town_features[feature] = self.town_features.get(feature, 0) + 1
        status = weighted(rng, NEED_STATUSES)
        if status == NeedStatus.PLANNED and not targets:
            status = NeedStatus.ACCEPTED
        if status == NeedStatus.MERGED and not open_needs:
            status = NeedStatus.RECEIVED
        channel = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0]
        name = mobile = ""
        reporter: int | None = town.admin
        source = None
        if channel == Channel.PORTAL:
            name, mobile, reporter = f"{rng.choice(SURNAMES)}先生", f"13{rng.randrange(10**9):09d}", None
        elif channel in (Channel.GRASSROOTS, Channel.UNIT_SUGGESTION):
            source_org = rng.choice(party)
            source, reporter = source_org.id, source_org.user_id
        created = self.moment(rng, year, (1, 1), (12, 28))
        answered = None
        if status != NeedStatus.RECEIVED:
            answered = min(created + datetime.timedelta(days=rng.uniform(0.5, 10)), self.now)
        # Most open needs have a few supports; a few draw hundreds; a merged one's moved to the need it joined.
        supports = 0 if status == NeedStatus.MERGED else min(int(rng.paretovariate(1.6)) - 1, 300)
        self.needs.add(
            need,
            town.org.id,
            self.tracking_code(need),
            title,
            description,
            categories[kind],
            area.id if area else None,
            channel,
            name,
            mobile,
            reporter,
            source,
            status,
            rng.choice(targets) if status == NeedStatus.PLANNED else None,
            rng.choice(open_needs[-200:]) if status == NeedStatus.MERGED else None,
            answered,
            tokens,
            supports,  # the counter the need services keep on write (Need.support_count)
            created,
            answered or created,
        )
        events.append(
            (
                created,
                reporter,
                "need.create",
                CHANNEL_PARAMS[channel],
                Need,
                need,
                title,
                town.org.id,
                "{}",
                "{}",
            )
        )
        self.updates.add(self.updates.new_id(), need, created, NeedStatus.RECEIVED, RECEIVED_REPLY, None)
        before: str = NeedStatus.RECEIVED
        for number, (step, after) in enumerate(NEED_STEPS[status]):
            moment = min(answered + datetime.timedelta(days=3 * number), self.now)  # type: ignore[operator]
            self.updates.add(self.updates.new_id(), need, moment, after, rng.choice(REPLIES), town.admin)
            events.append(
                (
                    moment,
                    town.admin,
                    f"need.{step}",
                    "{}",
                    Need,
                    need,
                    title,
                    town.org.id,
                    choice_json("needs.need.status", before),
                    choice_json("needs.need.status", after),
                )
            )
            before = after
        if status == NeedStatus.MERGED:
            return
        open_needs.append(need)
        for _n in range(supports):
            moment = min(created + datetime.timedelta(hours=rng.uniform(1, 2000)), self.now)
            self.supports.add(self.supports.new_id(), need, f"{rng.getrandbits(256):064x}", moment)

    def need_tokens(self, title: str, description: str) -> str:
        """The need's search tokens as `token_text` gives them, computed once per wording without the area's
        number (jieba is slow) and the number added as a token of its own."""
        stem = re.sub(r"\d+", "", title)
        tokens = self.tokens.get(stem)
        if tokens is None:
            tokens = self.tokens[stem] = token_text(stem, description)
        number = re.search(r"\d+", title)
        return f"{tokens}{number.group()} " if number else tokens

    def need_features(self, title: str, description: str) -> list[str]:
        """The features `count_features` counts for the need, worked out once per wording like its tokens."""
        stem = re.sub(r"\d+", "", title)
        features = self.features.get(stem)
        if features is None:
            profile = Profile(title=stem, text=description, words=self.tokens[stem].split())
            features = self.features[stem] = [key[:60] for key in profile_features(profile, self.thesaurus).features]
        number = re.search(r"\d+", title)
        return [*features, f"w:{number.group()}"] if number else features

    def tracking_code(self, need: int) -> str:
        """A code that looks random and never repeats: the id through a bijection of the code space."""
        base = len(NEED_CODE_ALPHABET)
        space = base**NEED_CODE_LENGTH
        number = (need * 0x9E3779B97F4A7 + self.seed * 7919) % space
        letters = []
        for _n in range(NEED_CODE_LENGTH):
            number, rest = divmod(number, base)
            letters.append(NEED_CODE_ALPHABET[rest])
        return "".join(letters)

    def funds(self, rng: random.Random, town: Town, events: list[tuple[Any, ...]]) -> None:
        """Each year's two budgets, allocations to some of that year's projects, payments from most."""
        for year in self.years:
            projects = [row for row in self.town_projects if row[1] == year and row[2] in CODED]
            for kind, chance, wanted in (
                (FundKind.MANAGEMENT, 0.35, CODED),
                (FundKind.REWARD, 0.15, {ProjectStatus.CONCLUDED}),
            ):
                budget = self.budgets.new_id()
                committed = Decimal(0)
                created = self.moment(rng, year, (1, 10), (1, 20))
                for project, _year, status, shown, org in projects:
                    if status not in wanted or rng.random() > chance:
                        continue
                    amount = Decimal(rng.randrange(2, 30) * 1000)
                    committed += amount
                    paid = amount * Decimal(rng.choice(("0.5", "1"))) if rng.random() < 0.6 else Decimal(0)
                    when = self.moment(rng, year, (5, 1), (12, 20))
                    allocation = self.allocations.add(
                        self.allocations.new_id(),
                        budget,
                        project,
                        amount,
                        "初期评估后定向支持",
                        paid,
                        town.finance,
                        when,
                    )
                    if paid:
                        self.disbursements.add(
                            self.disbursements.new_id(),
                            allocation,
                            paid,
                            "活动物料与场地费用",
                            when.date(),
                            DisbursementStatus.APPROVED,
                            town.finance,
                            town.admin,
                            when,
                            when,
                        )
                    params = json.dumps({"amount": {"money": str(amount)}})
                    action = "allocation.create" if kind == FundKind.MANAGEMENT else "reward.create"
                    events.append(
                        (when, town.finance, action, params, Allocation, allocation, shown, org.id, "{}", "{}")
                    )
                amount = committed + Decimal(rng.randrange(10, 50) * 10000)
                self.budgets.add(budget, town.org.id, year, kind, amount, committed, town.finance, created)

    def log(self, rng: random.Random, town: Town, events: list[tuple[Any, ...]], budget: int) -> None:
        """The town's share of log rows: its objects' own history, thinned or topped up with edits."""
        if len(events) > budget:
            events = [events[i] for i in sorted(rng.sample(range(len(events)), budget))]
        projects = self.town_projects
        while len(events) < budget and projects:
            project, year, _status, shown, org = rng.choice(projects)
            when = self.moment(rng, year, (3, 1), (12, 28))
            events.append((when, org.user_id, "project.update", "{}", Project, project, shown, org.id, "{}", "{}"))
        events.sort(key=lambda event: event[0])
        for created, actor, action, params, model, target, shown, org, before, after in events:
            self.logs.add(
                self.logs.new_id(),
                created,
                actor,
                action,
                params,
                self.types[model],
                str(target),
                shown[:300],
                org,
                before,
                after,
            )
