"""Writes of the API app: tokens made and revoked, webhook subscriptions; each logged."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projectize.api.auth import KEY_PREFIX, key_hash
from projectize.api.models import EVENT_CHOICES, ApiToken, WebhookSubscription
from projectize.core.activity import Wording
from projectize.core.services import log_activity
from projectize.core.typing import User
from projectize.orgs.models import Organization, Role
from projectize.orgs.permissions import has_role

# Added to core's wording of the activity log when the app starts (apps.py).
WORDING = {
    "apitoken.create": Wording(
        gettext_lazy("创建接口令牌"), gettext_lazy("创建接口令牌“%(name)s”（%(access)s，代表账号 %(account)s）")
    ),
    "apitoken.revoke": Wording(gettext_lazy("吊销接口令牌"), gettext_lazy("吊销接口令牌“%(name)s”")),
    "webhook.create": Wording(gettext_lazy("添加事件订阅"), gettext_lazy("添加事件订阅：%(url)s")),
    "webhook.disable": Wording(gettext_lazy("停用事件订阅"), gettext_lazy("停用事件订阅：%(url)s")),
}


def _require_admin(actor: User, organization: Organization) -> None:
    if not has_role(actor, (Role.TOWN_ADMIN,), organization):
        raise PermissionDenied(_("只有该组织的镇党委管理员可以管理接口令牌。"))


@transaction.atomic
def token_create(
    *, actor: User, name: str, organization: Organization, can_write: bool, acts_as: User | None = None
) -> tuple[ApiToken, str]:
    """Make a token acting as `acts_as` (by default `actor`), within `organization`'s subtree. Another account
    must be one the actor administers (e.g. an organization's staff, who hand in its progress reports).
    Returns the token with its key, which is stored only as a hash: the caller shows the key once."""
    _require_admin(actor, organization)
    if not name.strip():
        raise ValidationError({"name": _("请填写集成名称。")})
    account = acts_as or actor
    if account != actor and not (account.is_active and actor.has_perm("orgs.change_user", account)):
        raise ValidationError({"acts_as": _("只能选择您管理的在用账号。")})
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name.strip(),
        organization=organization,
        can_write=can_write,
        user=account,
        prefix=f"{KEY_PREFIX}{prefix}",
        key_hash=key_hash(key),
    )
    access = gettext_lazy("读写") if can_write else gettext_lazy("只读")
    log_activity(
        actor=actor,
        action="apitoken.create",
        target=token,
        params={"name": token.name, "access": str(access), "account": account.get_username()},
        organization=organization,
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    _require_admin(actor, token.organization)
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        log_activity(
            actor=actor,
            action="apitoken.revoke",
            target=locked,
            params={"name": locked.name},
            organization=locked.organization,
        )
    return locked


@transaction.atomic
def subscription_create(*, actor: User, token: ApiToken, url: str, events: list[str]) -> WebhookSubscription:
    _require_admin(actor, token.organization)
    known = {code for code, _label in EVENT_CHOICES}
    if not events or not set(events) <= known:
        raise ValidationError({"events": _("请至少选择一个事件。")})
    if not token.active:
        raise ValidationError({"url": _("该令牌已吊销。")})
    subscription = WebhookSubscription.objects.create(
        token=token, url=url, events=sorted(set(events)), secret=secrets.token_hex(32), created_by=actor
    )
    log_activity(
        actor=actor, action="webhook.create", target=subscription, params={"url": url}, organization=token.organization
    )
    return subscription


@transaction.atomic
def subscription_disable(*, actor: User, subscription: WebhookSubscription) -> WebhookSubscription:
    _require_admin(actor, subscription.token.organization)
    if subscription.is_active:
        subscription.is_active = False
        subscription.save(update_fields=["is_active"])
        log_activity(
            actor=actor,
            action="webhook.disable",
            target=subscription,
            params={"url": subscription.url},
            organization=subscription.token.organization,
        )
    return subscription
