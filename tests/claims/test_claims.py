"""Claims by units: drafts, submission before the deadline, withdrawal, one live claim per unit."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projectize.claims.models import Claim, ClaimStatus
from projectize.core.models import Attachment
from projectize.orgs.models import Role
from projectize.programmes.models import Target, TargetStatus
from tests.claims.helpers import claim, past_deadline, setup
from tests.factories import user_with_role

FORM = {
    "plan": "施划车位，夜间巡查。",
    "reasons": "熟悉辖区。",
    "team": "王所长 负责",
    "timeline": "3 月 施划",
    "resource_party": "党员民警 12 名",
    "resource_administrative": "",
    "resource_enterprise": "",
    "resource_social": "志愿者 20 名",
}


@pytest.mark.django_db
def test_a_contact_submits_a_claim_with_typed_resources_and_an_attachment(client):
    s = setup()
    client.force_login(s.contacts[0])
    pdf = SimpleUploadedFile("方案.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    data = {**FORM, "organization": s.units[0].pk, "submit": "1", "attachments": pdf}
    response = client.post(f"/claims/new/{s.target.pk}/", data)
    saved = Claim.objects.get()
    assert response.status_code == 302
    assert saved.status == ClaimStatus.SUBMITTED and saved.submitted_at is not None
    assert dict(saved.resources.values_list("kind", "description")) == {
        "party": "党员民警 12 名",
        "social": "志愿者 20 名",
    }
    assert Attachment.objects.get().kind == "pdf"


@pytest.mark.django_db
def test_it_refuses_an_attachment_that_is_not_what_its_name_says(client):
    s = setup()
    client.force_login(s.contacts[0])
    fake = SimpleUploadedFile("方案.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")
    response = client.post(f"/claims/new/{s.target.pk}/", {**FORM, "organization": s.units[0].pk, "attachments": fake})
    assert 'data-testid="error-attachments"' in response.content.decode()
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_a_claim_after_the_deadline_is_refused_with_a_clear_message(client):
    s = setup()
    past_deadline(s)
    client.force_login(s.contacts[0])
    response = client.post(f"/claims/new/{s.target.pk}/", {**FORM, "organization": s.units[0].pk, "submit": "1"})
    assert "截止，不再受理" in response.content.decode()
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_a_draft_submitted_after_the_deadline_stays_a_draft(client):
    s = setup()
    draft = claim(s, 0, status=ClaimStatus.DRAFT)
    past_deadline(s)
    client.force_login(s.contacts[0])
    client.post(f"/workflow/claims.claim/{draft.pk}/submit/")
    draft.refresh_from_db()
    assert draft.status == ClaimStatus.DRAFT


@pytest.mark.django_db
def test_one_live_claim_per_unit_is_enforced_by_the_database():
    s = setup()
    claim(s, 0)
    with pytest.raises(IntegrityError), transaction.atomic():
        claim(s, 0, status=ClaimStatus.DRAFT)


@pytest.mark.django_db
def test_a_unit_that_claimed_is_led_to_its_claim_and_may_claim_again_after_withdrawal(client):
    s = setup()
    first = claim(s, 0, status=ClaimStatus.DRAFT)
    client.force_login(s.contacts[0])
    response = client.get(f"/claims/new/{s.target.pk}/", follow=True)
    assert response.redirect_chain == [(f"/claims/{first.pk}/edit/", 302)]
    assert "本单位已认领该标的，以下是您的认领。" in response.content.decode()
    # A form posted from an old tab does not make a second claim either.
    client.post(f"/claims/new/{s.target.pk}/", {**FORM, "organization": s.units[0].pk})
    assert Claim.objects.filter(organization=s.units[0]).count() == 1
    client.post(f"/workflow/claims.claim/{first.pk}/withdraw/")
    first.refresh_from_db()
    assert first.status == ClaimStatus.WITHDRAWN
    client.post(f"/claims/new/{s.target.pk}/", {**FORM, "organization": s.units[0].pk})
    assert Claim.objects.filter(organization=s.units[0], status=ClaimStatus.DRAFT).count() == 1


@pytest.mark.django_db
def test_a_claim_cannot_be_withdrawn_after_the_deadline(client):
    s = setup()
    submitted = claim(s, 0)
    past_deadline(s)
    client.force_login(s.contacts[0])
    client.post(f"/workflow/claims.claim/{submitted.pk}/withdraw/")
    submitted.refresh_from_db()
    assert submitted.status == ClaimStatus.SUBMITTED


@pytest.mark.django_db
def test_claiming_opens_only_at_the_start_of_the_window(client):
    s = setup()
    programme = s.target.programme
    programme.claim_opens = timezone.now() + timedelta(days=1)
    programme.save()
    client.force_login(s.contacts[0])
    response = client.post(f"/claims/new/{s.target.pk}/", {**FORM, "organization": s.units[0].pk})
    assert "认领将于" in response.content.decode()
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_another_unit_and_an_unassigned_reviewer_cannot_see_a_claim(client):
    s = setup()
    mine = claim(s, 0)
    client.force_login(s.contacts[1])
    assert client.get(f"/claims/{mine.pk}/").status_code == 404
    client.force_login(user_with_role(Role.REVIEWER, s.root))
    assert client.get(f"/claims/{mine.pk}/").status_code == 404
    client.force_login(s.staff)
    assert client.get(f"/claims/{mine.pk}/").status_code == 200


@pytest.mark.django_db
def test_my_claims_and_the_public_targets_keep_a_flat_query_count(client):
    s = setup()
    client.force_login(s.contacts[0])

    def add(count: int) -> None:
        targets = Target.objects.bulk_create(
            Target(
                programme=s.target.programme,
                section=s.target.section,
                title=f"标的{n}",
                description="d",
                expected_outcomes="o",
                status=TargetStatus.PUBLISHED,
                published_at=timezone.now(),
            )
            for n in range(count)
        )
        Claim.objects.bulk_create(
            Claim(
                target=t, organization=s.units[0], contact=s.contacts[0], plan="p", reasons="r", team="t", timeline="t"
            )
            for t in targets
        )

    add(10)
    with CaptureQueriesContext(connection) as small_mine:
        assert client.get("/claims/").status_code == 200
    with CaptureQueriesContext(connection) as small_public:
        assert client.get("/programmes/public/").status_code == 200
    add(990)
    with CaptureQueriesContext(connection) as large_mine:
        assert client.get("/claims/").status_code == 200
    with CaptureQueriesContext(connection) as large_public:
        assert client.get("/programmes/public/").status_code == 200
    assert len(large_mine) == len(small_mine)
    assert len(large_public) == len(small_public)
