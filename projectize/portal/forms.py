from django import forms
from django.utils.translation import gettext_lazy as _

from projectize.core.forms import StyledForm
from projectize.orgs.models import mobile_validator


class MobileForm(StyledForm):
    mobile = forms.CharField(
        label=_("手机号码"),
        max_length=11,
        validators=[mobile_validator],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
        help_text=_("每个手机号码对每个项目只能投一票，号码不会公开。"),
    )


class CodeForm(StyledForm):
    code = forms.RegexField(
        label=_("验证码"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("请输入短信中的 6 位数字验证码。")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
