"""A committee with one programme, a target and two claiming units, for claims tests."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from projectize.claims.models import Claim, ClaimStatus, ResourceKind
from projectize.orgs.models import Organization, OrgKind, Role, User
from projectize.programmes.models import Target, TargetStatus
from tests.factories import make_org, make_root, user_with_role
from tests.programmes.factories import make_programme, make_section, make_target


@dataclass
class Setup:
    root: Organization
    staff: User
    target: Target
    units: list[Organization]
    contacts: list[User]


def setup(max_units: int = 1, status: str = TargetStatus.PUBLISHED) -> Setup:
    root = make_root()
    staff = user_with_role(Role.TOWN_ADMIN, root)
    target = make_target(make_section(make_programme(root)), status=status, max_units=max_units)
    units = [
        make_org(root, "新桥派出所党支部", OrgKind.STATIONED),
        make_org(root, "新桥商业广场有限公司", OrgKind.ENTERPRISE),
        make_org(root, "邻里调解服务社", OrgKind.SOCIAL_ORG),
    ]
    contacts = [user_with_role(Role.CLAIM_CONTACT, unit) for unit in units]
    return Setup(root, staff, target, units, contacts)


def claim(s: Setup, index: int, status: str = ClaimStatus.SUBMITTED, **fields: Any) -> Claim:
    return make_claim(s.target, s.units[index], status, contact=s.contacts[index], **fields)


def make_claim(
    target: Target, unit: Organization, status: str = ClaimStatus.SUBMITTED, contact: User | None = None, **fields: Any
) -> Claim:
    """A claim of `unit` on `target`; the unit gets a claim contact if none is given."""
    fields.setdefault("submitted_at", None if status == ClaimStatus.DRAFT else timezone.now())
    made = Claim.objects.create(
        target=target,
        organization=unit,
        contact=contact or user_with_role(Role.CLAIM_CONTACT, unit),
        status=status,
        plan="方案",
        reasons="理由",
        team="团队",
        timeline="安排",
        **fields,
    )
    made.resources.create(kind=ResourceKind.PARTY, description="党员志愿者")
    return made


def past_deadline(s: Setup) -> None:
    programme = s.target.programme
    programme.claim_closes = timezone.now() - timedelta(minutes=1)
    programme.claim_opens = programme.claim_closes - timedelta(days=30)
    programme.save()


def in_notice(s: Setup, ended: bool = False) -> None:
    now = timezone.now()
    s.target.status = TargetStatus.NOTICE
    s.target.notice_starts_at = now - timedelta(days=8 if ended else 1)
    s.target.notice_ends_at = now - timedelta(minutes=1) if ended else now + timedelta(days=6)
    s.target.save()


def with_pks(holder: Any, params: dict[str, Any]) -> dict[str, Any]:
    """GET parameters in which an organization or a programme is named by an attribute of `holder`
    (a test's fixture), replaced by its number."""
    named = ("organization", "programme")
    return {key: getattr(holder, value).pk if key in named else value for key, value in params.items()}
