from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from projectize.core.files import IMAGE_KINDS, validate_upload
from projectize.core.forms import StyledForm, StyledModelForm, YearFilterField
from projectize.needs.models import STAFF_CHANNELS, Channel, NeedCategory, NeedStatus
from projectize.needs.rules import READER_ROLES
from projectize.needs.selectors import active_categories, areas_of
from projectize.orgs.forms import SubtreeFilterField
from projectize.orgs.models import Organization, User, mobile_validator
from projectize.orgs.options import AREAS, UNITS, option_scope
from projectize.orgs.widgets import OrganizationAutocomplete


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS, skipped by keyboard): only bots fill it in."""

    website = forms.CharField(
        label=_("网站（请勿填写）"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(_("提交未成功，请稍后再试。"))
        return ""


class NeedFields(StyledForm):
    title = forms.CharField(label=_("标题"), max_length=100, help_text=_("一句话说清楚，例如：某小区门口晚上停车难。"))
    description = forms.CharField(
        label=_("具体情况"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("发生在哪里、持续多久、影响哪些人，最多 2000 字。"),
    )
    category = forms.ModelChoiceField(label=_("类别"), queryset=NeedCategory.objects.none(), empty_label=_("请选择"))
    area = forms.ModelChoiceField(
        label=_("所在居民区"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("输入居民区或村名中的字，从列表中选择；不确定可不填。"),
        error_messages={"invalid_choice": _("请从列表中选择本镇的居民区或村。")},
    )
    location = forms.CharField(
        label=_("具体位置"), max_length=100, required=False, help_text=_("例如：某小区 3 号楼门口。")
    )
    photo = forms.FileField(label=_("照片"), required=False, help_text=_("可选，JPEG 或 PNG，不超过 10 MB。"))
    submitter_name = forms.CharField(label=_("姓名"), max_length=30, required=False)
    submitter_mobile = forms.CharField(
        label=_("手机号码"),
        max_length=11,
        required=False,
        validators=[mobile_validator],
        help_text=_("可选。只有处理需求的工作人员能看到完整号码。"),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = active_categories(organization)  # type: ignore[attr-defined]
        # A town has hundreds of areas, a city thousands: typed and chosen, never listed in the page.
        area = self.fields["area"]
        area.queryset = areas_of(organization)  # type: ignore[attr-defined]
        area.widget = OrganizationAutocomplete(kind=AREAS, within=organization, attrs=area.widget.attrs)
        area.widget.choices = area.choices  # type: ignore[attr-defined]

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo:
            validate_upload(photo, IMAGE_KINDS)
        return photo


class PublicNeedForm(HoneypotMixin, NeedFields):
    field_order = ["title", "description", "category", "area", "location", "photo", "submitter_name"]


class StaffNeedForm(NeedFields):
    channel = forms.ChoiceField(label=_("来源渠道"), choices=STAFF_CHANNELS)
    source_organization = forms.ModelChoiceField(
        label=_("报送单位"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("基层组织报送或单位项目目标建议时，输入组织名称中的字，从列表中选择。"),
        error_messages={"invalid_choice": _("请从列表中选择本镇的组织。")},
    )
    field_order = ["channel", "source_organization", "title", "description", "category", "area", "location"]

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, organization=organization, **kwargs)
        source = self.fields["source_organization"]
        source.queryset = option_scope(UNITS, organization)  # type: ignore[attr-defined]
        source.widget = OrganizationAutocomplete(kind=UNITS, within=organization, attrs=source.widget.attrs)
        source.widget.choices = source.choices  # type: ignore[attr-defined]


class ReplyForm(StyledForm):
    message = forms.CharField(
        label=_("答复"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("提交人在查询页能看到这条答复（不显示您的姓名）。"),
    )


class MergeForm(StyledForm):
    survivor = forms.IntegerField(
        label=_("合并到需求编号"),
        min_value=1,
        help_text=_("本需求并入该需求：提交人、附议都转过去，本需求的查询码会指向它。"),
    )
    note = forms.CharField(label=_("给提交人的说明"), max_length=500, required=False)


class SupportForm(HoneypotMixin, StyledForm):
    mobile = forms.CharField(
        label=_("手机号码"),
        max_length=11,
        validators=[mobile_validator],
        help_text=_("每人每条需求只能附议一次；号码只用于核对，系统不保存号码本身。"),
    )


class TrackForm(StyledForm):
    code = forms.CharField(label=_("查询码"), max_length=16, help_text=_("提交需求后得到的 10 位查询码。"))


class CategoryForm(StyledModelForm):
    class Meta:
        model = NeedCategory
        fields = ["name", "order", "is_active"]


class NeedFilterForm(StyledForm):
    q = forms.CharField(label=_("关键词"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)
    channel = forms.ChoiceField(label=_("来源渠道"), required=False)
    category = forms.ModelChoiceField(
        label=_("类别"), queryset=NeedCategory.objects.none(), required=False, empty_label=_("全部")
    )
    year = YearFilterField(label=_("提交年度"))

    def __init__(self, *args: Any, user: User, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"] = SubtreeFilterField(
            user=user, roles=READER_ROLES, chosen=self.data.get("organization"), label=_("所在组织（含下级）")
        )
        self.fields["status"].choices = [("", _("全部")), *NeedStatus.choices]  # type: ignore[attr-defined]
        self.fields["channel"].choices = [("", _("全部")), *Channel.choices]  # type: ignore[attr-defined]
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]
