"""Login with lockout: after LOGIN_FAILURE_LIMIT failures an account is locked for a while.

The count is per account, whichever identifier (username or mobile number) was typed; names of no
account are counted by name, so the lockout does not reveal which accounts exist. The counters are
shared by every server process (`projectize.core.ratelimit`).
"""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from projectize.core import ratelimit
from projectize.core.forms import StyledFormMixin
from projectize.orgs.backends import find_account


def _key(login: str) -> str:
    account = find_account(login)
    if account is not None:
        return f"login-failures:account:{account.pk}"
    return f"login-failures:name:{login.strip().lower()}"


def is_locked(login: str) -> bool:
    return ratelimit.count(_key(login)) >= settings.LOGIN_FAILURE_LIMIT


def record_failure(login: str) -> int:
    return ratelimit.hit(_key(login), window=settings.LOGIN_LOCKOUT_MINUTES * 60)


def clear_failures(login: str) -> None:
    ratelimit.reset(_key(login))


class LoginForm(StyledFormMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("用户名或手机号"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True})
    )

    def clean(self) -> dict[str, Any]:
        login = self.cleaned_data.get("username") or ""
        if login and is_locked(login):
            raise forms.ValidationError(self._locked_message(), code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            failures = record_failure(login)
            if failures >= settings.LOGIN_FAILURE_LIMIT:
                raise forms.ValidationError(self._locked_message(), code="locked") from None
            left = settings.LOGIN_FAILURE_LIMIT - failures
            raise forms.ValidationError(
                ngettext(
                    "用户名或密码不正确。再错 %(left)d 次，账号将被锁定。",
                    "用户名或密码不正确。再错 %(left)d 次，账号将被锁定。",
                    left,
                )
                % {"left": left},
                code="invalid_login",
            ) from None
        clear_failures(login)
        return cleaned

    @staticmethod
    def _locked_message() -> str:
        return str(
            _("登录失败次数过多，账号已锁定 %(minutes)d 分钟，请稍后再试或联系镇党委管理员。")
            % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}
        )
