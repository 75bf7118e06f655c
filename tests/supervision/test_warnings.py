import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from projectize.core.activity import sentence
from projectize.core.models import ActivityLog, Notification
from projectize.projects.models import (
    Acceptance,
    AcceptanceConclusion,
    AcceptanceStatus,
    Milestone,
    ProgressReport,
    ReportStatus,
)
from projectize.supervision.models import ProjectWarning, ProjectWarningLevel, RuleKind
from projectize.supervision.selectors import accountability_summary
from projectize.supervision.services import accountability_record, letter_send, rule_save, warnings_evaluate
from tests.supervision.factories import draft_letter, world

pytestmark = pytest.mark.django_db
DUE = datetime.date(2026, 4, 1)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9, 0)), tick=False)


@pytest.fixture
def w():
    w = world()
    for kind in RuleKind.values:
        for level, days in (
            (ProjectWarningLevel.REMINDER, 0),
            (ProjectWarningLevel.CAUTION, 7),
            (ProjectWarningLevel.CIRCULAR, 30),
        ):
            rule_save(organization=w.committee, kind=kind, level=level, days=days, is_active=True, actor=w.admin)
    return w


def levels(cause: str) -> list[str]:
    return list(ProjectWarning.objects.filter(cause=cause).order_by("id").values_list("level", flat=True))


def test_an_overdue_report_escalates_once_per_level(w):
    report = ProgressReport.objects.create(project=w.project, number=1, due_date=DUE, status=ReportStatus.DUE)
    cause = f"report:{report.pk}"
    with at(DUE):
        assert warnings_evaluate() == []
    with at(DUE + datetime.timedelta(days=1)):
        [warning] = warnings_evaluate()
        assert warnings_evaluate() == []
    assert warning.level == ProjectWarningLevel.REMINDER and "逾期 1 天" in warning.message
    assert warning.organization == w.org
    assert any(n.heading.startswith("提醒") for n in Notification.objects.filter(recipient=w.secretary))
    with at(DUE + datetime.timedelta(days=7)):
        warnings_evaluate()
    with at(DUE + datetime.timedelta(days=8)):
        warnings_evaluate()
    assert levels(cause) == [ProjectWarningLevel.REMINDER, ProjectWarningLevel.CAUTION]
    with at(DUE + datetime.timedelta(days=45)):
        warnings_evaluate()
        warnings_evaluate()
    assert levels(cause) == [ProjectWarningLevel.REMINDER, ProjectWarningLevel.CAUTION, ProjectWarningLevel.CIRCULAR]


def test_a_submitted_report_raises_nothing(w):
    ProgressReport.objects.create(project=w.project, number=1, due_date=DUE, status=ReportStatus.SUBMITTED)
    with at(DUE + datetime.timedelta(days=40)):
        assert warnings_evaluate() == []


def test_a_cause_found_late_gets_only_the_highest_level_it_reached(w):
    milestone = Milestone.objects.create(project=w.project, title="成立议事会", due_date=DUE)
    with at(DUE + datetime.timedelta(days=10)):
        warnings_evaluate()
    assert levels(f"milestone:{milestone.pk}") == [ProjectWarningLevel.CAUTION]


def test_switched_off_rules_raise_nothing(w):
    for level in ProjectWarningLevel.values:
        rule_save(
            organization=w.committee,
            kind=RuleKind.MISSED_MILESTONE,
            level=level,
            days=0,
            is_active=False,
            actor=w.admin,
        )
    Milestone.objects.create(project=w.project, title="成立议事会", due_date=DUE)
    with at(DUE + datetime.timedelta(days=40)):
        assert warnings_evaluate() == []


def test_unanswered_letters_and_failed_acceptances_are_warned(w):
    with at(DUE - datetime.timedelta(days=20)):
        letter = letter_send(letter=draft_letter(w, items=1, deadline_days=20), actor=w.admin)
    acceptance = Acceptance.objects.create(
        project=w.project,
        scheduled_on=DUE,
        status=AcceptanceStatus.CONCLUDED,
        conclusion=AcceptanceConclusion.FAILED,
    )
    with at(DUE + datetime.timedelta(days=2)):
        warnings_evaluate()
    assert levels(f"letter:{letter.pk}") == [ProjectWarningLevel.REMINDER]
    assert levels(f"acceptance:{acceptance.pk}") == [ProjectWarningLevel.REMINDER]


def test_the_daily_command_does_the_same_and_is_idempotent(w):
    ProgressReport.objects.create(project=w.project, number=1, due_date=DUE, status=ReportStatus.DUE)
    out = StringIO()
    with at(DUE + datetime.timedelta(days=3)):
        call_command("evaluate_warnings", stdout=out)
        call_command("evaluate_warnings", stdout=out)
    assert out.getvalue().split() == ["warnings", "raised:", "1", "warnings", "raised:", "0"]


def test_the_summary_counts_an_organizations_year(w):
    ProgressReport.objects.create(project=w.project, number=1, due_date=DUE, status=ReportStatus.DUE)
    with at(DUE + datetime.timedelta(days=40)):
        warnings_evaluate()
    accountability_record(
        organization=w.org, date=DUE, measure="talk", reason="进展报告长期逾期", project=w.project, actor=w.admin
    )
    summary = accountability_summary(w.org, DUE.year)
    assert (summary.reminders, summary.cautions, summary.circulars, summary.records) == (0, 0, 1, 1)
    assert accountability_summary(w.other_org, DUE.year).warnings == 0
    assert accountability_summary(w.org, DUE.year - 1).records == 0


def test_the_daily_task_runs_in_the_embedded_default(w):
    from projectize.supervision.tasks import evaluate_warnings

    Milestone.objects.create(project=w.project, title="成立议事会", due_date=DUE)
    with at(DUE + datetime.timedelta(days=2)):
        assert evaluate_warnings.delay().get() == 1
        assert evaluate_warnings.delay().get() == 0


def test_an_overdue_reports_warning_is_worded_in_the_readers_language_in_the_log(w):
    ProgressReport.objects.create(project=w.project, number=1, due_date=DUE, status=ReportStatus.DUE)
    with at(DUE + datetime.timedelta(days=3)):
        [warning] = warnings_evaluate()
    entry = ActivityLog.objects.get(action="warning.raise")
    assert f"{w.project} 第 1 期进展报告 逾期 3 天未交" in warning.message
    with translation.override("en"):
        worded = sentence(entry.action, entry.params)
    assert f"{w.project} progress report 1 not submitted, 3 days overdue" in worded
    assert "期" not in worded.replace(str(w.project), "")
