"""Webhooks: the events a subscription hears of, in its subtree only; retries with back-off; results recorded."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from projectize.api import services
from projectize.api.models import DeliveryResult, WebhookDelivery
from projectize.core.jobs import jobs_run_pending
from projectize.core.models import Job, JobStatus
from projectize.needs.services import need_create
from projectize.orgs.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def _need(organization, category, actor, title="路灯不亮"):
    return need_create(
        organization=organization,
        title=title,
        description="三晚不亮",
        category=category,
        channel="hotline",
        actor=actor,
    )


def test_a_receiver_that_fails_is_tried_again_later_then_given_up(admin, town, category):
    token, _key = services.token_create(actor=admin, name="社区云", organization=town, can_write=False)
    # Nothing listens on port 9 of the loopback: every attempt fails at once.
    services.subscription_create(actor=admin, token=token, url="http://127.0.0.1:9/hook", events=["need.received"])
    _need(town, category, admin)
    delivery = WebhookDelivery.objects.get()
    assert jobs_run_pending() == 1
    delivery.refresh_from_db()
    job = Job.objects.get(kind="webhook")
    assert delivery.result == DeliveryResult.PENDING and delivery.attempts == 1 and delivery.error
    assert job.status == JobStatus.QUEUED and job.run_after > timezone.now() + datetime.timedelta(seconds=50)
    # Not due yet: nothing is sent again before the back-off has passed.
    assert jobs_run_pending() == 0
    for minutes in (2, 6, 30):
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes)):
            jobs_run_pending()
    delivery.refresh_from_db()
    job.refresh_from_db()
    assert delivery.attempts == 4 and delivery.result == DeliveryResult.FAILED and job.status == JobStatus.FAILED


def test_only_subscribed_events_in_the_token_subtree_are_sent(admin, town, other_town, category):
    other_admin = user_with_role(Role.TOWN_ADMIN, other_town)
    token, _key = services.token_create(actor=admin, name="本镇", organization=town, can_write=False)
    services.subscription_create(actor=admin, token=token, url="http://127.0.0.1:9/a", events=["project.concluded"])
    elsewhere, _key = services.token_create(actor=other_admin, name="外镇", organization=other_town, can_write=False)
    services.subscription_create(
        actor=other_admin, token=elsewhere, url="http://127.0.0.1:9/b", events=["need.received"]
    )
    _need(town, category, admin)
    assert not WebhookDelivery.objects.exists()


def test_a_disabled_subscription_or_revoked_token_hears_nothing(admin, town, category):
    token, _key = services.token_create(actor=admin, name="本镇", organization=town, can_write=False)
    subscription = services.subscription_create(
        actor=admin, token=token, url="http://127.0.0.1:9/a", events=["need.received"]
    )
    services.subscription_disable(actor=admin, subscription=subscription)
    _need(town, category, admin, "一")
    services.subscription_create(actor=admin, token=token, url="http://127.0.0.1:9/b", events=["need.received"])
    services.token_revoke(actor=admin, token=token)
    _need(town, category, admin, "二")
    assert not WebhookDelivery.objects.exists()


def test_publishing_a_target_through_the_api_raises_target_published(admin, town, write_key):
    from projectize.api.models import ApiToken
    from projectize.programmes.models import Programme, Section, Target, TargetStatus
    from tests.api.conftest import token_client

    subscription = services.subscription_create(
        actor=admin, token=ApiToken.objects.get(), url="http://127.0.0.1:9/t", events=["target.published"]
    )
    now = timezone.now()
    programme = Programme.objects.create(
        organization=town,
        year=now.year,
        title="家新桥",
        claim_opens=now - datetime.timedelta(days=1),
        claim_closes=now + datetime.timedelta(days=30),
    )
    section = Section.objects.create(programme=programme, title="交通管理")
    target = Target.objects.create(programme=programme, section=section, title="停车治理", description="d")
    api = token_client(write_key)
    state = api.get(f"/api/v1/workflow/programmes.target/{target.pk}/").json()
    assert "publish" in [step["name"] for step in state["steps"]]
    answer = api.post(f"/api/v1/workflow/programmes.target/{target.pk}/publish/", {}, format="json")
    assert answer.status_code == 200, answer.content
    target.refresh_from_db()
    assert target.status == TargetStatus.PUBLISHED
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    assert delivery.event == "target.published" and delivery.payload["object"]["id"] == target.pk
    # A step the state does not allow is a conflict, in problem details.
    again = api.post(f"/api/v1/workflow/programmes.target/{target.pk}/publish/", {}, format="json")
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
