"""A target's one table: its steps from the pages' buttons, who may take them, what they log, and the claims'
part of them (the claims app completes the target's steps without programmes importing it)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from projectize.claims.models import Claim, ClaimStatus
from projectize.core.models import ActivityLog, Notification
from projectize.orgs.models import Role
from projectize.programmes.models import TargetStatus
from tests.claims.helpers import claim, in_notice, past_deadline, setup
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def step_url(target, step: str) -> str:
    return f"/workflow/programmes.target/{target.pk}/{step}/"


def actions(obj) -> list[str]:
    logged = ActivityLog.objects.filter(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))
    return list(logged.order_by("id").values_list("action", flat=True))


def test_each_step_of_a_target_is_logged_once_under_its_own_code(client):
    s = setup(status=TargetStatus.DRAFT)
    client.force_login(s.staff)
    client.post(step_url(s.target, "publish"))
    claim(s, 0)
    past_deadline(s)
    client.post(step_url(s.target, "start_selection"))
    s.target.refresh_from_db()
    assert s.target.status == TargetStatus.SELECTING and s.target.published_at is not None
    assert [a for a in actions(s.target) if a.startswith("target.")] == ["target.publish", "target.start_selection"]


def test_a_leader_follows_the_selection_but_takes_no_step(client):
    s = setup()
    claim(s, 0)
    past_deadline(s)
    leader = user_with_role(Role.LEADER, s.root)
    client.force_login(leader)
    page = client.get(f"/claims/targets/{s.target.pk}/").content.decode()
    assert "开始综合考量</button>" not in page and 'data-testid="workflow-actions"' not in page
    # The step endpoint refuses what the button never offered, as does the review form's view.
    assert client.post(step_url(s.target, "start_selection")).status_code == 403
    assert client.post(f"/claims/targets/{s.target.pk}/reviews/", {"reviewers": []}).status_code == 404
    s.target.refresh_from_db()
    assert s.target.status == TargetStatus.PUBLISHED
    client.force_login(s.staff)
    assert "开始综合考量</button>" in client.get(f"/claims/targets/{s.target.pk}/").content.decode()


def test_the_notice_button_says_why_it_waits_while_a_claim_is_undecided(client):
    s = setup(status=TargetStatus.SELECTING)
    undecided = claim(s, 0)
    client.force_login(s.staff)
    page = client.get(f"/claims/targets/{s.target.pk}/").content.decode()
    assert 'data-testid="blocked-notice"' in page and "还有认领未作决定" in page
    prefix = f"claim{undecided.pk}"
    client.post(f"/claims/{undecided.pk}/decide/", {f"{prefix}-selected": "1", f"{prefix}-reason": "方案可行"})
    page = client.get(f"/claims/targets/{s.target.pk}/").content.decode()
    assert 'data-testid="confirm-notice"' in page and "公示期内任何人可以提出异议" in page


def test_a_decision_needs_its_form(client):
    s = setup(status=TargetStatus.SELECTING)
    submitted = claim(s, 0)
    client.force_login(s.staff)
    client.post(f"/workflow/claims.claim/{submitted.pk}/select/", {"note": "方案可行"})
    submitted.refresh_from_db()
    assert submitted.status == ClaimStatus.SUBMITTED and submitted.decided_by is None


def test_a_republication_needs_its_form(client):
    s = setup()
    past_deadline(s)
    client.force_login(s.staff)
    client.post(step_url(s.target, "republish"))
    s.target.refresh_from_db()
    assert s.target.claim_deadline is None
    page = client.get(s.target.get_absolute_url()).content.decode()
    assert 'id="republish"' in page
    client.post(f"/programmes/targets/{s.target.pk}/republish/", {"deadline": "2099-01-01T17:00"})
    s.target.refresh_from_db()
    assert s.target.deadline.year == 2099 and actions(s.target)[-1] == "target.republish"


def test_closing_an_unclaimed_target_lapses_its_drafts_through_the_claims_table(client):
    s = setup()
    draft = claim(s, 0, status=ClaimStatus.DRAFT)
    client.force_login(s.staff)
    # Not before the deadline: units may still claim it.
    client.post(step_url(s.target, "close"), {"note": "无人认领"})
    s.target.refresh_from_db()
    assert s.target.status == TargetStatus.PUBLISHED
    past_deadline(s)
    client.post(step_url(s.target, "close"), {"note": "无人认领"})
    s.target.refresh_from_db()
    draft.refresh_from_db()
    assert s.target.status == TargetStatus.CLOSED and s.target.closed_reason == "无人认领"
    assert draft.status == ClaimStatus.WITHDRAWN and actions(draft) == ["claim.lapse"]


def test_a_target_with_a_submitted_claim_is_neither_closed_nor_republished(client):
    s = setup()
    claim(s, 0)
    past_deadline(s)
    client.force_login(s.staff)
    client.post(step_url(s.target, "close"), {"note": "不要了"})
    response = client.post(f"/programmes/targets/{s.target.pk}/republish/", {"deadline": "2099-01-01T17:00"})
    s.target.refresh_from_db()
    assert s.target.status == TargetStatus.PUBLISHED and s.target.claim_deadline is None
    assert response.status_code == 302


def test_the_committee_reconsiders_a_noticed_result_with_a_reason(client):
    s = setup(max_units=2)
    lead = claim(s, 0, status=ClaimStatus.SELECTED, is_lead=True, decided_at=timezone.now())
    other = claim(s, 1, status=ClaimStatus.NOT_SELECTED, decided_at=timezone.now())
    in_notice(s)
    client.force_login(s.staff)
    client.post(step_url(s.target, "reconsider"), {"note": " "})
    s.target.refresh_from_db()
    assert s.target.status == TargetStatus.NOTICE
    client.post(step_url(s.target, "reconsider"), {"note": "牵头单位资质需复核。"})
    s.target.refresh_from_db()
    assert s.target.status == TargetStatus.SELECTING and s.target.notice_ends_at is None
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses == {lead.pk: ClaimStatus.SUBMITTED, other.pk: ClaimStatus.SUBMITTED}
    assert not Claim.objects.filter(is_lead=True).exists()
    assert actions(lead) == ["claim.reconsider"]
    told = Notification.objects.filter(recipient__in=[lead.contact, other.contact])
    assert told.count() == 2 and all("牵头单位资质需复核。" in n.content for n in told)


def test_the_award_waits_until_the_notice_is_over_on_the_button_too(client):
    s = setup()
    claim(s, 0, status=ClaimStatus.SELECTED, is_lead=True)
    in_notice(s)
    client.force_login(s.staff)
    page = client.get(f"/claims/targets/{s.target.pk}/").content.decode()
    assert 'data-testid="blocked-award"' in page and "期满后才能确定" in page
    s.target.notice_ends_at = timezone.now() - timedelta(minutes=1)
    s.target.save()
    client.post(step_url(s.target, "award"))
    s.target.refresh_from_db()
    assert s.target.status == TargetStatus.AWARDED
    assert Claim.objects.get().project is not None
