"""A need's support counter (Need.support_count) says how many people support it, through every way a support
is given, taken back, merged away or returned; lists read it instead of counting the supports table."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.db import connection

from projectize.core.workflow import TransitionError
from projectize.needs import services
from projectize.needs.models import Need, NeedStatus, Support
from projectize.needs.workflows import NEED
from projectize.orgs.models import Role
from tests.factories import make_root, user_with_role
from tests.needs.factories import make_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    root = make_root()
    return root, user_with_role(Role.TOWN_ADMIN, root)


def counted(*needs: Need) -> list[tuple[int, int]]:
    """Each need's counter beside the supports it really has."""
    result = []
    for need in needs:
        need.refresh_from_db()
        result.append((need.support_count, Support.objects.filter(need=need).count()))
    return result


def support(need: Need, *mobiles: str) -> None:
    for mobile in mobiles:
        services.support_add(need=need, mobile=mobile)


def test_each_person_counts_once_and_taking_a_support_back_takes_one_off(town):
    root, _staff = town
    need = make_need(root)
    support(need, "13900000001", "13900000002")
    assert services.support_add(need=need, mobile="13900000001") is False
    assert counted(need) == [(2, 2)]

    assert services.support_remove(need=need, mobile="13900000001") is True
    assert services.support_remove(need=need, mobile="13900000001") is False
    assert services.support_remove(need=need, mobile="13900000009") is False
    assert counted(need) == [(1, 1)]


def test_a_finished_need_takes_no_support_and_its_counter_stays(town):
    root, staff = town
    need = make_need(root)
    support(need, "13900000001")
    NEED.apply(need, "decline", actor=staff, note="不属于本镇职责")
    with pytest.raises(TransitionError):
        services.support_add(need=need, mobile="13900000002")
    assert counted(need) == [(1, 1)]


def test_a_merge_moves_the_supports_and_counts_a_shared_supporter_once(town):
    root, staff = town
    duplicate, survivor = make_need(root), make_need(root)
    support(duplicate, "13900000001", "13900000002", "13900000003")
    support(survivor, "13900000003", "13900000004")

    services.need_merge(duplicate=duplicate, survivor=survivor, actor=staff)

    assert counted(duplicate, survivor) == [(0, 0), (4, 4)]
    # A support given through the merged need's tracking page goes to the survivor.
    support(duplicate, "13900000005")
    assert counted(duplicate, survivor) == [(0, 0), (5, 5)]
    services.support_remove(need=duplicate, mobile="13900000005")
    assert counted(duplicate, survivor) == [(0, 0), (4, 4)]


def test_undoing_a_merge_gives_each_need_its_own_supports_and_counts_back(town):
    root, staff = town
    duplicate, survivor = make_need(root), make_need(root)
    support(duplicate, "13900000001", "13900000002")
    support(survivor, "13900000003")
    services.need_merge(duplicate=duplicate, survivor=survivor, actor=staff)

    NEED.apply(duplicate, "unmerge", actor=staff, note="两处不同的问题")

    assert counted(duplicate, survivor) == [(2, 2), (1, 1)]
    duplicate.refresh_from_db()
    assert duplicate.status == NeedStatus.ACCEPTED


def test_merges_into_a_need_that_is_merged_again_keep_every_counter_true(town):
    root, staff = town
    first, second, third = make_need(root), make_need(root), make_need(root)
    support(first, "13900000001")
    support(second, "13900000002", "13900000001")
    support(third, "13900000003")
    services.need_merge(duplicate=first, survivor=second, actor=staff)
    services.need_merge(duplicate=second, survivor=third, actor=staff)
    assert counted(first, second, third) == [(0, 0), (0, 0), (3, 3)]

    NEED.apply(second, "unmerge", actor=staff, note="误合并")
    assert counted(first, second, third) == [(0, 0), (2, 2), (1, 1)]


def test_the_staff_list_shows_the_counter(client, town):
    root, staff = town
    need = make_need(root, "路灯不亮")
    support(need, "13900000001", "13900000002")
    client.force_login(staff)
    [row] = client.get("/needs/").context["page"]
    assert row.support_count == 2
    assert 'data-testid="support-count">2<' in client.get(need.get_absolute_url()).content.decode()


def test_the_migration_fills_the_counter_from_the_supports_given_before(town):
    root, _staff = town
    supported, unsupported = make_need(root), make_need(root)
    Support.objects.bulk_create([Support(need=supported, supporter_key=key) for key in "abc"])
    Need.objects.update(support_count=0)

    migration = import_module("projectize.needs.migrations.0003_need_support_count")
    with connection.cursor() as cursor:
        # The step only executes SQL: a cursor stands in for the schema editor.
        migration.count_supports(None, SimpleNamespace(execute=cursor.execute))

    assert counted(supported, unsupported) == [(3, 3), (0, 0)]
