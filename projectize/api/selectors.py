"""Reads of the staff pages for tokens and webhooks: what lies in the viewer's town-admin subtrees."""

from django.db.models import QuerySet

from projectize.api.models import ApiRequest, ApiToken, WebhookDelivery, WebhookSubscription
from projectize.core.typing import User
from projectize.orgs.models import Role
from projectize.orgs.permissions import scope_q

ADMIN = (Role.TOWN_ADMIN,)


def tokens_for(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(scope_q(user, ADMIN)).select_related("organization", "user")


def token_requests(token: ApiToken) -> QuerySet[ApiRequest]:
    return ApiRequest.objects.filter(token=token).order_by("-at", "-id")


def subscriptions_of(token: ApiToken) -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.filter(token=token).order_by("-created_at", "-id")


def subscriptions_for(user: User) -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.filter(scope_q(user, ADMIN, field="token__organization"))


def deliveries_for(user: User) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(
        scope_q(user, ADMIN, field="subscription__token__organization")
    ).select_related("subscription__token")
