"""The workflow engine, proved on a small example process (tests.workflow_example.Ticket)."""

import dataclasses

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import translation

from projectize.core.activity import action_choices, changes
from projectize.core.jobs import jobs_run_pending
from projectize.core.models import ActivityLog, Notification
from projectize.core.workflow import NextStep, TransitionError
from projectize.orgs.models import Role
from tests.factories import PASSWORD, make_org, make_root, user_with_role
from tests.workflow_example.models import Ticket
from tests.workflow_example.workflows import TICKET

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    root = make_root()
    branch = make_org(root, "新桥居民区党总支")
    other = make_org(root, "春申居民区党总支")
    return {
        "root": root,
        "branch": branch,
        "other": other,
        "admin": user_with_role(Role.TOWN_ADMIN, root, username="admin"),
        "secretary": user_with_role(Role.SECRETARY, branch, username="sec"),
        "outsider": user_with_role(Role.SECRETARY, other, username="outsider"),
    }


def ticket(town, status=Ticket.Status.DRAFT, title="修缮楼道灯") -> Ticket:
    return Ticket.objects.create(title=title, organization=town["branch"], author=town["secretary"], status=status)


def test_the_example_app_has_its_migrations():
    call_command("makemigrations", "workflow_example", "--check", "--dry-run", verbosity=0)


def test_available_lists_only_steps_the_user_may_take_now(town):
    draft = ticket(town)
    names = lambda user, obj: [t.name for t in TICKET.available(user, obj)]  # noqa: E731
    assert names(town["secretary"], draft) == ["submit"]
    assert names(town["admin"], draft) == []
    assert names(town["outsider"], draft) == []
    submitted = ticket(town, Ticket.Status.SUBMITTED)
    assert names(town["admin"], submitted) == ["approve", "send_back"]
    assert names(town["secretary"], submitted) == []


def test_apply_moves_the_state_logs_before_after_and_ip_and_notifies(town, django_capture_on_commit_callbacks):
    item = ticket(town, Ticket.Status.SUBMITTED)
    from projectize.core.middleware import current_ip

    token = current_ip.set("10.1.2.3")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            saved = TICKET.apply(item, "approve", actor=town["admin"], note="同意")
    finally:
        current_ip.reset(token)
    item.refresh_from_db()
    assert saved.status == item.status == Ticket.Status.APPROVED
    assert item.decided_by == town["admin"]  # the transition's effect ran in the same save
    entry = ActivityLog.objects.get(action="ticket.approve")
    assert entry.actor == town["admin"]
    assert [row[1:] for row in changes(entry)] == [("已提交", "已通过")]
    assert entry.ip == "10.1.2.3"
    assert entry.note == "同意"
    assert entry.organization == town["branch"]
    note = Notification.objects.get(recipient=town["secretary"])
    assert "通过" in note.heading and note.content == "同意" and note.url == item.get_absolute_url()
    jobs_run_pending()
    assert [m.to for m in mail.outbox] == [[town["secretary"].email]]


def test_apply_refuses_a_wrong_state_and_changes_nothing(town):
    item = ticket(town, Ticket.Status.APPROVED)
    with pytest.raises(TransitionError, match="当前状态为“已通过”，不能执行“通过”"):
        TICKET.apply(item, "approve", actor=town["admin"])
    item.refresh_from_db()
    assert item.status == Ticket.Status.APPROVED
    assert not ActivityLog.objects.exists()


def test_apply_refuses_a_user_without_the_right(town):
    item = ticket(town, Ticket.Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        TICKET.apply(item, "approve", actor=town["secretary"])
    with pytest.raises(PermissionDenied):
        TICKET.apply(ticket(town), "submit", actor=town["outsider"])
    assert set(Ticket.objects.values_list("status", flat=True)) == {"submitted", "draft"}
    assert not ActivityLog.objects.exists() and not Notification.objects.exists()


def test_apply_refuses_a_failing_guard_with_its_message(town):
    item = ticket(town, title="  ")
    with pytest.raises(TransitionError, match="请先填写标题。"):
        TICKET.apply(item, "submit", actor=town["secretary"])
    item.refresh_from_db()
    assert item.status == Ticket.Status.DRAFT
    assert not ActivityLog.objects.exists()


def test_a_step_that_needs_a_reason_refuses_an_empty_note(town):
    item = ticket(town, Ticket.Status.SUBMITTED)
    with pytest.raises(TransitionError, match="请填写“退回”的理由"):
        TICKET.apply(item, "send_back", actor=town["admin"], note="  ")
    TICKET.apply(item, "send_back", actor=town["admin"], note="请补充预算")
    item.refresh_from_db()
    assert item.status == Ticket.Status.RETURNED


def test_an_unknown_step_is_refused(town):
    with pytest.raises(TransitionError, match="未知的操作"):
        TICKET.apply(ticket(town), "publish", actor=town["admin"])


# The generic endpoint behind {% workflow_actions %} ----------------------------------------------


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_the_endpoint_takes_a_step_and_redirects_back(client, town):
    item = ticket(town)
    login(client, town["secretary"])
    response = client.post(f"/workflow/workflow_example.ticket/{item.pk}/submit/", {"next": "/orgs/"})
    assert response.status_code == 302 and response["Location"] == "/orgs/"
    item.refresh_from_db()
    assert item.status == Ticket.Status.SUBMITTED
    assert ActivityLog.objects.get(action="ticket.submit").ip == "127.0.0.1"


def test_the_endpoint_shows_a_refusal_as_a_message_and_changes_nothing(client, town):
    item = ticket(town, title="")
    login(client, town["secretary"])
    response = client.post(f"/workflow/workflow_example.ticket/{item.pk}/submit/", follow=True)
    assert "请先填写标题。" in [str(m) for m in response.context["messages"]]
    item.refresh_from_db()
    assert item.status == Ticket.Status.DRAFT


def test_the_endpoint_answers_404_outside_the_users_scope_as_the_objects_page_does(client, town):
    item = ticket(town, Ticket.Status.SUBMITTED)
    login(client, town["outsider"])
    assert client.post(f"/workflow/workflow_example.ticket/{item.pk}/approve/").status_code == 404
    item.refresh_from_db()
    assert item.status == Ticket.Status.SUBMITTED


def test_the_endpoint_answers_403_to_a_user_who_sees_the_object_but_may_not_take_the_step(client, town):
    item = ticket(town, Ticket.Status.SUBMITTED)
    login(client, town["secretary"])
    assert client.post(f"/workflow/workflow_example.ticket/{item.pk}/approve/").status_code == 403
    item.refresh_from_db()
    assert item.status == Ticket.Status.SUBMITTED


def _with_step(monkeypatch, step):
    """The ticket's table with one step replaced, for this test only."""
    monkeypatch.setitem(TICKET._by_name, step.name, step)
    monkeypatch.setattr(TICKET, "transitions", [step if t.name == step.name else t for t in TICKET.transitions])
    return TICKET


def test_a_step_with_a_form_is_refused_without_its_input(town, monkeypatch):
    item = ticket(town, Ticket.Status.SUBMITTED)
    with_form = dataclasses.replace(TICKET.get("approve"), form_url=lambda obj: f"/tickets/{obj.pk}/approve/")
    table = _with_step(monkeypatch, with_form)
    with pytest.raises(TransitionError, match="表单"):
        table.apply(item, "approve", actor=town["admin"])
    item.refresh_from_db()
    assert item.status == Ticket.Status.SUBMITTED and not ActivityLog.objects.exists()
    done = table.apply(item, "approve", actor=town["admin"], on_apply=lambda locked: None)
    assert done.status == Ticket.Status.APPROVED


def test_next_step_gives_the_actor_the_steps_hint_and_others_the_waiting_text(town, monkeypatch):
    item = ticket(town, Ticket.Status.SUBMITTED)
    table = _with_step(monkeypatch, dataclasses.replace(TICKET.get("approve"), hint="请审核。"))
    assert table.next_step(town["admin"], item) == NextStep("请审核。", "#actions")
    assert table.next_step(town["secretary"], item) == NextStep("等待镇党委审核。", tone="info")
    assert table.next_step(town["secretary"], ticket(town)) is None


def test_the_endpoint_refuses_an_unsafe_next_url(client, town):
    item = ticket(town)
    login(client, town["secretary"])
    response = client.post(f"/workflow/workflow_example.ticket/{item.pk}/submit/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "path",
    [
        "/workflow/workflow_example.ticket/abc/submit/",
        "/workflow/workflow_example.ticket/99999/submit/",
        "/workflow/workflow_example.nothing/1/submit/",
        "/workflow/not-a-model/1/submit/",
        "/workflow/orgs.organization/1/submit/",  # a model without a workflow
    ],
)
def test_the_endpoint_answers_404_for_malformed_addresses(client, town, path):
    login(client, town["admin"])
    assert client.post(path).status_code == 404


def test_the_endpoint_only_accepts_post(client, town):
    login(client, town["secretary"])
    assert client.get(f"/workflow/workflow_example.ticket/{ticket(town).pk}/submit/").status_code == 405


def test_the_steps_are_named_in_the_readers_language_in_the_activity_filter():
    with translation.override("en"):
        names = {name for code, name in action_choices() if code.startswith("ticket.")}
    assert names == {"Submit", "Approve", "Send back"}
