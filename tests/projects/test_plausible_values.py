"""Values that make no sense are refused beside the field: dates far from the project's year, negative
budgets and indicator figures, an end before the start."""

import pytest
from django.urls import reverse

from projectize.projects.forms import ChangeRequestForm, ProgressReportForm
from projectize.projects.models import Project, ProjectStatus
from tests.projects.factories import make_project
from tests.projects.test_pages import application_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"start_date": "1900-01-01"}, "start_date", "日期应在 2025 年至 2031 年之间"),
        ({"end_date": "2099-12-31"}, "end_date", "日期应在 2025 年至 2031 年之间"),
        ({"budget_requested": "-5000"}, "budget_requested", "申请经费不能为负数"),
        ({"start_date": "2026-06-01", "end_date": "2026-03-01"}, "end_date", "结束日期不能早于开始日期"),
        (
            {"ind-0-name": "受益居民", "ind-0-unit": "人", "ind-0-baseline": "-3", "ind-0-target": "100"},
            "baseline",
            "不能为负数",
        ),
        ({"ind-0-name": "议事会", "ind-0-unit": "次", "ind-0-target": "-24"}, "target", "不能为负数"),
    ],
)
def test_an_application_with_a_value_that_makes_no_sense_is_refused_beside_it(
    client, call, secretary, changes, field, message
):
    client.force_login(secretary)
    response = client.post(reverse("projects:apply", args=[call.pk]), application_post(**changes))
    assert response.status_code == 200
    if field in ("baseline", "target"):  # an indicator row: the error stands in the row
        assert message in response.context["indicator_rows"].forms[0].errors[field][0]
    else:
        assert message in response.context["form"].errors[field][0]
        assert f'data-testid="error-{field}"' in response.content.decode()
    assert not Project.objects.exists()


def test_a_progress_report_refuses_a_negative_figure(org, call):
    project = make_project(org, call, status=ProjectStatus.IN_PROGRESS)
    indicator = project.indicators.all()[0]
    form = ProgressReportForm({"content": "开展议事会", f"actual_{indicator.pk}": "-1"}, indicators=[indicator])
    assert not form.is_valid()
    assert form.errors[f"actual_{indicator.pk}"] == ["不能为负数。"]


def test_a_change_request_refuses_dates_far_from_the_project_and_negative_targets(org, call):
    project = make_project(org, call, status=ProjectStatus.IN_PROGRESS)
    indicator = project.indicators.filter(is_custom=False)[0]
    form = ChangeRequestForm(
        {"new_end_date": "2099-01-01", f"target_{indicator.pk}": "-10", "reason": "延期"}, project=project
    )
    assert not form.is_valid()
    assert "请检查年份" in form.errors["new_end_date"][0]
    assert form.errors[f"target_{indicator.pk}"] == ["不能为负数。"]
