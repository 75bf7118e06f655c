"""In a real browser: choosing the organization held to account narrows the person list to its people."""

import pytest
from playwright.sync_api import expect

from projectize.supervision.models import AccountabilityRecord
from tests.supervision.factories import world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_person_list_follows_the_chosen_organization(page, live_server, login):
    w = world()
    login("admin")
    page.goto(f"{live_server.url}/supervision/accountability/new/")
    person = page.get_by_label("被问责人")
    expect(person.locator("option")).to_have_count(1)  # nobody until an organization is chosen
    page.get_by_label("被问责组织").select_option(label=str(w.org))
    expect(person.locator("option", has_text=str(w.secretary))).to_have_count(1)
    expect(person.locator("option", has_text=str(w.other_secretary))).to_have_count(0)
    page.get_by_label("被问责组织").select_option(label=str(w.other_org))
    expect(person.locator("option", has_text=str(w.other_secretary))).to_have_count(1)
    expect(person.locator("option", has_text=str(w.secretary))).to_have_count(0)
    person.select_option(label=str(w.other_secretary))
    page.get_by_label("问责方式").select_option(label="约谈")
    reason = page.get_by_label("问责事由")
    reason.click()
    reason.press_sequentially("台账长期缺失")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("records")).to_contain_text("台账长期缺失")
    record = AccountabilityRecord.objects.get()
    assert (record.organization, record.person) == (w.other_org, w.other_secretary)
