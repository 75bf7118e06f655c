"""In-app notifications with an unread count; e-mail through Django's backend."""

import pytest
from django.core import mail
from django.test import override_settings

from projectize.core.jobs import jobs_run_pending
from projectize.core.models import Notification
from projectize.core.services import notify
from projectize.orgs.models import Role
from tests.factories import PASSWORD, UserFactory, make_root, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def li(client):
    user = user_with_role(Role.SECRETARY, make_root(), username="li")
    client.login(username="li", password=PASSWORD)
    return user


@override_settings(SITE_URL="https://dj.example.gov.cn")
def test_notify_writes_one_per_active_recipient_and_a_worker_mails_them(li):
    inactive = UserFactory.create(is_active=False)
    no_mail = UserFactory.create(email="")
    notify(
        recipients=[li, li, inactive, no_mail, None],
        verb="guidance.new",
        params={"project": "四点半课堂", "note": "请开始实施"},
        url="/projects/1/",
    )
    assert not mail.outbox  # the e-mail is a job: nothing is sent inside the request
    assert Notification.objects.filter(recipient=li).count() == 1
    assert not Notification.objects.filter(recipient=inactive).exists()
    jobs_run_pending()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [li.email] and message.subject == "指导意见：四点半课堂"
    # What happened, on what, and an absolute link to it.
    assert "请开始实施" in message.body and "查看详情：https://dj.example.gov.cn/projects/1/" in message.body


def test_the_navbar_shows_the_unread_count(client, li):
    notify(recipients=[li], verb="vote.flagged", email=False)
    notify(recipients=[li], verb="vote.flagged", email=False)
    page = client.get("/").content.decode()
    assert 'data-testid="unread-count">2<' in page


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, li):
    notify(recipients=[li], verb="review.invite", params={"subject": "四点半课堂"}, url="/orgs/", email=False)
    note = Notification.objects.get()
    listing = client.get("/notifications/").content.decode()
    assert "待您评审：四点半课堂" in listing and "未读" in listing
    response = client.post(f"/notifications/{note.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/orgs/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()


def test_a_notification_link_to_another_site_is_not_followed(client, li):
    notify(recipients=[li], verb="vote.flagged", url="https://evil.example/", email=False)
    response = client.post(f"/notifications/{Notification.objects.get().pk}/open/")
    assert response["Location"] == "/notifications/"


def test_read_all_and_nobody_elses_notifications(client, li):
    other = UserFactory.create()
    notify(recipients=[li, other], verb="vote.flagged", email=False)
    theirs = Notification.objects.get(recipient=other)
    assert client.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=li, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).exists()
    assert client.get("/notifications/1/open/").status_code == 405
