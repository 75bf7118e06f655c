"""A committee's site and brand page: only its own admins change it, a replaced logo leaves no file behind,
and a bad picture is refused beside the field."""

from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from projectize.orgs import services
from projectize.orgs.models import CommitteeProfile, OrgKind, Role
from tests.factories import make_org, make_root, user_with_role

pytestmark = pytest.mark.django_db


def picture(name: str = "logo.png") -> SimpleUploadedFile:
    image = BytesIO()
    Image.new("RGB", (32, 32), (200, 0, 0)).save(image, "PNG")
    return SimpleUploadedFile(name, image.getvalue(), content_type="image/png")


@pytest.fixture
def town():
    town = make_root("泖港镇党委")
    CommitteeProfile.objects.create(organization=town, slug="maogang")
    return town


def test_only_the_committees_own_admins_open_its_brand_page(client, town):
    other = make_root("泗泾镇党委")
    client.force_login(user_with_role(Role.TOWN_ADMIN, other))
    assert client.get(f"/orgs/{town.pk}/profile/").status_code == 404
    client.force_login(user_with_role(Role.SECRETARY, town))
    assert client.post(f"/orgs/{town.pk}/profile/", {"slug": "x", "brand_colour": "#000000"}).status_code == 403
    assert CommitteeProfile.objects.get(organization=town).slug == "maogang"
    admin = user_with_role(Role.TOWN_ADMIN, town)
    client.force_login(admin)
    branch = make_org(town, "景港居民区党总支", OrgKind.RESIDENTIAL)
    assert client.get(f"/orgs/{branch.pk}/profile/").status_code == 404
    assert client.get(f"/orgs/{town.pk}/profile/").status_code == 200


def test_a_replaced_logo_leaves_no_file_behind(town, django_capture_on_commit_callbacks):
    admin = user_with_role(Role.TOWN_ADMIN, town)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.committee_profile_save(actor=admin, organization=town, slug="maogang", logo=picture())
    old = first.logo.name or ""
    assert old and default_storage.exists(old)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.committee_profile_save(actor=admin, organization=town, slug="maogang", logo=picture())
    new = second.logo.name or ""
    assert new and new != old and default_storage.exists(new)
    assert not default_storage.exists(old)
    with django_capture_on_commit_callbacks(execute=True):
        services.committee_profile_save(actor=admin, organization=town, slug="maogang", remove_logo=True)
    assert not default_storage.exists(new)
    assert not CommitteeProfile.objects.get(organization=town).logo


def test_a_file_that_is_no_picture_is_refused_beside_the_logo_field(client, town):
    client.force_login(user_with_role(Role.TOWN_ADMIN, town))
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not a picture", content_type="image/png")
    data = {"slug": "maogang", "brand_name": "泖港聚力", "brand_colour": "#1e5aa0", "accent_colour": "#f3d6d9"}
    answer = client.post(f"/orgs/{town.pk}/profile/", {**data, "logo": fake})
    assert answer.status_code == 200
    assert "不是允许的格式" in str(answer.context["form"].errors["logo"])
    assert CommitteeProfile.objects.get(organization=town).brand_name == ""
