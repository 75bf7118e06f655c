"""The demo tells one consistent story: claims, deadline, notice and award in that order, and a resident's
need traced to the people its project benefited."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from projectize.claims.models import Claim
from projectize.core.models import Notification
from projectize.needs.models import Need
from projectize.programmes.demo import TITLE
from projectize.programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_the_demo_programme_keeps_its_dates_in_order_and_reaches_people_benefited(client):
    call_command("load_demo", "--i-know-this-is-a-demo", stdout=StringIO())
    programme = Programme.objects.get(title=TITLE)
    now = timezone.now()
    assert programme.claim_opens < programme.claim_closes < now
    for target in programme.targets.all():
        # 公示 starts after 认领截止 and ends before the award that makes the project.
        assert target.notice_starts_at is not None and target.notice_ends_at is not None
        assert programme.claim_closes < target.notice_starts_at < target.notice_ends_at
        claims = list(target.claims.select_related("project", "contact"))
        assert all(
            target.published_at is not None
            and c.submitted_at is not None
            and target.published_at < c.submitted_at < programme.claim_closes
            for c in claims
        )
        awarded = [c for c in claims if c.project is not None]
        assert awarded and all(target.notice_ends_at < c.project.created_at < now for c in awarded if c.project)
        # Units were told of the notice while it ran, before they were told of their success.
        for claim in awarded:
            told = Notification.objects.filter(recipient=claim.contact, created_at__gte=target.notice_starts_at)
            assert told.filter(created_at__lt=target.notice_ends_at).exists()
            assert not told.filter(created_at__gt=now).exists()
    # Needs linked to targets came in before the targets were designed.
    linked = Need.objects.filter(target__programme=programme)
    assert linked.exists() and not linked.filter(created_at__gte=programme.created_at).exists()

    # A resident's need reaches a concluded project and the people it benefited, on the tracking page.
    project_claim = Claim.objects.filter(target__programme=programme, project__beneficiaries__gt=0).first()
    assert project_claim is not None and project_claim.project is not None
    started = timezone.localtime(project_claim.project.created_at).date()
    assert all(m.due_date > started for m in project_claim.project.milestones.all())
    need = Need.objects.filter(target=project_claim.target).exclude(status="merged").first()
    assert need is not None
    page = client.get(f"/needs/public/track/{need.code}/").content.decode()
    people = project_claim.project.beneficiaries
    assert "惠及" in page and (f"{people:,}" in page or str(people) in page)
    assert "已纳入项目" in page
