"""Records are kept as codes and parameters: whoever acted, each reader reads them in their own language."""

import re
from decimal import Decimal

import pytest
from django.core import mail

from projectize.core.jobs import jobs_run_pending
from projectize.core.models import ActivityLog, Notification
from projectize.funds.models import FundKind
from projectize.funds.services import budget_create
from projectize.orgs.models import Role
from projectize.projects.models import Project, ProjectStatus
from tests.factories import PASSWORD, make_org, make_root, user_with_role
from tests.projects.factories import make_call, make_project, move_call

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def part(html: str, testid: str) -> str:
    """The element marked data-testid=`testid` (a list or table), as HTML."""
    start = html.index(f'data-testid="{testid}"')
    tag = html.rfind("<", 0, start)
    name = html[tag + 1 : html.index(" ", tag)]
    return html[tag : html.index(f"</{name}>", start)]


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    town = make_root("Riverside Committee")
    branch = make_org(town, "Riverside Branch")
    # Names and titles are people's data, shown as typed; here they are in English so that anything
    # Chinese on an English page would be the interface's own words.
    admin = user_with_role(
        Role.TOWN_ADMIN, town, username="admin", last_name="Wang", first_name=" Fang", email="a@example.org"
    )
    secretary = user_with_role(
        Role.SECRETARY, branch, username="sec", last_name="Li", first_name=" Ming", email="s@example.org"
    )
    call = make_call(town, 2026, phase="application", title="Annual call 2026")
    project = make_project(branch, call, title="Reading Corner")
    return {"town": town, "admin": admin, "secretary": secretary, "project": project}


def read_as(client, user, language):
    client.logout()
    client.login(username=user.username, password=PASSWORD)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})


def test_a_chinese_readers_steps_read_in_english_for_an_english_reader(
    client, world, django_capture_on_commit_callbacks
):
    admin, secretary, project = world["admin"], world["secretary"], world["project"]
    read_as(client, admin, "en")
    admin.refresh_from_db()
    assert admin.language == "en"  # kept for the e-mails sent to them

    read_as(client, secretary, "zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/workflow/projects.project/{project.pk}/submit/", {"next": project.get_absolute_url()}, follow=True
        )
    assert "已提交申报“Reading Corner”。" in response.content.decode()
    budget_create(organization=world["town"], year=2026, kind=FundKind.MANAGEMENT, amount=Decimal(24000), actor=admin)

    # The e-mail to the admin is in the admin's language.
    jobs_run_pending()
    [message] = mail.outbox
    assert message.to == ["a@example.org"] and message.subject == "Reading Corner: Submit application"

    read_as(client, admin, "en")
    timeline = part(client.get(project.get_absolute_url()).content.decode(), "timeline")
    assert "Submit application" in timeline and "Submitted" in timeline
    assert not CJK.search(timeline), timeline
    log = part(client.get("/activity/").content.decode(), "activity-log")
    assert "Budget of ¥24,000.00 set up" in log and "Submit application" in log
    assert not CJK.search(log), log
    notices = part(client.get("/notifications/").content.decode(), "notifications")
    assert "Reading Corner: Submit application" in notices and not CJK.search(notices)


def test_an_english_readers_steps_read_in_chinese_for_a_chinese_reader(client, world):
    admin, secretary, project = world["admin"], world["secretary"], world["project"]
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.SUBMITTED)
    move_call(project.call, "review")
    read_as(client, admin, "en")
    response = client.post(
        f"/workflow/projects.project/{project.pk}/return/",
        {"next": project.get_absolute_url(), "note": "Please add the number of households."},
        follow=True,
    )
    assert "Done: Returned for revision “Reading Corner”." in response.content.decode()
    entry = ActivityLog.objects.get(action="project.return")
    assert entry.message == "" and entry.params == {"note": "Please add the number of households."}

    read_as(client, secretary, "zh-hans")
    timeline = part(client.get(project.get_absolute_url()).content.decode(), "timeline")
    assert "退回修改" in timeline and "状态：" in timeline and "已提交 → 退回修改" in timeline
    assert "Returned for revision" not in timeline and "Status" not in timeline
    # What the admin typed is shown as typed.
    assert "Please add the number of households." in timeline
    notice = Notification.objects.get(recipient=secretary)
    assert notice.heading == "Reading Corner：退回修改"
