"""Two towns under one district (the demo: 新桥镇 and 泗泾镇 under 松江区委) are kept apart, model by model.

- Every model of the project belongs to an organization (found from the app registry) or is named in
  `GLOBAL_MODELS` with the reason it belongs to none; Xinqiao holds rows of every model that belongs to one,
  so each is exercised (a new model fails here until the demo, or this test, gives it rows).
- The second town's people, in every role, walk the whole site (every list, detail, export and search they
  can reach): no page shows anything of Xinqiao's. Each of Xinqiao's rows with a page of its own answers
  them 404 or 403, and so does every page Xinqiao's admin reads about Xinqiao. Xinqiao's admin and leader
  see nothing of the second town's either.
- They send again every form Xinqiao's admin and leader were shown, with its values: nothing of Xinqiao's
  changes (every row of every model, fingerprinted).
- The district's staff and leader read every page Xinqiao's leader reads, in both towns, and the same
  forms sent by them change nothing of either town's.
Public pages (those a visitor with no account reads) are left out: the portal shows every town's public
projects until each town has its own public site.
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.test import Client

from projectize.api.services import subscription_create, token_create
from projectize.needs.models import Channel, Need, NeedCategory
from projectize.needs.services import need_create, support_add
from projectize.orgs.demo import district, second_town, xinqiao
from projectize.orgs.models import Organization, User
from projectize.programmes.models import Programme, Target
from projectize.projects.models import Project
from projectize.projects.selectors import overdue_items
from projectize.showcase.models import Showcase
from projectize.supervision.models import Activity, Letter
from projectize.supervision.services import follow_up
from tests.isolation.crawl import Crawl, crawl, read, search_url, shown
from tests.isolation.ownership import GLOBAL_MODELS, fingerprint, label, owner_lookups, rows_of

# Pages are kept for their readers as on a server: a copy must never cross to another town either.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_copies")]

SOURCE = Path(__file__).resolve().parents[2] / "projectize"
# The second town's people, one of each role.
SECOND_TOWN_PEOPLE = ["sjadmin", "sjleader", "sjsec01", "sjunit1", "sjfinance", "sjexpert"]
DISTRICT_PEOPLE = ["district", "dleader"]
# Pages that are forms for writing (a town leader's guidance, analysis), not for reading.
WRITING = re.compile(r"/(new|edit|add|answer)/$")


def load_world() -> dict:
    call_command("load_demo", "--i-know-this-is-a-demo", verbosity=0)
    town, other = xinqiao(), second_town()
    assert town is not None and other is not None
    admin = User.objects.get(username="admin")
    # Rows of the models the demo leaves empty: a resident's support, a 督办, an API token with its
    # webhook, a request made with it and a delivery of an event to it.
    support_add(need=Need.objects.filter(organization=town).order_by("pk")[0], mobile="13900000077")
    late = overdue_items(projects=Project.objects.filter(organization__path__startswith=town.path))
    follow_up(project=late[0].project, item=late[0].key, kind="remind", actor=admin)
    token, key = token_create(actor=admin, name="新桥镇数据看板", organization=town, can_write=False)
    subscription_create(actor=admin, token=token, url="https://example.org/hook", events=["need.received"])
    Client().get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Bearer {key}")
    need_create(
        organization=town,
        title="新桥镇接口联调用的需求",
        description="给订阅了“收到需求”的集成送去一次事件。",
        category=NeedCategory.objects.filter(organization=town).order_by("pk")[0],
        channel=Channel.PORTAL,
    )
    if "refresh_figures" in get_commands():  # the dashboard's roll-ups, as the daily job counts them
        call_command("refresh_figures", "--all", verbosity=0)
    return {"town": Organization.objects.get(pk=town.pk), "other": Organization.objects.get(pk=other.pk)}


# Titles that say whose a row is: (model, its title field, the lookup to its organization).
TITLED = [
    (Organization, "name", ""),
    (Need, "title", "organization__"),
    (Project, "title", "organization__"),
    (Programme, "title", "organization__"),
    (Target, "title", "programme__organization__"),
    (Letter, "title", "organization__"),
    (Activity, "title", "organization__"),
    (Showcase, "title", "organization__"),
]


def markers(town: Organization) -> list[str]:
    """Text only the town's rows hold: the names and titles of its organizations, needs, projects, programmes,
    targets, letters, supervision activities and showcases, none of which occurs in another town's or the
    district's rows or in the source (a help text's example)."""
    own: list[str] = []
    elsewhere: list[str] = []
    for model, name, lookup in TITLED:
        rows = model._default_manager.values_list(name, flat=True)
        inside = {f"{lookup}path__startswith": town.path}
        own += rows.filter(**inside).exclude(pk=town.pk) if model is Organization else rows.filter(**inside)
        elsewhere += rows.exclude(**inside)
    other = "\n".join(elsewhere)
    source = "\n".join(p.read_text(errors="ignore") for p in SOURCE.rglob("*") if p.suffix in {".py", ".html"})
    return sorted({text for text in own if len(text) >= 4 and text not in other and text not in source})


def leaks(found: Crawl, words: list[str], visitor: Client) -> list[str]:
    """Pages that show any of `words`, public pages aside."""
    shown = []
    for url, page in found.pages.items():
        hits = [word for word in words if word in page.text]
        if hits and visitor.get(url).status_code != 200:
            shown.append(f"{url}: {hits[:3]}")
    return shown


def signed_in(username: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    return client


def test_every_model_belongs_to_an_organization_or_says_why_not_and_xinqiao_holds_each():
    world = load_world()
    lookups = owner_lookups()
    unowned = {label(model) for model, lookup in lookups.items() if lookup is None}
    assert unowned == set(GLOBAL_MODELS), "classify the new model: an organization, or GLOBAL_MODELS with why"
    empty = [
        label(model)
        for model, lookup in lookups.items()
        if lookup is not None and not rows_of(model, lookup, world["town"].path).exists()
    ]
    assert not empty, f"Xinqiao holds no rows of {empty}: give them rows so the isolation is tested"


def test_the_second_town_sees_and_changes_nothing_of_xinqiao():
    world = load_world()
    town = world["town"]
    words = markers(town)
    assert len(words) > 100
    visitor = Client(raise_request_exception=False)
    lookups = owner_lookups()

    # What Xinqiao's admin and leader read of Xinqiao, and the forms they are shown.
    theirs = crawl(signed_in("admin"), ["/"], per_pattern=2)
    leader = crawl(signed_in("leader1"), ["/"], per_pattern=2)
    private = [
        url
        for url, page in {**theirs.pages, **leader.pages}.items()
        if any(word in page.text for word in words) and visitor.get(url).status_code != 200
    ]
    assert len(private) > 50
    # The other way round: Xinqiao's admin and leader see nothing of the second town.
    theirs_not = markers(world["other"])
    assert len(theirs_not) > 15
    for found in (theirs, leader):
        assert not leaks(found, theirs_not, visitor), leaks(found, theirs_not, visitor)
    before = fingerprint(lookups, town.path)

    for username in SECOND_TOWN_PEOPLE:
        client = signed_in(username)
        found = crawl(client, ["/"], per_pattern=3)
        assert len(found.pages) > 10, username
        assert not leaks(found, words, visitor), (username, leaks(found, words, visitor))
        # Searching for Xinqiao's names finds nothing.
        for action in sorted(set(found.searches))[:15]:
            for word in words[:: max(1, len(words) // 3)]:
                assert word not in shown(read(client, search_url(action, word))), (username, action, word)
        # Xinqiao's pages, and each of its rows with a page of its own, answer as if they did not exist.
        for url in private:
            page = read(client, url)
            assert page.status in (403, 404) or not any(word in shown(page) for word in words), (username, url)
        for model, lookup in lookups.items():
            if lookup is None or not hasattr(model, "get_absolute_url"):
                continue
            for row in rows_of(model, lookup, town.path).order_by("pk")[:2]:
                status = client.get(row.get_absolute_url()).status_code
                assert status in (403, 404), (username, label(model), row.get_absolute_url(), status)

    # The second town's admin and leader send every form Xinqiao's admin and leader were shown: nothing changes.
    for username in ("sjadmin", "sjleader"):
        client = signed_in(username)
        for form in [*theirs.forms, *leader.forms]:
            client.post(form.action, form.data)
    after = fingerprint(lookups, town.path)
    assert {name: value for name, value in after.items() if before[name] != value} == {}


def test_the_district_reads_both_towns_and_changes_nothing_of_either():
    world = load_world()
    lookups = owner_lookups()
    town, other = world["town"], world["other"]
    before = {town.pk: fingerprint(lookups, town.path), other.pk: fingerprint(lookups, other.path)}
    readers = {"leader1": crawl(signed_in("leader1"), ["/"], per_pattern=2)}
    readers["sjleader"] = crawl(signed_in("sjleader"), ["/"], per_pattern=2)
    shown = {word for word in [*markers(town), *markers(other)]}
    for username in DISTRICT_PEOPLE:
        client = signed_in(username)
        # Every page a town's leader reads about the town, the district's people read as well.
        for reader in readers.values():
            for url, page in reader.pages.items():
                if page.status == 200 and any(word in page.text for word in shown) and not WRITING.search(url):
                    assert read(client, url).status == 200, (username, url)
        # Sending every form the towns' admins and leaders were shown changes nothing of either town.
        forms = [*crawl(signed_in("admin"), ["/"], per_pattern=2).forms, *readers["leader1"].forms]
        forms += [*crawl(signed_in("sjadmin"), ["/"], per_pattern=2).forms, *readers["sjleader"].forms]
        for form in forms:
            if "/supervision/letters/new/" in form.action:
                continue  # the district writes letters to the towns: its own, not the town's rows
            client.post(form.action, form.data)
    for committee in (town, other):
        after = fingerprint(lookups, committee.path)
        changed = {name for name, value in after.items() if before[committee.pk][name] != value}
        assert changed == set(), (committee.name, changed)
    assert district() is not None
