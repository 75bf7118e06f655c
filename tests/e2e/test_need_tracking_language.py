"""A resident who reads English follows a need that staff handled in Chinese, in a real browser."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from projectize.needs import services
from projectize.needs.models import Channel
from projectize.orgs.models import Role
from projectize.programmes import services as programme_services
from projectize.programmes.models import TargetStatus
from tests.factories import make_root, user_with_role
from tests.needs.factories import make_category
from tests.programmes.factories import make_programme, make_section, make_target

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_english_tracking_page_reads_english_after_staff_acted_in_chinese(page, live_server, screenshot):
    town = make_root()
    staff = user_with_role(Role.TOWN_ADMIN, town)
    target = make_target(make_section(make_programme(town)), status=TargetStatus.DRAFT)
    with translation.override("zh-hans"):
        need = services.need_create(
            organization=town,
            actor=None,
            title="小区门口停车难",
            description="晚上车辆乱停，消防通道被堵。",
            category=make_category(town),
            channel=Channel.PORTAL,
        )
        programme_services.need_link_target(need=need, target=target, actor=staff)

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/needs/public/track/{need.code}/")
    updates = page.get_by_test_id("need-updates")
    expect(updates).to_contain_text("Your need has been received; we will handle it as soon as possible.")
    expect(updates).to_contain_text(f"Now part of the target “{target}”.")
    expect(updates).not_to_contain_text("已纳入标的")
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(f"need-tracking-en-{width}")
