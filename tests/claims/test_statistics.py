"""The statistics page: claim rate, claims per target, units by kind, needs by category, channel, status."""

import pytest

from projectize.claims.models import Claim, ClaimStatus
from projectize.needs.models import Channel
from projectize.orgs.models import OrgKind, Role
from projectize.programmes.models import TargetStatus
from tests.factories import make_org, make_root, user_with_role
from tests.needs.factories import make_need
from tests.programmes.factories import make_programme, make_section, make_target


@pytest.mark.django_db
def test_it_counts_claim_rate_units_by_kind_and_needs_by_channel(client):
    root = make_root()
    section = make_section(make_programme(root))
    claimed = [make_target(section, title=f"标的{n}") for n in range(2)]
    make_target(section, title="无人认领")
    make_target(section, status=TargetStatus.DRAFT, title="草稿不计")
    units = [make_org(root, "派出所", OrgKind.STATIONED), make_org(root, "超市", OrgKind.ENTERPRISE)]
    for unit, target in zip(units, claimed, strict=True):
        contact = user_with_role(Role.CLAIM_CONTACT, unit)
        Claim.objects.create(
            target=target,
            organization=unit,
            contact=contact,
            status=ClaimStatus.SUBMITTED,
            plan="p",
            reasons="r",
            team="t",
            timeline="t",
        )
    Claim.objects.create(
        target=claimed[0],
        organization=units[1],
        contact=contact,
        status=ClaimStatus.WITHDRAWN,
        plan="p",
        reasons="r",
        team="t",
        timeline="t",
    )
    make_need(root, channel=Channel.HOTLINE)
    make_need(root, channel=Channel.HOTLINE)
    make_need(root, channel=Channel.FORUM)
    client.force_login(user_with_role(Role.LEADER, root))

    response = client.get("/claims/statistics/")

    stats = response.context["stats"]
    assert (stats["published"], stats["claimed"]) == (3, 2)
    assert stats["claims"] == 2 and stats["units"] == 2
    assert {row["label"]: row["units"] for row in stats["units_by_kind"]} == {"驻区单位党组织": 1, "企业": 1}
    assert dict(response.context["by_channel"]) == {"热线电话": 2, "座谈会": 1}
    assert 'data-testid="claim-rate">67%' in response.content.decode()
