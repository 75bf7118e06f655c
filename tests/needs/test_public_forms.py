"""The residents' form refuses bad input, bots and floods, and checks photos by their content."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.core.models import Attachment
from projectize.needs.models import Need
from projectize.orgs.models import Role
from tests.factories import make_root, user_with_role
from tests.needs.factories import make_category, make_need

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def form_data(category, **changes):
    return {"title": "路灯坏了", "description": "晚上很黑。", "category": category.pk, **changes}


@pytest.mark.django_db
def test_it_saves_a_need_with_a_photo_and_gives_a_tracking_code(client):
    root = make_root()
    category = make_category(root)
    photo = SimpleUploadedFile("p.png", PNG, content_type="image/png")
    response = client.post("/needs/public/new/", {**form_data(category), "photo": photo})
    need = Need.objects.get()
    assert response.status_code == 302 and need.code in response["Location"]
    assert Attachment.objects.get().kind == "png"
    assert client.get(f"/needs/public/track/{need.code}/").status_code == 200


@pytest.mark.django_db
def test_it_refuses_a_photo_that_is_not_an_image_by_content(client):
    category = make_category(make_root())
    fake = SimpleUploadedFile("p.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client.post("/needs/public/new/", {**form_data(category), "photo": fake})
    assert "不是允许的格式" in response.content.decode()
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_it_refuses_over_long_text_beside_the_field(client):
    category = make_category(make_root())
    response = client.post("/needs/public/new/", form_data(category, title="长" * 101))
    assert 'data-testid="error-title"' in response.content.decode()
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_filled_honeypot(client):
    category = make_category(make_root())
    client.post("/needs/public/new/", form_data(category, website="http://spam.example"))
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_it_rate_limits_repeated_posts(client):
    category = make_category(make_root())
    for _ in range(5):
        client.post("/needs/public/new/", form_data(category))
    response = client.post("/needs/public/new/", form_data(category))
    assert "提交过于频繁" in response.content.decode()
    assert Need.objects.count() == 5


@pytest.mark.django_db
def test_a_person_supports_a_need_once(client):
    need = make_need(make_root())
    for _ in range(2):
        client.post(f"/needs/public/{need.pk}/support/", {"mobile": "13900001111"})
    client.post(f"/needs/public/{need.pk}/support/", {"mobile": "13900002222"})
    assert need.supports.count() == 2


@pytest.mark.django_db
def test_the_tracking_page_masks_the_mobile_number(client):
    need = make_need(make_root(), submitter_mobile="13912345678")
    page = client.get(f"/needs/public/track/{need.code}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page


@pytest.mark.django_db
def test_the_staff_list_keeps_a_flat_query_count(client):
    root = make_root()
    client.force_login(user_with_role(Role.TOWN_ADMIN, root))
    category = make_category(root)
    Need.objects.bulk_create(
        Need(
            organization=root,
            title=f"需求{n}",
            description="说明",
            category=category,
            channel="hotline",
            code=f"C{n:09d}",
        )
        for n in range(10)
    )
    with CaptureQueriesContext(connection) as small:
        assert client.get("/needs/").status_code == 200
    Need.objects.bulk_create(
        Need(
            organization=root,
            title=f"需求{n}",
            description="说明",
            category=category,
            channel="hotline",
            code=f"D{n:09d}",
        )
        for n in range(1000)
    )
    with CaptureQueriesContext(connection) as large:
        assert client.get("/needs/").status_code == 200
    assert len(large) == len(small)


@pytest.mark.django_db
def test_the_code_holder_sees_the_photo_and_nobody_else_needs_a_code(client):
    root = make_root()
    photo = SimpleUploadedFile("p.png", PNG, content_type="image/png")
    client.post("/needs/public/new/", {**form_data(make_category(root)), "photo": photo})
    need = Need.objects.get()
    response = client.get(f"/needs/public/track/{need.code}/photo/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.get("/needs/public/track/AAAAAAAAAA/photo/").status_code == 404


@pytest.mark.django_db
def test_supporting_from_the_similar_list_answers_in_place(client):
    need = make_need(make_root())
    response = client.post(f"/needs/public/{need.pk}/support/", {"mobile": "13900001111"}, HTTP_HX_REQUEST="true")
    assert 'data-testid="support-result"' in response.content.decode() and "附议成功" in response.content.decode()
    response = client.post(f"/needs/public/{need.pk}/support/", {"mobile": "123"}, HTTP_HX_REQUEST="true")
    assert "11 位手机号码" in response.content.decode()
    assert need.supports.count() == 1


@pytest.mark.django_db
def test_the_similar_needs_lookup_stops_answering_a_flood_from_one_address(client):
    from projectize.needs.views import SIMILAR_LOOKUPS

    root = make_root()
    make_need(root, "小区门口停车难")
    query = {"title": "停车难"}
    for _ in range(SIMILAR_LOOKUPS[0]):
        assert "小区门口停车难" in client.get("/needs/public/similar/", query).content.decode()
    assert "小区门口停车难" not in client.get("/needs/public/similar/", query).content.decode()
    # Another address is still answered.
    other = client.get("/needs/public/similar/", query, REMOTE_ADDR="10.0.0.9").content.decode()
    assert "小区门口停车难" in other
