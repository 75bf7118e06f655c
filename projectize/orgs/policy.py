"""The account policy (等保 2.0 level 3): password strength, history and age, idle sessions, a second factor.

Each value is a setting (see settings.py and the README). What a person must do before anything else
(enter the authenticator code, set the authenticator up, change an expired password) is decided once
at sign-in and kept in the session, so ordinary requests cost no extra query.
"""

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.hashers import check_password
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from projectize.orgs.models import User
from projectize.orgs.permissions import user_roles
from projectize.orgs.services import password_record

CHARACTER_CLASSES = (str.isupper, str.islower, str.isdigit)


def character_classes(password: str) -> int:
    """How many of capital letters, small letters, digits and symbols the password uses."""
    used = sum(any(test(c) for c in password) for test in CHARACTER_CLASSES)
    return used + any(not c.isalnum() for c in password)


class MinimumLengthValidator:
    # Django's own wording of this rule has no Chinese translation.
    def validate(self, password: str, user: User | None = None) -> None:
        if len(password) < settings.PASSWORD_MIN_LENGTH:
            raise ValidationError(self.get_help_text(), code="password_too_short")

    def get_help_text(self) -> str:
        return _("密码至少要有 %(count)d 个字符。") % {"count": settings.PASSWORD_MIN_LENGTH}


class CharacterClassesValidator:
    def validate(self, password: str, user: User | None = None) -> None:
        wanted = settings.PASSWORD_MIN_CHARACTER_CLASSES
        if character_classes(password) < wanted:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号中的至少 %(count)d 类。") % {
            "count": settings.PASSWORD_MIN_CHARACTER_CLASSES
        }


class PasswordHistoryValidator:
    """Refuses the current password and the ones before it, and records each new one once set."""

    def validate(self, password: str, user: User | None = None) -> None:
        if settings.PASSWORD_HISTORY <= 0 or user is None or user.pk is None:
            return
        # The stored hash, not `user.password`: a form may already have set the new one on the instance.
        current = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        recent = list(user.password_records.values_list("password", flat=True)[: settings.PASSWORD_HISTORY])
        if any(check_password(password, encoded) for encoded in {current, *recent} if encoded):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password: str, user: User) -> None:
        password_record(user=user)

    def get_help_text(self) -> str:
        count = settings.PASSWORD_HISTORY
        return ngettext("不能与最近 %(count)d 次用过的密码相同。", "不能与最近 %(count)d 次用过的密码相同。", count) % {
            "count": count
        }


def password_set_at(user: User) -> datetime:
    record = user.password_records.first()
    return record.set_at if record else user.date_joined


def password_expired(user: User) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    return days > 0 and timezone.now() - password_set_at(user) > timedelta(days=days)


def second_factor_required(user: User) -> bool:
    required = set(settings.OTP_REQUIRED_ROLES)
    roles = user_roles(user) | ({"town_admin"} if user.is_superuser else set())
    return bool(required & roles)


# Steps a person may have to take after the password, in order, each named by its page's URL name.
STEPS_KEY = "account_steps"
IDLE_KEY = "last_seen"


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def steps_at_sign_in(user: User) -> list[str]:
    steps = []
    if has_authenticator(user):
        steps.append("otp_verify")
    elif second_factor_required(user):
        steps.append("otp_setup")
    if password_expired(user):
        steps.append("password_change")
    return steps


@receiver(user_logged_in)
def _decide_steps(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[STEPS_KEY] = steps_at_sign_in(user)
        request.session[IDLE_KEY] = int(time.time())


def step_done(request: HttpRequest, step: str) -> None:
    steps = request.session.get(STEPS_KEY, [])
    if step in steps:
        request.session[STEPS_KEY] = [s for s in steps if s != step]


def next_step(request: HttpRequest) -> str | None:
    steps = request.session.get(STEPS_KEY) or []
    return steps[0] if steps else None


# Pages open to a signed-in person besides the page of the step they must take now (only that one:
# a person asked for their code must not reach the page that sets up a new authenticator).
OPEN_DURING_STEPS = {"logout", "set_language"}
# Idle time is counted in whole minutes: the session is written at most once a minute, not on every request.
IDLE_RESOLUTION_SECONDS = 60


class AccountPolicyMiddleware:
    """Signs out an idle session, and sends a person with a step to take to that step's page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            if self._idle(request):
                logout(request)
                messages.info(
                    request,
                    _("您已超过 %(minutes)d 分钟没有操作，为安全起见请重新登录。")
                    % {"minutes": settings.SESSION_IDLE_MINUTES},
                )
                if self._url_name(request) == "login":  # signing in again already: no detour back to this page
                    return self.get_response(request)
                return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
            step = next_step(request)
            request.account_step = step  # type: ignore[attr-defined]  # base.html hides the menus meanwhile
            if step and self._url_name(request) not in {step, *OPEN_DURING_STEPS}:
                return HttpResponseRedirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _idle(request: HttpRequest) -> bool:
        now = int(time.time())
        last = request.session.get(IDLE_KEY)
        limit = settings.SESSION_IDLE_MINUTES * 60
        if last is not None and limit > 0 and now - last > limit:
            return True
        if last is None or now - last >= IDLE_RESOLUTION_SECONDS:
            request.session[IDLE_KEY] = now
        return False

    @staticmethod
    def _url_name(request: HttpRequest) -> str | None:
        try:
            return resolve(request.path_info).url_name
        except Resolver404:
            return None
