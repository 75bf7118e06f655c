from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from projectize.api.models import EVENT_CHOICES
from projectize.core.forms import StyledForm
from projectize.orgs.models import Organization, User


class TokenForm(StyledForm):
    name = forms.CharField(
        label=_("集成名称"), max_length=100, help_text=_("调用方系统的名称，例如“区网格化管理平台”。")
    )
    organization = forms.ModelChoiceField(
        label=_("组织范围"),
        queryset=Organization.objects.none(),
        help_text=_("令牌只能读写该组织及其下级的数据。"),
    )
    acts_as = forms.CharField(
        label=_("代表账号"),
        max_length=150,
        required=False,
        help_text=_("令牌以该账号的权限操作，填写用户名，例如项目所在组织的联络员（提交进展报告）；留空则为您本人。"),
    )
    can_write = forms.BooleanField(label=_("允许写入（提交需求、进展报告、结题成效和流程操作）"), required=False)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations.order_by("path")

    def clean_acts_as(self) -> User | None:
        username = self.cleaned_data["acts_as"].strip()
        if not username:
            return None
        account = User.objects.filter(username=username).first()
        if account is None:
            raise forms.ValidationError(_("没有这个用户名。"))
        return account


class SubscriptionForm(StyledForm):
    url = forms.URLField(
        label=_("接收地址"), max_length=500, assume_scheme="https", help_text=_("事件以 POST 请求发送到该地址。")
    )
    events = forms.MultipleChoiceField(
        label=_("事件"), choices=EVENT_CHOICES, widget=forms.CheckboxSelectMultiple, initial=["need.received"]
    )
