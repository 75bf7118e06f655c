import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from projectize.core.jobs import jobs_run_pending
from projectize.core.models import Attachment, Notification
from projectize.core.workflow import TransitionError
from projectize.supervision.models import ItemStatus, LetterStatus
from projectize.supervision.selectors import letter_list
from projectize.supervision.services import item_answer, item_verify, letter_acknowledge, letter_send
from tests.supervision.factories import draft_letter, world

pytestmark = pytest.mark.django_db(transaction=False)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def w():
    return world()


def test_sending_numbers_dates_and_tells_the_organization_and_the_responsible_person(
    w, django_capture_on_commit_callbacks
):
    first = draft_letter(w)
    second = draft_letter(w)
    with django_capture_on_commit_callbacks(execute=True):
        first = letter_send(letter=first, actor=w.admin)
    second = letter_send(letter=second, actor=w.admin)
    year = datetime.date.today().year
    assert first.number == f"新桥督函〔{year}〕1号" and second.number == f"新桥督函〔{year}〕2号"
    assert first.issued_on == datetime.date.today() and first.status == LetterStatus.SENT
    told = {n.recipient.username for n in Notification.objects.select_related("recipient") if first.title in n.heading}
    assert told == {"sec", "resp"}
    jobs_run_pending()
    assert sorted(mail.outbox[0].to) == ["resp@example.org", "sec@example.org"]


def test_an_empty_letter_cannot_be_sent(w):
    letter = draft_letter(w, items=0)
    with pytest.raises(TransitionError, match="至少列出一个问题"):
        letter_send(letter=letter, actor=w.admin)


def test_only_the_addressed_organization_acknowledges_and_answers(w):
    letter = letter_send(letter=draft_letter(w), actor=w.admin)
    for outsider in (w.other_secretary, w.admin, w.leader):
        with pytest.raises(PermissionDenied):
            letter_acknowledge(letter=letter, actor=outsider)
    letter = letter_acknowledge(letter=letter, actor=w.secretary)
    item = letter.items.get(number=1)
    for outsider in (w.other_secretary, w.admin):
        with pytest.raises(PermissionDenied):
            item_answer(item=item, action_taken="已整改", actor=outsider)
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN and item.action_taken == ""


def test_an_item_cannot_be_answered_before_the_letter_is_acknowledged(w):
    letter = letter_send(letter=draft_letter(w), actor=w.admin)
    with pytest.raises(TransitionError, match="先签收"):
        item_answer(item=letter.items.get(number=1), action_taken="已整改", actor=w.secretary)


def test_the_letter_closes_when_every_item_is_accepted(w):
    letter = letter_acknowledge(letter=letter_send(letter=draft_letter(w), actor=w.admin), actor=w.secretary)
    first, second = letter.items.all()
    evidence = SimpleUploadedFile("整改台账.pdf", PDF, content_type="application/pdf")
    item_answer(item=first, action_taken="补齐了 12 次议事记录", evidence=[evidence], actor=w.responsible)
    item_answer(item=second, action_taken="已在公示栏公示", actor=w.secretary)
    assert Attachment.objects.filter(purpose="evidence", target_id=str(first.pk)).count() == 1
    with pytest.raises(TransitionError, match="理由"):
        item_verify(item=second, accept=False, actor=w.admin)
    item_verify(item=second, accept=False, note="公示照片不清晰", actor=w.admin)
    item_verify(item=first, accept=True, actor=w.admin)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ACKNOWLEDGED
    item_answer(item=second, action_taken="补充清晰照片", actor=w.secretary)
    item_verify(item=second, accept=True, actor=w.admin)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.CLOSED


def test_overdue_letters_are_flagged_and_other_organizations_do_not_see_them(w):
    from django.utils import timezone

    letter = letter_send(letter=draft_letter(w, items=1, deadline_days=1), actor=w.admin)
    draft_letter(w)  # a draft: the organization does not see it yet
    letter.items.update(deadline=timezone.localdate() - datetime.timedelta(days=3))
    row: Any
    [row] = letter_list(w.secretary)
    assert row.pk == letter.pk and row.is_overdue
    assert [r.pk for r in letter_list(w.admin, overdue=True)] == [letter.pk]
    assert list(letter_list(w.other_secretary)) == []


def test_an_english_reader_sees_the_letter_number_as_issued_marked_as_data(w, client):
    letter = letter_send(letter=draft_letter(w), actor=w.admin)
    client.force_login(w.admin)
    for url in ("/supervision/letters/", letter.get_absolute_url()):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        # A document number stays as issued: the page marks it as data, not interface text.
        assert f"data-user-text>{letter.number}<" in page
