import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from projectize.core.selectors import attachments_for
from projectize.projects.models import Adoption, Project, ProjectStatus, Promotion
from projectize.showcase import services
from projectize.showcase.models import ShowcaseStatus, Vote
from projectize.showcase.verification import LocmemBackend
from tests.showcase.factories import make_showcase, make_world

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_home_shows_the_outcome_counters_and_the_ways_in(client):
    world = make_world(2)
    Project.objects.filter(pk=world.projects[0].pk).update(
        rules_established=3, problems_solved=7, service_brands=2, beneficiaries=12345
    )
    response = client.get("/public/")
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["outcomes"] == {
        "rules_established": 3,
        "problems_solved": 7,
        "service_brands": 2,
        "beneficiaries": 12345,
    }
    assert ">12,345<" in page  # Chinese statistics group thousands with commas
    assert 'href="/needs/public/new/"' in page
    assert "项目1" in page  # a featured project, with its progress
    assert 'aria-valuenow="60"' in page


def test_care_mode_is_remembered_in_a_cookie(client):
    response = client.post("/public/care-mode/", {"care_mode": "1", "next": "/public/cases/"})
    assert response.status_code == 302 and response["Location"] == "/public/cases/"
    assert response.cookies["care_mode"].value == "1"
    assert 'class="public care-mode"' in client.get("/public/").content.decode()
    client.post("/public/care-mode/", {"care_mode": "0", "next": "https://evil.example/"})
    assert 'class="public"' in client.get("/public/").content.decode()


def test_an_off_site_next_address_is_not_followed(client):
    response = client.post("/public/care-mode/", {"care_mode": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/public/"


def test_the_case_library_lists_promoted_practices_and_searches_them(client):
    world = make_world(3)
    for project in world.projects:
        Project.objects.filter(pk=project.pk).update(status=ProjectStatus.CONCLUDED, problems_solved=2)
    parking = Promotion.objects.create(
        project=world.projects[0], summary="楼组议事会破解停车难", promoted_by=world.admin
    )
    Promotion.objects.create(project=world.projects[1], summary="为老服务时间银行", promoted_by=world.admin)
    Adoption.objects.create(promotion=parking, organization=world.orgs[2], adopted_on=datetime.date(2014, 3, 1))
    listing = client.get("/public/cases/", {"q": "停车"})
    assert [case.pk for case in listing.context["page"]] == [parking.pk]
    assert listing.context["page"][0].adopters == 1
    detail = client.get(f"/public/cases/{parking.pk}/")
    assert "第3居民区党总支" in detail.content.decode()
    assert client.get("/public/cases/99999/").status_code == 404


def test_a_resident_verifies_a_mobile_and_votes_once(client, settings):
    settings.SHOWCASE_VERIFICATION_BACKEND = "projectize.showcase.verification.LocmemBackend"
    LocmemBackend.outbox.clear()
    world = make_world(2)
    showcase = make_showcase(world.admin, world.committee, status=ShowcaseStatus.NOMINATING)
    nomination = services.nomination_create(
        actor=world.secretaries[0], showcase=showcase, project=world.projects[0], summary="简介", highlights="亮点"
    )
    showcase.status = ShowcaseStatus.JUDGING
    showcase.save()
    base = f"/public/showcase/{showcase.pk}"
    # Voting needs a verified number first.
    client.post(f"{base}/vote/{nomination.pk}/")
    assert not Vote.objects.exists()
    client.post(f"{base}/code/", {"mobile": "13912345678"})
    mobile, code = LocmemBackend.outbox[-1]
    assert mobile == "13912345678"
    wrong = "000000" if code != "000000" else "111111"
    client.post(f"{base}/verify/", {"code": wrong})
    assert "showcase_voter" not in client.session
    client.post(f"{base}/verify/", {"code": code})
    assert client.session["showcase_voter"]["mobile"] == "139****5678"
    client.post(f"{base}/vote/{nomination.pk}/")
    response = client.post(f"{base}/vote/{nomination.pk}/", follow=True)
    assert "您已为该项目投过票" in response.content.decode()
    assert Vote.objects.count() == 1
    # The database keeps no phone number.
    assert "13912345678" not in Vote.objects.get().voter


def test_nomination_photos_are_public_only_once_the_showcase_is(client):
    world = make_world(1)
    showcase = make_showcase(world.admin, world.committee, status=ShowcaseStatus.NOMINATING)
    nomination = services.nomination_create(
        actor=world.secretaries[0],
        showcase=showcase,
        project=world.projects[0],
        summary="简介",
        highlights="亮点",
        photos=[SimpleUploadedFile("site.png", PNG, content_type="image/png")],
    )
    photo = attachments_for(nomination, "photo").get()
    assert client.get(f"/public/photos/{photo.pk}/").status_code == 404
    showcase.status = ShowcaseStatus.JUDGING
    showcase.voting_opens = timezone.now()
    showcase.save()
    response = client.get(f"/public/photos/{photo.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_the_commendation_list_is_public_only_once_published(client):
    world = make_world(1)
    showcase = make_showcase(world.admin, world.committee, status=ShowcaseStatus.AWARDED)
    assert client.get(f"/public/showcase/{showcase.pk}/commendation/").status_code == 404
    showcase.status = ShowcaseStatus.PUBLISHED
    showcase.published_at = timezone.now()
    showcase.save()
    assert client.get(f"/public/showcase/{showcase.pk}/commendation/").status_code == 200
