from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from projectize.api.models import EVENT_CHOICES
from projectize.core.forms import StyledForm
from projectize.orgs.models import Organization


class TokenForm(StyledForm):
    name = forms.CharField(
        label=_("集成名称"), max_length=100, help_text=_("调用方系统的名称，例如“区网格化管理平台”。")
    )
    organization = forms.ModelChoiceField(
        label=_("组织范围"),
        queryset=Organization.objects.none(),
        help_text=_("令牌只能读写该组织及其下级的数据。"),
    )
    can_write = forms.BooleanField(label=_("允许写入（提交需求、进展报告、结题成效和流程操作）"), required=False)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations.order_by("path")


class SubscriptionForm(StyledForm):
    url = forms.URLField(
        label=_("接收地址"), max_length=500, assume_scheme="https", help_text=_("事件以 POST 请求发送到该地址。")
    )
    events = forms.MultipleChoiceField(
        label=_("事件"), choices=EVENT_CHOICES, widget=forms.CheckboxSelectMultiple, initial=["need.received"]
    )
