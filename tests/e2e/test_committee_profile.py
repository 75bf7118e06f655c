"""In a real browser: a town's admin gives the town's public site its brand, colours and logo, and residents
see them; a wrong prefix is named beside its field and nothing saved is lost."""

from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect

from projectize.core.models import ActivityLog
from projectize.orgs.models import CommitteeProfile, Role
from tests.factories import make_root, user_with_role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def png() -> bytes:
    image = BytesIO()
    Image.new("RGB", (64, 64), (250, 200, 40)).save(image, "PNG")
    return image.getvalue()


def test_a_town_admin_sets_the_brand_colours_and_logo_of_the_towns_site(page, live_server, login, screenshot):
    town = make_root("泖港镇党委")
    CommitteeProfile.objects.create(organization=town, slug="maogang")
    user_with_role(Role.TOWN_ADMIN, town, username="mgadmin")
    login("mgadmin")

    page.goto(f"{live_server.url}/orgs/{town.pk}/")
    page.get_by_role("link", name="网站与品牌").click()
    page.get_by_label("品牌名称").click()
    page.get_by_label("品牌名称").fill("泖港聚力")
    page.get_by_label("主色").fill("#1e5aa0")
    page.get_by_label("标志").set_input_files({"name": "标志.png", "mimeType": "image/png", "buffer": png()})
    page.get_by_label("项目编号前缀").fill("mg")
    page.get_by_role("button", name="保存").click()

    # The lower-case prefix is refused beside its field; the rest stays as typed, nothing is saved.
    expect(page.locator("#id_code_prefix").locator("xpath=..")).to_contain_text("大写字母")
    expect(page.get_by_label("品牌名称")).to_have_value("泖港聚力")
    assert CommitteeProfile.objects.get(organization=town).brand_name == ""
    screenshot("committee-profile-error")

    page.get_by_label("项目编号前缀").fill("MG")
    page.get_by_label("标志").set_input_files({"name": "标志.png", "mimeType": "image/png", "buffer": png()})
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").first).to_contain_text("已保存")

    profile = CommitteeProfile.objects.get(organization=town)
    assert (profile.brand_name, profile.brand_colour, profile.code_prefix) == ("泖港聚力", "#1e5aa0", "MG")
    assert (profile.logo.name or "").startswith("brands/")
    assert ActivityLog.objects.filter(action="organization.update", actor__username="mgadmin").exists()

    # Residents see the brand, its colour and the logo on the town's site.
    page.goto(f"{live_server.url}/t/maogang/")
    expect(page.get_by_test_id("public-brand")).to_contain_text("泖港聚力")
    header = page.locator("header.brand-bar")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(30, 90, 160)"
    logo = page.get_by_test_id("public-brand").locator("img.brand-logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("e => e.naturalWidth") == 64
    screenshot("committee-profile-public-site")

    # The logo can be taken away again.
    page.goto(f"{live_server.url}/orgs/{town.pk}/profile/")
    expect(page.get_by_test_id("current-logo")).to_be_visible()
    screenshot("committee-profile-form")
    page.get_by_label("去掉现有标志").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").first).to_contain_text("已保存")
    profile.refresh_from_db()
    assert not profile.logo

    # In English on a phone, the committee's page leads to the brand page, in English.
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="展开菜单").click()
    page.get_by_test_id("lang-switch").click()
    page.get_by_role("link", name="Site and brand").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Site and brand")
    expect(page.get_by_label("Logo")).to_be_visible()
    screenshot("committee-profile-form-390-en")
