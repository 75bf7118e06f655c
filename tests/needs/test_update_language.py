"""The tracking page words each step in the reader's language, whatever language staff worked in: updates
are stored as a code with parameters; updates written before that keep showing their stored text."""

import re

import pytest

from projectize.needs.models import Need, NeedStatus, NeedUpdate
from projectize.orgs.models import Role
from projectize.programmes.models import TargetStatus
from tests.factories import make_root, user_with_role
from tests.needs.factories import make_category, make_need
from tests.programmes.factories import make_programme, make_section, make_target

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u4e00-\u9fff]")


def progress(html: str) -> str:
    """The text of the tracking page's 办理进度 list."""
    listed = re.search(r'data-testid="need-updates">(.*?)</ol>', html, re.S)
    assert listed is not None
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", listed.group(1)))


def test_steps_taken_in_chinese_read_in_english_on_the_english_tracking_page(client):
    town = make_root()
    staff = user_with_role(Role.TOWN_ADMIN, town)
    target = make_target(make_section(make_programme(town)), status=TargetStatus.DRAFT)
    target.title = "Evening parking"
    target.save(update_fields=["title"])
    # A resident submits a need on the portal; staff, working in Chinese, link it and merge a repeat into it.
    client.post(
        "/needs/public/new/",
        {"title": "Parking", "description": "Cars block the fire lane.", "category": make_category(town).pk},
    )
    need = Need.objects.get()
    repeat = make_need(town, title="Parking again")
    client.force_login(staff)
    client.post(f"/programmes/needs/{need.pk}/link/", {"target": target.pk}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.post(f"/needs/{repeat.pk}/merge/", {"survivor": need.pk, "note": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.logout()

    stored = list(need.updates.values_list("verb", "params", "message"))
    assert stored == [
        ("need.received", {}, ""),
        ("need.planned", {"target": str(target)}, ""),
        ("need.absorbed", {"title": "Parking again"}, ""),
    ]
    assert repeat.updates.get().verb == "need.merged"

    english = progress(client.get(f"/needs/public/track/{need.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Your need has been received; we will handle it as soon as possible." in english
    assert f"Now part of the target “{target}”." in english
    assert "The identical need “Parking again” has been merged into this one." in english
    assert not HAN.search(english), english

    chinese = progress(client.get(f"/needs/public/track/{need.code}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    assert f"已纳入标的《{target}》。" in chinese


def test_an_update_stored_as_text_before_codes_keeps_its_text(client):
    need = make_need(make_root())
    NeedUpdate.objects.create(need=need, need_status=NeedStatus.RECEIVED, message="需求已收到，我们会尽快处理。")
    english = progress(client.get(f"/needs/public/track/{need.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "需求已收到，我们会尽快处理。" in english
