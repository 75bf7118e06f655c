"""The organization filter of lists: any organization in scope is accepted, few are listed."""

import pytest
from django.core.exceptions import ValidationError

from projectize.orgs.forms import SubtreeFilterField
from projectize.orgs.models import Role
from tests.factories import make_org, make_root, user_with_role

pytestmark = pytest.mark.django_db


def offered(field) -> list[str]:
    return [str(label).lstrip("\u3000") for value, label in field.choices if value != ""]


def test_it_lists_the_top_two_levels_and_the_chosen_one_but_accepts_the_whole_scope():
    root = make_root()
    branch = make_org(root, "社区党总支")
    residential = make_org(branch, "春申居民区党总支")
    other = make_org(make_root("泗泾镇党委"), "泗泾居民区党总支")
    admin = user_with_role(Role.TOWN_ADMIN, root)

    field = SubtreeFilterField(user=admin, roles=[Role.TOWN_ADMIN])
    assert offered(field) == [root.name, branch.name]
    assert field.clean(str(residential.pk)) == residential

    chosen = SubtreeFilterField(user=admin, roles=[Role.TOWN_ADMIN], chosen=str(residential.pk))
    assert offered(chosen) == [root.name, branch.name, residential.name]
    with pytest.raises(ValidationError):
        field.clean(str(other.pk))


def test_a_secretary_starts_from_their_own_organization():
    branch = make_org(make_root(), "社区党总支")
    residential = make_org(branch, "春申居民区党总支")
    make_org(residential, "春申第一党支部")
    secretary = user_with_role(Role.SECRETARY, residential)
    field = SubtreeFilterField(user=secretary, roles=[Role.SECRETARY])
    assert offered(field) == ["春申居民区党总支", "春申第一党支部"]
