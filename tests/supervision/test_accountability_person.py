"""A 问责 record names a person who holds a role in the organization held to account (or the project's)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from projectize.orgs.models import Role
from projectize.supervision.models import AccountabilityRecord
from projectize.supervision.services import accountability_record
from tests.factories import PASSWORD, user_with_role
from tests.supervision.factories import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def options(response):
    return response.content.decode()


def test_the_person_list_follows_the_chosen_organization(client, w):
    assert client.login(username="admin", password=PASSWORD)
    empty = options(client.get("/supervision/accountability/people/"))
    assert w.secretary.get_full_name() not in empty
    own = options(client.get("/supervision/accountability/people/", {"organization": w.org.pk}))
    assert w.secretary.get_full_name() in own and w.responsible.get_full_name() in own
    assert w.other_secretary.get_full_name() not in own
    by_project = options(client.get("/supervision/accountability/people/", {"project": w.project.pk}))
    assert w.secretary.get_full_name() in by_project and w.other_secretary.get_full_name() not in by_project
    # The form itself, re-shown after an error, lists the same people.
    page = client.post("/supervision/accountability/new/", {"organization": w.other_org.pk}).content.decode()
    assert w.other_secretary.get_full_name() in page and w.secretary.get_full_name() not in page


def test_the_person_list_costs_the_same_queries_for_many_people(client, w, django_assert_max_num_queries):
    assert client.login(username="admin", password=PASSWORD)
    client.get("/supervision/accountability/people/", {"organization": w.org.pk})
    for _ in range(40):
        user_with_role(Role.ORG_STAFF, w.org)
    with django_assert_max_num_queries(12):
        response = client.get("/supervision/accountability/people/", {"organization": w.org.pk})
    assert response.content.decode().count("<option") == 1 + 2 + 40


def test_a_forged_pair_of_organization_and_person_is_refused(client, w):
    assert client.login(username="admin", password=PASSWORD)
    response = client.post(
        "/supervision/accountability/new/",
        {
            "organization": w.org.pk,
            "person": w.other_secretary.pk,
            "date": "2026-05-06",
            "measure": "talk",
            "reason": "进展报告长期逾期",
        },
    )
    assert response.status_code == 200
    assert "被问责人须在被问责组织（或相关项目所在组织）中担任职务。" in response.content.decode()
    assert not AccountabilityRecord.objects.exists()


def test_the_service_refuses_a_person_from_another_organization(w):
    with pytest.raises(ValidationError) as refused:
        accountability_record(
            organization=w.org,
            date=datetime.date(2026, 5, 6),
            measure="talk",
            reason="进展报告长期逾期",
            person=w.other_secretary,
            actor=w.admin,
        )
    assert "person" in refused.value.message_dict
    assert not AccountabilityRecord.objects.exists()
    record = accountability_record(
        organization=w.org,
        date=datetime.date(2026, 5, 6),
        measure="talk",
        reason="进展报告长期逾期",
        project=w.project,
        person=w.responsible,
        actor=w.admin,
    )
    assert record.person == w.responsible
