"""A payment dated far outside the budget's and the project's years is refused beside its date."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projectize.funds.models import Disbursement
from projectize.funds.services import allocation_create
from tests.factories import PASSWORD
from tests.funds.factories import assess, fund_world, funded

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize("paid_on", ["1900-03-01", "2099-03-01"])
def test_a_payment_dated_far_outside_the_years_is_refused_beside_the_date(client, paid_on):
    world = fund_world()
    funded(world)
    assess(world, world.project)
    allocation = allocation_create(
        project=world.project, year=2026, amount=Decimal("900"), reason="启动", actor=world.admin
    )
    client.login(username="finance", password=PASSWORD)
    data = {"amount": "100", "purpose": "物料", "paid_on": paid_on}
    receipt = SimpleUploadedFile("收据.png", PNG, content_type="image/png")
    response = client.post(f"/funds/allocations/{allocation.pk}/disburse/", data | {"receipts": receipt})
    assert response.status_code == 200
    assert "请检查年份" in response.context["form"].errors["paid_on"][0]
    assert 'data-testid="error-paid_on"' in response.content.decode()
    assert not Disbursement.objects.exists()
    allocation.refresh_from_db()
    assert allocation.drawn == 0
    # A date in the budget's year is taken.
    ok = {"amount": "100", "purpose": "物料", "paid_on": datetime.date(2026, 3, 1).isoformat()}
    receipt = SimpleUploadedFile("收据.png", PNG, content_type="image/png")
    client.post(f"/funds/allocations/{allocation.pk}/disburse/", ok | {"receipts": receipt})
    assert Disbursement.objects.count() == 1
