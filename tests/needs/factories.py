from typing import Any

from projectize.needs.models import Channel, Need, NeedCategory
from projectize.needs.similarity import token_text
from projectize.orgs.models import Organization


def make_category(organization: Organization, name: str = "交通管理") -> NeedCategory:
    return NeedCategory.objects.get_or_create(organization=organization, name=name)[0]


def make_need(organization: Organization, title: str = "小区门口停车难", **fields: Any) -> Need:
    values: dict[str, Any] = {
        "description": "晚上车辆乱停，消防通道被堵。",
        "channel": Channel.PORTAL,
        "category": fields.pop("category", None) or make_category(organization),
        **fields,
    }
    values["tokens"] = token_text(title, values["description"])
    return Need.objects.create(organization=organization, title=title, **values)
