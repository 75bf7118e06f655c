"""A resident on a phone narrows the public target list: picks a programme, then one of its sections, then a
status, from the drop-downs, and sees only those targets under their headings (issue 15)."""

import pytest
from playwright.sync_api import expect

from projectize.programmes.models import TargetStatus
from tests.factories import make_root
from tests.programmes.factories import make_programme, make_section, make_target

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_filters_the_targets_by_programme_section_and_status(page, live_server, screenshot):
    root = make_root()
    programme = make_programme(root, year=2026, title="家新桥")
    traffic, safety = make_section(programme, "交通管理", 1), make_section(programme, "平安建设", 2)
    make_target(traffic, title="居民区停车秩序治理")
    make_target(traffic, title="学校周边交通护航", status=TargetStatus.AWARDED)
    make_target(safety, title="电动车安全充电")
    make_target(make_section(make_programme(root, year=2025, title="家新桥")), title="去年的路灯工程")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/programmes/public/")
    expect(page.get_by_test_id("target-count")).to_have_text("共 4 个标的")
    page.get_by_label("品牌项目").select_option(label="2026 家新桥")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("target-count")).to_have_text("共 3 个标的")
    page.get_by_label("板块").select_option(label="交通管理")
    page.get_by_label("状态").select_option(label="认领中")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("public-targets")).to_have_count(1)
    expect(page.get_by_test_id("public-targets")).to_contain_text("居民区停车秩序治理")
    expect(page.get_by_role("heading", name="交通管理")).to_be_visible()
    expect(page.get_by_text("学校周边交通护航")).to_have_count(0)
    screenshot("public-target-filters-390-zh")
    page.get_by_role("link", name="清除筛选").click()
    expect(page.get_by_test_id("target-count")).to_have_text("共 4 个标的")
