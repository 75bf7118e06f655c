from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager

from projectize.core.models import TimeStampedModel

mobile_validator = RegexValidator(r"^1\d{10}$", _("请输入 11 位手机号码，例如 13812345678。"))
phone_validator = RegexValidator(r"^[0-9+\-() ]{5,20}$", _("请输入有效的电话号码。"))


class User(AbstractUser):
    mobile = models.CharField(
        _("手机号码"), max_length=11, unique=True, null=True, blank=True, validators=[mobile_validator]
    )
    # The language the person last chose to read in: notification e-mails are written in it.
    language = models.CharField(_("语言"), max_length=16, blank=True, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.name_of(self.last_name, self.first_name, self.username)

    def get_full_name(self) -> str:
        return self.name_of(self.last_name, self.first_name, "")

    @staticmethod
    def name_of(last_name: str, first_name: str, username: str) -> str:
        """How a person is named, from the columns alone (exports read them without loading users)."""
        # Chinese names are written family name first, without a space.
        return f"{last_name}{first_name}".strip() or username


class OrgKind(models.TextChoices):
    CITY = "city", _("市委")
    DISTRICT = "district", _("区委")
    COMMITTEE = "committee", _("镇党委")
    SUBDISTRICT = "subdistrict", _("街道党工委")
    PARTY_COMMITTEE = "party_committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    RESIDENTIAL = "residential", _("居民区党组织")
    VILLAGE = "village", _("村党组织")
    ENTERPRISE_PARTY = "enterprise_party", _("两新企业党组织")
    SOCIAL_PARTY = "social_party", _("社会组织党组织")
    INSTITUTION = "institution", _("机关事业单位党组织")
    STATIONED = "stationed", _("驻区单位党组织")
    ENTERPRISE = "enterprise", _("企业")
    SOCIAL_ORG = "social_org", _("社会组织")


# Kinds that are units rather than party organizations: they may claim targets, nothing more.
NON_PARTY_KINDS = frozenset({OrgKind.ENTERPRISE, OrgKind.SOCIAL_ORG})
# A town's committee (a town or a subdistrict): it runs its own calls, programmes, funds and showcase.
TOWN_KINDS = frozenset({OrgKind.COMMITTEE, OrgKind.SUBDISTRICT})
# Committees above the towns: a district over its towns, a city over its districts.
ABOVE_TOWN_KINDS = frozenset({OrgKind.CITY, OrgKind.DISTRICT})
# Every committee owns what it runs (calls, programmes, funds, showcases, categories, rubrics, warning rules,
# letter numbers): an organization belongs to its nearest committee ancestor (orgs.selectors.committee_of).
COMMITTEE_KINDS = TOWN_KINDS | ABOVE_TOWN_KINDS


class Organization(MP_Node, TimeStampedModel):
    """A node of the organization tree: committees (a city, its districts, their towns), and under each town
    its branches and units.

    Materialized paths make a subtree one indexed `path LIKE 'prefix%'` query at any size.
    """

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=32, choices=OrgKind.choices)
    secretary = models.ForeignKey(
        User, verbose_name=_("书记"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    objects: MP_NodeManager = MP_NodeManager()
    node_order_by = ["name"]

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        indexes = [
            models.Index(fields=["kind"]),
            models.Index(fields=["name"]),
            # One level of the tree in order (a node's children, the roots, the top levels of a subtree): at
            # 100,000 organizations a level is read without scanning the levels below it.
            models.Index(fields=["depth", "path"], name="orgs_level_in_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:detail", args=[self.pk])

    @property
    def is_party_org(self) -> bool:
        return self.kind not in NON_PARTY_KINDS

    @property
    def is_committee(self) -> bool:
        return self.kind in COMMITTEE_KINDS

    @property
    def organization(self) -> "Organization":
        # Lets the activity log and permission helpers treat an organization like its own objects.
        return self


class Role(models.TextChoices):
    TOWN_ADMIN = "town_admin", _("镇党委管理员")
    LEADER = "leader", _("党委领导")
    REVIEWER = "reviewer", _("评审专家")
    SECRETARY = "secretary", _("组织书记")
    ORG_STAFF = "org_staff", _("组织联络员")
    CLAIM_CONTACT = "claim_contact", _("认领单位联系人")
    FINANCE = "finance", _("经费管理员")
    # Granted at a district (or city) committee: they read every town below, change nothing of a town's, and
    # run what the district itself owns (its calls, programmes, letters to town committees).
    DISTRICT_STAFF = "district_staff", _("区委组织部工作人员")
    DISTRICT_LEADER = "district_leader", _("区委领导")


class RoleGrant(TimeStampedModel):
    """A user holds a role in an organization; the right reaches the organization's whole subtree."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    organization = models.ForeignKey(
        Organization, verbose_name=_("组织"), on_delete=models.CASCADE, related_name="grants"
    )

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organization"], name="unique_role_grant"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"


hex_colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("请输入 # 开头的六位颜色代码，例如 #b3001b。"))
code_prefix_validator = RegexValidator(r"^[A-Z]{1,6}$", _("请用 1 到 6 个大写字母，例如 SJ。"))


class CommitteeProfile(TimeStampedModel):
    """What a committee shows of itself: the brand of its public site (name, colours, logo, the address
    /t/<slug>/) and the letters that start its project numbers."""

    organization = models.OneToOneField(
        Organization, verbose_name=_("党委"), primary_key=True, on_delete=models.CASCADE, related_name="profile"
    )
    slug = models.SlugField(
        _("网址标识"), max_length=40, unique=True, help_text=_("公开网站的网址用它区分各镇，例如 xinqiao。")
    )
    brand_name = models.CharField(
        _("品牌名称"), max_length=50, blank=True, help_text=_("区域化党建品牌，例如“家新桥”。")
    )
    brand_colour = models.CharField(_("主色"), max_length=7, default="#b3001b", validators=[hex_colour_validator])
    accent_colour = models.CharField(_("辅色"), max_length=7, default="#f3d6d9", validators=[hex_colour_validator])
    logo = models.FileField(_("标志"), upload_to="brands/", blank=True)
    code_prefix = models.CharField(
        _("项目编号前缀"),
        max_length=6,
        blank=True,
        validators=[code_prefix_validator],
        help_text=_("写在本镇项目编号之前，例如 SJ-2026-CX-001，使各镇的编号互不相同。"),
    )

    class Meta:
        verbose_name = _("党委信息")
        verbose_name_plural = _("党委信息")
        constraints = [
            models.UniqueConstraint(
                fields=["code_prefix"], condition=~Q(code_prefix=""), name="unique_committee_code_prefix"
            ),
        ]

    def __str__(self) -> str:
        return self.brand_name or self.slug


class PasswordRecord(models.Model):
    """A password a person has set (its hash only): refuses reuse of recent ones and dates the current one."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="password_records")
    password = models.CharField(_("密码摘要"), max_length=128)
    set_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        indexes = [models.Index(fields=["user", "-set_at"])]
        ordering = ["-set_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.set_at:%Y-%m-%d %H:%M}"
