"""The committee's side: start evaluation, select with reasons, public notice, objections, award."""

import pytest
from django.utils import timezone

from projectize.claims import services
from projectize.claims.models import Claim, ClaimStatus, Objection, ObjectionStatus
from projectize.core.models import Notification
from projectize.core.workflow import TransitionError
from projectize.needs.models import NeedStatus
from projectize.orgs.models import Role
from projectize.programmes.models import TargetStatus
from projectize.programmes.workflows import TARGET
from projectize.projects.models import Project
from tests.claims.helpers import claim, in_notice, past_deadline, setup
from tests.factories import make_root, user_with_role
from tests.needs.factories import make_need


@pytest.mark.django_db
def test_evaluation_starts_only_after_the_deadline(client):
    s = setup()
    claim(s, 0)
    client.force_login(s.staff)
    client.post(f"/workflow/programmes.target/{s.target.pk}/start_selection/")
    s.target.refresh_from_db()
    assert s.target.status == TargetStatus.PUBLISHED
    past_deadline(s)
    client.post(f"/workflow/programmes.target/{s.target.pk}/start_selection/")
    s.target.refresh_from_db()
    assert s.target.status == TargetStatus.SELECTING


@pytest.mark.django_db
def test_the_committee_selects_up_to_the_maximum_with_reasons(client):
    s = setup(max_units=2, status=TargetStatus.SELECTING)
    claims = [claim(s, n) for n in range(3)]
    client.force_login(s.staff)

    def decide(c: Claim, selected: str, reason: str = "方案可行") -> None:
        prefix = f"claim{c.pk}"
        client.post(f"/claims/{c.pk}/decide/", {f"{prefix}-selected": selected, f"{prefix}-reason": reason})

    decide(claims[0], "1")
    decide(claims[1], "1")
    decide(claims[2], "1")
    decide(claims[2], "0", "")
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in claims] == [ClaimStatus.SELECTED, ClaimStatus.SELECTED, ClaimStatus.SUBMITTED]
    claims[0].refresh_from_db()
    assert claims[0].is_lead and claims[0].decision_reason == "方案可行"
    # The notice waits until every claim has a decision.
    with pytest.raises(TransitionError, match="未作决定"):
        TARGET.apply(s.target, "notice", actor=s.staff)
    decide(claims[2], "0", "力量不足")
    client.post(f"/workflow/programmes.target/{s.target.pk}/notice/")
    s.target.refresh_from_db()
    assert s.target.status == TargetStatus.NOTICE
    assert s.target.notice_ends_at is not None and s.target.notice_ends_at > timezone.now()


@pytest.mark.django_db
def test_anyone_may_object_during_the_notice_and_not_after(client):
    s = setup()
    claim(s, 0, status=ClaimStatus.SELECTED, is_lead=True)
    in_notice(s)
    response = client.post(
        f"/claims/public/targets/{s.target.pk}/objection/", {"content": "有异议", "mobile": "13900001111"}
    )
    assert response.status_code == 302
    assert Objection.objects.get().status == ObjectionStatus.OPEN
    in_notice(s, ended=True)
    response = client.post(f"/claims/public/targets/{s.target.pk}/objection/", {"content": "又有异议"})
    assert "不在公示期内" in response.content.decode()
    assert Objection.objects.count() == 1


@pytest.mark.django_db
def test_objections_refuse_over_long_text_and_are_rate_limited(client):
    s = setup()
    claim(s, 0, status=ClaimStatus.SELECTED, is_lead=True)
    in_notice(s)
    url = f"/claims/public/targets/{s.target.pk}/objection/"
    assert 'data-testid="error-content"' in client.post(url, {"content": "长" * 2001}).content.decode()
    for _ in range(5):
        client.post(url, {"content": "异议"})
    assert "提交过于频繁" in client.post(url, {"content": "异议"}).content.decode()
    assert Objection.objects.count() == 4


@pytest.mark.django_db
def test_the_public_notice_page_never_shows_an_objectors_contact(client):
    s = setup()
    claim(s, 0, status=ClaimStatus.SELECTED, is_lead=True)
    in_notice(s)
    Objection.objects.create(target=s.target, content="异议", name="李四", mobile="13900001111")
    page = client.get(f"/programmes/public/targets/{s.target.pk}/").content.decode()
    assert "异议" in page and "13900001111" not in page and "李四" not in page


@pytest.mark.django_db
def test_an_upheld_objection_reopens_the_selection(client):
    s = setup()
    chosen = claim(s, 0, status=ClaimStatus.SELECTED, is_lead=True)
    in_notice(s)
    objection = Objection.objects.create(target=s.target, content="中选单位不符合条件")
    client.force_login(s.staff)
    client.post(f"/claims/objections/{objection.pk}/answer/", {"upheld": "1", "answer": "经核实异议成立。"})
    objection.refresh_from_db()
    s.target.refresh_from_db()
    chosen.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD and objection.answer == "经核实异议成立。"
    assert s.target.status == TargetStatus.SELECTING and s.target.notice_ends_at is None
    assert chosen.status == ClaimStatus.SUBMITTED and not chosen.is_lead


@pytest.mark.django_db
def test_the_award_waits_for_the_notice_period_and_answered_objections():
    s = setup()
    claim(s, 0, status=ClaimStatus.SELECTED, is_lead=True)
    in_notice(s)
    with pytest.raises(TransitionError, match="期满后"):
        services.target_award(target=s.target, actor=s.staff)
    in_notice(s, ended=True)
    Objection.objects.create(target=s.target, content="异议")
    with pytest.raises(TransitionError, match="异议未答复"):
        services.target_award(target=s.target, actor=s.staff)
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_the_award_creates_the_project_with_partners_and_tells_everyone(client):
    s = setup(max_units=2)
    lead = claim(s, 1, status=ClaimStatus.SELECTED, is_lead=True, decided_at=timezone.now())
    partner = claim(s, 0, status=ClaimStatus.SELECTED, decided_at=timezone.now())
    loser = claim(s, 2, status=ClaimStatus.NOT_SELECTED, decision_reason="方案针对性不强")
    need = make_need(s.root, target=s.target, status=NeedStatus.PLANNED)
    in_notice(s, ended=True)
    client.force_login(s.staff)
    client.post(f"/workflow/programmes.target/{s.target.pk}/award/")
    project = Project.objects.get()
    assert project.organization == s.units[1] and project.origin == "claim" and project.type == "regional"
    assert list(project.partners.values_list("organization", flat=True)) == [s.units[0].pk]
    assert set(Claim.objects.filter(project=project).values_list("pk", flat=True)) == {lead.pk, partner.pk}
    s.target.refresh_from_db()
    assert s.target.status == TargetStatus.AWARDED
    told = Notification.objects.get(recipient=loser.contact)
    assert "方案针对性不强" in told.content
    assert any(str(project.code) in update.text for update in need.updates.all())


@pytest.mark.django_db
def test_an_unclaimed_target_is_republished_or_closed(client):
    s = setup()
    past_deadline(s)
    client.force_login(s.staff)
    client.post(f"/workflow/programmes.target/{s.target.pk}/start_selection/")
    s.target.refresh_from_db()
    assert s.target.status == TargetStatus.PUBLISHED
    client.post(f"/programmes/targets/{s.target.pk}/republish/", {"deadline": "2099-01-01T17:00"})
    s.target.refresh_from_db()
    assert s.target.status == TargetStatus.PUBLISHED and s.target.deadline.year == 2099
    s.target.claim_deadline = timezone.now()
    s.target.save()
    client.post(f"/workflow/programmes.target/{s.target.pk}/close/", {"note": "两次发布无人认领"})
    s.target.refresh_from_db()
    assert s.target.status == TargetStatus.CLOSED and s.target.closed_reason == "两次发布无人认领"


@pytest.mark.django_db
def test_staff_of_another_committee_get_404_on_the_selection_page(client):
    s = setup()
    other = make_root("另一镇党委")
    client.force_login(user_with_role(Role.TOWN_ADMIN, other))
    assert client.get(f"/claims/targets/{s.target.pk}/").status_code == 404
    client.force_login(s.staff)
    assert client.get(f"/claims/targets/{s.target.pk}/").status_code == 200
