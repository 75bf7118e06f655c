"""Demo organizations and people of 新桥镇 (Xinqiao Town), of its district 松江区 above it and of a second,
smaller town beside it, 泗泾镇. All names are illustrative.

The paper counts 38 grassroots party organizations that applied in 2012 and 27 units that took
the 家新桥 targets; the demo reproduces those numbers for Xinqiao. Loading twice changes nothing.
"""

from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import ProtectedError

from projectize.core.services import log_activity
from projectize.orgs import services
from projectize.orgs.models import CommitteeProfile, Organization, OrgKind, Role, RoleGrant, User

DEMO_PASSWORD = "demo-pass-2026"
# Every demo account has the address <username>@example.org (a domain reserved for examples).
DEMO_EMAIL_DOMAIN = "@example.org"
DISTRICT_NAME = "松江区委"
TOWN_NAME = "新桥镇党委"
SECOND_TOWN_NAME = "泗泾镇党委"

# (general branch, kind of its branches, branch names). 16 + 6 + 8 + 4 + 4 = 38 grassroots organizations.
GRASSROOTS: list[tuple[str, str, list[str]]] = [
    (
        "社区党建服务中心党总支",
        OrgKind.RESIDENTIAL,
        [
            f"{name}居民区党总支"
            for name in (
                "新桥",
                "春申",
                "明华",
                "新凯",
                "馨佳",
                "振业",
                "民益",
                "陈春",
                "北站",
                "场东",
                "晓星",
                "华亭",
                "新育",
                "富春",
                "嘉和",
                "瑞和",
            )
        ],
    ),
    (
        "农村党建党总支",
        OrgKind.VILLAGE,
        [f"{name}村党总支" for name in ("新庄", "陈春", "潘家", "万春", "胡家", "宗旺")],
    ),
    (
        "两新组织综合党委",
        OrgKind.ENTERPRISE_PARTY,
        [
            f"{name}党支部"
            for name in (
                "新桥精密机械有限公司",
                "申新纺织有限公司",
                "桥东物流有限公司",
                "春申电子科技有限公司",
                "新凯食品有限公司",
                "明华建材有限公司",
                "松新印务有限公司",
                "华亭服饰有限公司",
            )
        ],
    ),
    (
        "社会组织党总支",
        OrgKind.SOCIAL_PARTY,
        [f"{name}党支部" for name in ("新桥社工服务社", "邻里守望志愿者协会", "春申养老服务中心", "阳光青少年事务所")],
    ),
    (
        "机关事业单位党委",
        OrgKind.INSTITUTION,
        [f"{name}党支部" for name in ("镇社区事务受理服务中心", "镇文化体育服务中心", "镇卫生服务中心", "新桥中学")],
    ),
]

# Units beside the grassroots tree that take part in regional party building (区域化党建).
STATIONED = [
    "区交警支队新桥中队党支部",
    "新桥派出所党支部",
    "区供电公司新桥营业所党支部",
    "新桥邮政支局党支部",
    "区城管中队新桥分队党支部",
]
ENTERPRISES = ["新桥商业广场有限公司", "春申物业管理有限公司", "明华超市连锁有限公司", "桥东汽车服务有限公司"]
SOCIAL_ORGS = ["新桥公益基金会", "邻里调解服务社", "春申文化艺术团"]

# The 27 units that took the 家新桥 targets: all stationed units, enterprises and social
# organizations (12), and 15 grassroots organizations.
CLAIMING_GRASSROOTS = [
    *GRASSROOTS[0][2][:10],
    *GRASSROOTS[2][2][:3],
    *GRASSROOTS[3][2][:2],
]
CLAIMING_UNITS = [*STATIONED, *ENTERPRISES, *SOCIAL_ORGS, *CLAIMING_GRASSROOTS]

# The second town, smaller than Xinqiao: 8 grassroots organizations and 3 units.
SECOND_GRASSROOTS: list[tuple[str, str, list[str]]] = [
    (
        "泗泾社区党建服务中心党总支",
        OrgKind.RESIDENTIAL,
        [f"{name}居民区党总支" for name in ("江川", "古楼", "张泾", "泗凯", "景港", "泗泾新苑")],
    ),
    ("泗泾农村党建党总支", OrgKind.VILLAGE, ["高楼村党总支", "横港村党总支"]),
]
SECOND_UNITS = [
    ("区消防救援支队泗泾站党支部", OrgKind.STATIONED),
    ("泗泾古镇文旅有限公司", OrgKind.ENTERPRISE),
    ("泗泾邻里互助会", OrgKind.SOCIAL_ORG),
]
# Its three grassroots organizations that claim its brand programme's targets beside the units.
SECOND_CLAIMING = SECOND_GRASSROOTS[0][2][:3]
# (slug, brand, project-code prefix, brand colour, accent colour) of each committee.
PROFILES = {
    DISTRICT_NAME: ("songjiang", "松江区域化党建", "SQ", "#b3001b", "#f3d6d9"),
    TOWN_NAME: ("xinqiao", "家新桥", "", "#b3001b", "#f3d6d9"),
    SECOND_TOWN_NAME: ("sijing", "泗泾同心圆", "SJ", "#9c1c1f", "#f6e7c1"),
}


def committee(name: str) -> Organization | None:
    """A demo committee by name (the district, Xinqiao or the second town)."""
    return Organization.objects.filter(name=name, kind__in=[OrgKind.DISTRICT, OrgKind.COMMITTEE]).first()


def xinqiao() -> Organization | None:
    return committee(TOWN_NAME)


def second_town() -> Organization | None:
    return committee(SECOND_TOWN_NAME)


def district() -> Organization | None:
    return committee(DISTRICT_NAME)


def required(organization: Organization | None) -> Organization:
    """A demo committee the orgs demo made (the later demos run after it)."""
    if organization is None:
        raise LookupError("load the orgs demo first")
    return organization


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ["建华", "秀英", "国强", "丽娟", "志刚", "美玲", "海燕", "卫东", "玉兰", "红梅", "立新", "春燕", "文斌", "晓明"]


def person_name(index: int) -> tuple[str, str]:
    return SURNAMES[index % len(SURNAMES)], GIVEN[index % len(GIVEN)]


def demo_user(username: str, index: int, password: str, mobile: str | None = None) -> tuple[User, bool]:
    last, first = person_name(index)
    return User.objects.get_or_create(
        username=username,
        defaults={
            "last_name": last,
            "first_name": first,
            "email": f"{username}{DEMO_EMAIL_DOMAIN}",
            "mobile": mobile,
            "password": password,
        },
    )


def load_district(password: str) -> tuple[Organization, User]:
    """The district at the root, its staff member, and Xinqiao under it (moved there if an earlier demo
    left Xinqiao at the root). The root and its first staff member are bootstrapped by the services that
    need no actor; Xinqiao is then added by the district's staff."""
    staff, created = demo_user("district", 90, password, mobile="13800000009")
    if created:
        log_activity(actor=None, action="user.create", target=staff)
    root = district()
    if root is None:
        old_root = Organization.objects.get_root_nodes().filter(name=TOWN_NAME).first()
        root = services.district_create(
            name=DISTRICT_NAME, address="松江区（示例）", admin=staff, above=[old_root] if old_root else []
        )
    staff = User.objects.get(pk=staff.pk)
    for name in (DISTRICT_NAME, TOWN_NAME):
        if name == TOWN_NAME and xinqiao() is None:
            admin, created = demo_user("admin", 0, password, mobile="13800000001")
            if created:
                log_activity(actor=staff, action="user.create", target=admin)
            services.town_add(actor=staff, district=root, name=TOWN_NAME, admin=admin, address="新桥镇（示例）")
        _profile(staff, committee(name))
    leader, created = demo_user("dleader", 91, password)
    if created:
        log_activity(actor=staff, action="user.create", target=leader)
    if not RoleGrant.objects.filter(user=leader, role=Role.DISTRICT_LEADER, organization=root).exists():
        services.role_grant(actor=staff, account=leader, role=Role.DISTRICT_LEADER, organization=root)
    return root, staff


def _profile(staff: User, organization: Organization | None) -> None:
    if organization is None or CommitteeProfile.objects.filter(organization=organization).exists():
        return
    slug, brand, prefix, colour, accent = PROFILES[organization.name]
    # Any: the profile services take keywords other than text too (a logo).
    values: dict[str, Any] = {
        "slug": slug,
        "brand_name": brand,
        "code_prefix": prefix,
        "brand_colour": colour,
        "accent_colour": accent,
    }
    if organization.kind == OrgKind.DISTRICT:
        services.committee_profile_save(actor=staff, organization=organization, **values)
    else:
        services.town_profile_create(actor=staff, town=organization, **values)


def load(stdout: Any = None) -> None:
    """The district and its first staff member are bootstrapped directly; everything else goes through
    services: Xinqiao and the second town are added by the district's staff, their people by their admins."""
    password = make_password(DEMO_PASSWORD)
    district_root, district_staff = load_district(password)
    root = xinqiao()
    assert root is not None
    admin = User.objects.get(username="admin")  # fresh, so its role cache includes the grant

    def child(parent: Organization, name: str, kind: str) -> Organization:
        existing = Organization.objects.get_children(parent).filter(name=name).first()
        return existing or services.organization_create(
            actor=admin, parent=parent, name=name, kind=kind, address=f"新桥镇{name[:4]}（示例）"
        )

    def user(username: str, index: int, role: str, organization: Organization, mobile: str | None = None) -> User:
        last, first = person_name(index)
        account, created = User.objects.get_or_create(
            username=username,
            defaults={
                "last_name": last,
                "first_name": first,
                "email": f"{username}{DEMO_EMAIL_DOMAIN}",
                "mobile": mobile,
                "password": password,
            },
        )
        if created:
            log_activity(actor=admin, action="user.create", target=account)
        if not RoleGrant.objects.filter(user=account, role=role, organization=organization).exists():
            services.role_grant(actor=admin, account=account, role=role, organization=organization)
        return account

    user("leader1", 1, Role.LEADER, root, mobile="13800000002")
    user("leader2", 2, Role.LEADER, root)
    user("leader3", 3, Role.LEADER, root)
    for n in range(1, 4):
        user(f"expert{n}", 3 + n, Role.REVIEWER, root)
    user("finance", 8, Role.FINANCE, root, mobile="13800000003")

    index = 10
    for branch_name, kind, names in GRASSROOTS:
        branch = child(root, branch_name, OrgKind.GENERAL_BRANCH)
        for name in names:
            organization = child(branch, name, kind)
            index += 1
            secretary = user(f"sec{index - 10:02d}", index, Role.SECRETARY, organization)
            if organization.secretary_id is None:
                last, first = person_name(index + 7)
                services.organization_update(
                    actor=admin,
                    organization=organization,
                    name=organization.name,
                    kind=organization.kind,
                    secretary=secretary,
                    contact_name=f"{last}{first}",
                    contact_phone=f"021-5768{index:04d}",
                    address=organization.address,
                )
            if name in CLAIMING_GRASSROOTS:
                user(secretary.username, index, Role.CLAIM_CONTACT, organization)
    first_branch = Organization.objects.get(name=GRASSROOTS[0][2][0])
    user("staff01", 60, Role.ORG_STAFF, first_branch)

    for offset, (names, kind) in enumerate(
        [(STATIONED, OrgKind.STATIONED), (ENTERPRISES, OrgKind.ENTERPRISE), (SOCIAL_ORGS, OrgKind.SOCIAL_ORG)]
    ):
        for n, name in enumerate(names, start=1):
            organization = child(root, name, kind)
            user(f"unit{offset + 1}{n}", 70 + offset * 10 + n, Role.CLAIM_CONTACT, organization)
    load_second_town(district_root, district_staff, password)
    if stdout is not None:
        stdout.write(f"organizations: {Organization.objects.count()}, users: {User.objects.count()}")


def load_second_town(district_root: Organization, district_staff: User, password: str) -> None:
    """泗泾镇: added by the district's staff with its own admin, then its organizations and people."""
    town = second_town()
    if town is None:
        admin, created = demo_user("sjadmin", 100, password)
        if created:
            log_activity(actor=district_staff, action="user.create", target=admin)
        town = services.town_add(
            actor=district_staff, district=district_root, name=SECOND_TOWN_NAME, admin=admin, address="泗泾镇（示例）"
        )
    _profile(district_staff, town)
    admin = User.objects.get(username="sjadmin")

    def child(parent: Organization, name: str, kind: str) -> Organization:
        existing = Organization.objects.get_children(parent).filter(name=name).first()
        return existing or services.organization_create(
            actor=admin, parent=parent, name=name, kind=kind, address=f"泗泾镇{name[:4]}（示例）"
        )

    def user(username: str, index: int, role: str, organization: Organization) -> User:
        account, created = demo_user(username, index, password)
        if created:
            log_activity(actor=admin, action="user.create", target=account)
        if not RoleGrant.objects.filter(user=account, role=role, organization=organization).exists():
            services.role_grant(actor=admin, account=account, role=role, organization=organization)
        return account

    user("sjleader", 101, Role.LEADER, town)
    user("sjexpert", 102, Role.REVIEWER, town)
    user("sjfinance", 103, Role.FINANCE, town)
    index = 110
    for branch_name, kind, names in SECOND_GRASSROOTS:
        branch = child(town, branch_name, OrgKind.GENERAL_BRANCH)
        for name in names:
            organization = child(branch, name, kind)
            index += 1
            secretary = user(f"sjsec{index - 110:02d}", index, Role.SECRETARY, organization)
            if organization.secretary_id is None:
                services.organization_update(
                    actor=admin,
                    organization=organization,
                    name=organization.name,
                    kind=organization.kind,
                    secretary=secretary,
                    contact_name=str(secretary),
                    contact_phone=f"021-5762{index:04d}",
                    address=organization.address,
                )
            if name in SECOND_CLAIMING:
                user(secretary.username, index, Role.CLAIM_CONTACT, organization)
    for n, (name, kind) in enumerate(SECOND_UNITS, start=1):
        user(f"sjunit{n}", 120 + n, Role.CLAIM_CONTACT, child(town, name, kind))


def unload() -> tuple[int, int]:
    """Take the demo's accounts out: (deleted, disabled). An account the append-only activity log names
    cannot be deleted: it stays as a name that can never sign in."""
    deleted = disabled = 0
    for account in User.objects.filter(email__iendswith=DEMO_EMAIL_DOMAIN).order_by("pk"):
        try:
            with transaction.atomic():
                account.delete()
            deleted += 1
        except ProtectedError:
            with transaction.atomic():
                account.is_active = False
                account.set_unusable_password()
                account.save(update_fields=["is_active", "password"])
                log_activity(actor=None, action="user.update", target=account, after={"is_active": False})
            disabled += 1
    return deleted, disabled
