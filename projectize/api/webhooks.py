"""Webhook deliveries: each event becomes one delivery per matching subscription, sent by the background worker
(core's job queue) with an HMAC-SHA256 signature, and tried again with back-off when the receiver fails.

The receiver checks `X-Projectize-Signature: t=<unix time>,v1=<hex>`, where v1 is
HMAC-SHA256(secret, "<t>.<body>"), and refuses old timestamps to stop replays.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from projectize.api.base import organization_lookup
from projectize.api.models import DeliveryResult, WebhookDelivery, WebhookSubscription
from projectize.core.jobs import RetryLater, handler, job_enqueue
from projectize.core.models import ActivityLog, Job
from projectize.core.workflow import workflow_for

TIMEOUT_SECONDS = 10
# Where each event's object is read in the API.
DETAIL_ROUTES = {
    "needs.need": "api:need-detail",
    "programmes.target": "api:target-detail",
    "projects.project": "api:project-detail",
}


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _organization_path(obj: models.Model) -> str:
    lookup = organization_lookup(type(obj))
    current: Any = obj
    for part in (lookup or "").split("__") if lookup else []:
        current = getattr(current, part, None)
    return getattr(current, "path", "") if lookup else ""


def _visible_to(subscription: WebhookSubscription, obj: models.Model, path: str) -> bool:
    """The token's subtree holds the object, and its account may see it on the pages."""
    token = subscription.token
    if not token.active or not token.user.is_active or not path.startswith(token.organization.path):
        return False
    try:
        scope = workflow_for(obj).scope(token.user)
    except KeyError:
        return False
    return scope.filter(pk=obj.pk).exists()


def deliveries_enqueue(*, event: str, entry: ActivityLog) -> list[WebhookDelivery]:
    """Queue the event for every active subscription to it that may see its object (in the log's transaction)."""
    subscriptions = [
        found
        for found in WebhookSubscription.objects.filter(is_active=True, token__revoked_at__isnull=True).select_related(
            "token__organization", "token__user"
        )
        if event in found.events
    ]
    if not subscriptions:
        return []
    obj = entry.target
    if obj is None:
        return []
    path = _organization_path(obj)
    label = f"{obj._meta.app_label}.{obj._meta.model_name}"
    payload = {
        "event": event,
        "occurred_at": entry.created_at.isoformat(),
        "object": {
            "type": label,
            "id": obj.pk,
            "status": getattr(obj, "status", None),
            "url": reverse(DETAIL_ROUTES[label], args=[obj.pk]) if label in DETAIL_ROUTES else None,
        },
    }
    made = []
    for subscription in subscriptions:
        if not _visible_to(subscription, obj, path):
            continue
        uid = uuid.uuid4()
        delivery = WebhookDelivery.objects.create(
            uid=uid, subscription=subscription, event=event, payload={"id": str(uid), **payload}
        )
        job_enqueue(kind="webhook", title=f"webhook {event}", params={"delivery": delivery.pk})
        made.append(delivery)
    return made


@handler("webhook")
def deliver(job: Job) -> None:
    """Send one delivery; a receiver that fails or cannot be reached is tried again later (1, 4, 16 … minutes)."""
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=job.params["delivery"])
    subscription = delivery.subscription
    if not subscription.is_active:
        _record(delivery, DeliveryResult.FAILED, error="subscription inactive")
        return
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Projectize-Webhook/1",
            "X-Projectize-Event": delivery.event,
            "X-Projectize-Delivery": str(delivery.uid),
            "X-Projectize-Signature": signature(subscription.secret, timestamp, body),
        },
    )
    final = job.attempts >= settings.JOBS_MAX_ATTEMPTS
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            code = answer.status
    except urllib.error.HTTPError as error:
        _record(
            delivery,
            DeliveryResult.FAILED if final else DeliveryResult.PENDING,
            code=error.code,
            error=f"HTTP {error.code}",
        )
        raise RetryLater(f"HTTP {error.code}") from None
    except (OSError, ValueError) as error:
        reason = str(getattr(error, "reason", "") or error)[:300] or error.__class__.__name__
        _record(delivery, DeliveryResult.FAILED if final else DeliveryResult.PENDING, error=reason)
        raise RetryLater(reason) from None
    _record(delivery, DeliveryResult.DELIVERED, code=code)


def _record(delivery: WebhookDelivery, result: str, *, code: int | None = None, error: str = "") -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        result=result,
        attempts=models.F("attempts") + 1,
        response_status=code,
        error=error[:300],
        last_attempt_at=timezone.now(),
    )
