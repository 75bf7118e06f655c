"""Programmes, sections and targets for tests: a committee with one programme whose claim window is open."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from projectize.orgs.models import Organization
from projectize.programmes.models import Programme, Section, Target, TargetStatus


def make_programme(organization: Organization, **fields: Any) -> Programme:
    now = timezone.now()
    values: dict[str, Any] = {
        "year": now.year,
        "title": "家新桥",
        "claim_opens": now - timedelta(days=1),
        "claim_closes": now + timedelta(days=10),
        "notice_days": 7,
        **fields,
    }
    return Programme.objects.create(organization=organization, **values)


def make_section(programme: Programme, title: str = "交通管理", order: int = 1) -> Section:
    return Section.objects.create(programme=programme, title=title, order=order)


def make_target(section: Section, status: str = TargetStatus.PUBLISHED, **fields: Any) -> Target:
    values: dict[str, Any] = {
        "title": "新桥路口停车治理",
        "description": "解决居民区周边停车难。",
        "expected_outcomes": "新增停车位 50 个。",
        "support_funds": Decimal("50000.00"),
        "max_units": 1,
        **fields,
    }
    published = timezone.now() if status != TargetStatus.DRAFT else None
    return Target.objects.create(
        programme=section.programme, section=section, status=status, published_at=published, **values
    )
