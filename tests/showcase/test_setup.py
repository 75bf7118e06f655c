import pytest

from projectize.showcase.models import AwardLevel, Showcase
from tests.showcase.factories import make_rubric, make_world

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {
        "year": "2014",
        "title": "2014 年七一党建项目展评",
        "theme": "学习·服务·创新",
        "nomination_opens": "2014-05-01",
        "nomination_closes": "2014-05-31",
        "voting_opens": "2014-06-10T09:00",
        "voting_closes": "2014-06-25T18:00",
        "jury_weight": "60",
        "public_weight": "40",
        "first_count": "1",
        "first_amount": "8000",
        "second_count": "2",
        "second_amount": "5000",
        "third_count": "3",
        "third_amount": "2000",
        "excellence_count": "5",
        "excellence_amount": "0",
    }
    data.update(changes)
    return data


def test_staff_set_up_a_showcase_with_levels_rubric_and_jury(client):
    world = make_world(1)
    rubric = make_rubric(world.admin, world.committee)
    client.force_login(world.admin)
    data = form_data(rubric=str(rubric.pk), jury=[str(j.pk) for j in world.jurors])
    response = client.post("/showcase/new/", data)
    showcase = Showcase.objects.get(year=2014)
    assert response["Location"] == f"/showcase/{showcase.pk}/"
    assert (showcase.jury_weight, showcase.public_weight, showcase.rubric) == (60, 40, rubric)
    assert set(showcase.jury.all()) == set(world.jurors)
    levels = {level.level: (level.count, level.reward_amount) for level in AwardLevel.objects.filter(showcase=showcase)}
    assert levels["second"] == (2, 5000) and levels["excellence"] == (5, 0)


def test_weights_that_do_not_add_up_are_refused_beside_the_field(client):
    world = make_world(1)
    client.force_login(world.admin)
    response = client.post("/showcase/new/", form_data(public_weight="50"))
    assert response.status_code == 200
    assert "评委评分权重与群众投票权重之和必须为 100，现为 110。" in response.content.decode()
    assert response.context["form"].errors["public_weight"]
    assert not Showcase.objects.exists() and not AwardLevel.objects.exists()


def test_a_voting_window_that_ends_before_it_starts_is_refused(client):
    world = make_world(1)
    client.force_login(world.admin)
    response = client.post("/showcase/new/", form_data(voting_closes="2014-06-01T09:00"))
    assert response.context["form"].errors["voting_closes"] == ["投票截止时间必须晚于开始时间。"]
    assert not Showcase.objects.exists()


def test_a_secretary_cannot_create_a_showcase(client):
    world = make_world(1)
    client.force_login(world.secretaries[0])
    assert client.post("/showcase/new/", form_data()).status_code == 403
    assert not Showcase.objects.exists()
