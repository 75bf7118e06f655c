"""A unit keeps working on its own claim: incomplete drafts, changes after submitting, its claims' states."""

import pytest

from projectize.claims.models import Claim, ClaimStatus
from projectize.core.models import ActivityLog
from tests.claims.helpers import claim, past_deadline, setup
from tests.claims.test_claims import FORM

pytestmark = pytest.mark.django_db

EMPTY = {name: "" for name in FORM}


def test_a_draft_keeps_what_is_written_so_far(client):
    s = setup()
    client.force_login(s.contacts[0])
    response = client.post(
        f"/claims/new/{s.target.pk}/", {**EMPTY, "organization": s.units[0].pk, "plan": "先写方案", "save": "1"}
    )
    draft = Claim.objects.get()
    assert response.status_code == 302
    assert (draft.status, draft.plan, draft.reasons) == (ClaimStatus.DRAFT, "先写方案", "")
    assert ActivityLog.objects.filter(action="claim.create", target_id=str(draft.pk)).exists()


def test_submitting_needs_every_part_and_says_which_beside_it(client):
    s = setup()
    client.force_login(s.contacts[0])
    response = client.post(
        f"/claims/new/{s.target.pk}/", {**EMPTY, "organization": s.units[0].pk, "plan": "先写方案", "submit": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Claim.objects.exists()
    for field in ("reasons", "team", "timeline", "resource_party"):
        assert f'data-testid="error-{field}"' in page
    assert "请至少说明一类可投入的资源。" in page


def test_a_draft_submitted_from_its_page_must_be_complete(client):
    s = setup()
    draft = claim(s, 0, status=ClaimStatus.DRAFT)
    Claim.objects.filter(pk=draft.pk).update(reasons="")
    client.force_login(s.contacts[0])
    client.post(f"/workflow/claims.claim/{draft.pk}/submit/")
    draft.refresh_from_db()
    assert draft.status == ClaimStatus.DRAFT


def test_a_submitted_claim_can_be_changed_before_the_deadline_and_stays_submitted(client):
    s = setup()
    submitted = claim(s, 0)
    client.force_login(s.contacts[0])
    form = client.get(f"/claims/{submitted.pk}/edit/").content.decode()
    assert 'data-testid="claim-state"' in form and "保存修改" in form and "保存草稿" not in form
    client.post(f"/claims/{submitted.pk}/edit/", {**FORM, "organization": s.units[0].pk, "save": "1"})
    submitted.refresh_from_db()
    assert (submitted.status, submitted.plan) == (ClaimStatus.SUBMITTED, FORM["plan"])
    # Emptying a part of a submitted claim is refused.
    client.post(f"/claims/{submitted.pk}/edit/", {**FORM, "organization": s.units[0].pk, "plan": "", "save": "1"})
    submitted.refresh_from_db()
    assert submitted.plan == FORM["plan"]


def test_after_the_deadline_the_claim_is_shown_not_edited(client):
    s = setup()
    submitted = claim(s, 0)
    past_deadline(s)
    client.force_login(s.contacts[0])
    response = client.get(f"/claims/new/{s.target.pk}/")
    assert response["Location"] == f"/claims/{submitted.pk}/"
    assert client.get(f"/claims/{submitted.pk}/edit/")["Location"] == f"/claims/{submitted.pk}/"


def test_my_claims_shows_each_claim_state_and_leads_to_the_claim_not_a_new_form(client):
    s = setup()
    draft = claim(s, 0, status=ClaimStatus.DRAFT)
    client.force_login(s.contacts[0])
    page = client.get("/claims/").content.decode()
    open_targets = page.split('data-testid="open-targets"')[1]
    assert "继续填写" in open_targets and f"/claims/{draft.pk}/edit/" in open_targets
    assert f"/claims/new/{s.target.pk}/" not in open_targets
    assert "草稿" in page.split('data-testid="my-claims"')[1]


def test_the_public_target_page_tells_a_contact_their_unit_already_claimed(client):
    s = setup()
    submitted = claim(s, 0)
    client.force_login(s.contacts[0])
    page = client.get(s.target.get_public_url()).content.decode()
    mine = page.split('data-testid="my-claim"')[1]
    assert "已提交" in mine and f"/claims/{submitted.pk}/edit/" in mine
    assert "我要认领" not in page
