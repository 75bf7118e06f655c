"""The demo stays out of a production installation unless asked for, and leaves in one command."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from projectize.orgs.models import Organization, User

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(DEBUG=False)
def test_load_demo_refuses_with_debug_off():
    with pytest.raises(CommandError, match="--i-know-this-is-a-demo"):
        call_command("load_demo")
    assert not Organization.objects.exists() and not User.objects.exists()


@override_settings(DEBUG=False)
def test_the_demo_loads_when_asked_for_and_its_accounts_leave_in_one_command():
    call_command("load_demo", "--i-know-this-is-a-demo")
    assert User.objects.filter(username="admin", is_active=True).exists()
    real = User.objects.create_user("zhang", email="zhang@xinqiao.gov.cn", password="a-real-long-password-1")

    call_command("remove_demo")

    # No demo login works any more; the town's own account is untouched.
    for account in User.objects.filter(email__endswith="@example.org"):
        assert not account.is_active and not account.has_usable_password()
    assert not User.objects.filter(email__endswith="@example.org", is_active=True).exists()
    real.refresh_from_db()
    assert real.is_active and real.check_password("a-real-long-password-1")
