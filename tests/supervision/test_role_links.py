"""Each role is shown a supervision link only where the page behind it opens for them."""

import datetime
import re

import pytest

from projectize.supervision.models import (
    Activity,
    ActivityKind,
    Finding,
    Letter,
    LetterStatus,
    ProjectWarning,
    ProjectWarningLevel,
    RuleKind,
    WarningRule,
)
from projectize.supervision.services import accountability_record, letter_acknowledge, letter_send
from tests.factories import PASSWORD
from tests.supervision.factories import draft_letter, world

pytestmark = pytest.mark.django_db
LINK = re.compile(r'href="(/supervision/(?:letters/\d+|accountability/organizations/\d+)/|/supervision/)"')


@pytest.fixture
def w():
    w = world()
    letter_acknowledge(letter=letter_send(letter=draft_letter(w), actor=w.admin), actor=w.secretary)
    draft_letter(w)  # still being written by staff
    accountability_record(
        organization=w.org,
        date=datetime.date.today(),
        measure="talk",
        reason="进展报告长期逾期",
        project=w.project,
        person=w.responsible,
        actor=w.admin,
    )
    rule = WarningRule.objects.create(
        organization=w.committee, kind=RuleKind.values[0], days=7, level=ProjectWarningLevel.values[0]
    )
    ProjectWarning.objects.create(
        rule=rule,
        level=rule.level,
        organization=w.org,
        project=w.project,
        cause="report:1",
        message="进展报告逾期",
        raised_on=datetime.date.today(),
    )
    return w


def links_and_answers(client, username: str, pages: list[str]) -> dict[str, int]:
    assert client.login(username=username, password=PASSWORD)
    shown = set()
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        shown |= set(LINK.findall(response.content.decode()))
    return {url: client.get(url).status_code for url in sorted(shown)}


LISTS = ["/supervision/letters/", "/supervision/warnings/"]


@pytest.mark.parametrize("username", ["admin", "leader", "sec", "resp"])
def test_every_supervision_link_a_role_is_shown_opens(client, w, username):
    pages = LISTS + (["/supervision/accountability/"] if username in ("admin", "leader") else [])
    answers = links_and_answers(client, username, pages)
    assert any("/letters/" in url for url in answers), answers
    assert answers and set(answers.values()) == {200}, answers


def test_a_secretary_is_not_led_to_the_supervision_index(client, w):
    answers = links_and_answers(client, "sec", LISTS)
    assert "/supervision/" not in answers
    assert client.get("/supervision/").status_code == 404
    assert any("/accountability/organizations/" in url for url in answers)


def test_a_leader_reads_the_towns_supervision_but_not_drafts(client, w):
    answers = links_and_answers(client, "leader", [*LISTS, "/supervision/accountability/"])
    assert answers["/supervision/"] == 200
    assert f"/supervision/accountability/organizations/{w.org.pk}/" in answers
    draft = Letter.objects.get(status=LetterStatus.DRAFT)
    assert draft.get_absolute_url() not in answers
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_another_organization_still_gets_404(client, w):
    sent = Letter.objects.exclude(status=LetterStatus.DRAFT).get()
    answers = links_and_answers(client, "othersec", LISTS)
    assert not answers
    assert client.get(sent.get_absolute_url()).status_code == 404
    assert client.get(f"/supervision/accountability/organizations/{w.org.pk}/").status_code == 404


def test_english_titles_use_ascii_separators(client, w):
    activity = Activity.objects.create(
        organization=w.committee,
        date=datetime.date(2026, 5, 6),
        kind=ActivityKind.values[0],
        title="集中汇报会",
        created_by=w.admin,
    )
    Finding.objects.create(activity=activity, project=w.project, text="议事记录不全")
    assert client.login(username="leader", password=PASSWORD)
    english = {
        url: client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        for url in (
            f"/supervision/projects/{w.project.pk}/analysis/new/",
            f"/supervision/projects/{w.project.pk}/guidance/new/",
            f"/supervision/projects/{w.project.pk}/",
        )
    }
    project = str(w.project)
    assert "In-depth analysis: " + project in english[f"/supervision/projects/{w.project.pk}/analysis/new/"]
    assert "Guidance: " + project in english[f"/supervision/projects/{w.project.pk}/guidance/new/"]
    assert ": 集中汇报会" in english[f"/supervision/projects/{w.project.pk}/"]
    for html in english.values():
        assert not re.search(r"[：（）]\s*" + re.escape(project) + r"|" + re.escape(project) + r"\s*[：（）]", html)
        assert "：集中汇报会" not in html
