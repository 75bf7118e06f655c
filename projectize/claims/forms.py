from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from projectize.claims.models import ClaimStatus, ResourceKind
from projectize.core.fields import MultipleFileField
from projectize.core.forms import StyledForm
from projectize.needs.forms import HoneypotMixin
from projectize.orgs.models import Organization, OrgKind, Role, User, mobile_validator
from projectize.programmes.forms import ListFilterForm, programme_field

RESOURCE_HELP = {
    ResourceKind.PARTY: _("党员、党组织活动阵地、党建联建等。"),
    ResourceKind.ADMINISTRATIVE: _("执法、审批、公共服务等职能。"),
    ResourceKind.ENTERPRISE: _("资金、场地、设备、专业技术等。"),
    ResourceKind.SOCIAL: _("志愿者、社会组织、专业社工等。"),
}


def resource_field(kind: ResourceKind | str) -> str:
    return f"resource_{ResourceKind(kind).value}"


# “At least one resource” is said beside the first resource field.
RESOURCES_ERROR_FIELD = resource_field(ResourceKind.PARTY)


class ClaimForm(StyledForm):
    organization = forms.ModelChoiceField(label=_("认领单位"), queryset=Organization.objects.none(), empty_label=None)
    plan = forms.CharField(
        label=_("实施方案"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("目标、步骤和方法，尽量量化。"),
    )
    reasons = forms.CharField(
        label=_("认领理由"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("为什么由本单位承接：经验、条件、优势。"),
    )
    team = forms.CharField(
        label=_("团队"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("每行一人，写明分工。")
    )
    timeline = forms.CharField(
        label=_("时间安排"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个步骤和完成时间。"),
    )
    attachments = MultipleFileField(label=_("附件"), help_text=_("可选：PDF、Word、Excel 或图片，每个不超过 10 MB。"))

    # Required to submit; a draft (保存草稿) may leave them empty.
    PARTS = ("plan", "reasons", "team", "timeline")

    def __init__(self, *args: Any, units: Any, submitting: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        self.fields["organization"].queryset = units  # type: ignore[attr-defined]
        for name in self.PARTS:
            self.fields[name].required = submitting
        for kind in ResourceKind:
            self.fields[resource_field(kind)] = forms.CharField(
                label=kind.label,
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                help_text=RESOURCE_HELP[kind],
            )
        self.order_fields(["organization", "plan", "reasons", *[resource_field(k) for k in ResourceKind]])

    def resources(self) -> dict[str, str]:
        return {kind.value: self.cleaned_data.get(resource_field(kind), "") for kind in ResourceKind}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.submitting and not any(text.strip() for text in self.resources().values()):
            self.add_error(RESOURCES_ERROR_FIELD, _("请至少说明一类可投入的资源。"))
        return data


class DecideForm(StyledForm):
    selected = forms.TypedChoiceField(
        label=_("决定"),
        choices=[("1", _("选定")), ("0", _("不选"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    lead = forms.BooleanField(
        label=_("作为牵头单位"), required=False, help_text=_("多家共同承接时，牵头单位拥有项目。")
    )
    reason = forms.CharField(
        label=_("理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("未选中的单位会收到这条理由。"),
    )


class ReviewersForm(StyledForm):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("评审专家"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateField(label=_("评审截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        step = Organization.steplen
        paths = [organization.path[:end] for end in range(step, len(organization.path) + 1, step)]
        self.fields["reviewers"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            grants__role=Role.REVIEWER, grants__organization__path__in=paths, is_active=True
        ).distinct()


class ObjectionForm(HoneypotMixin, StyledForm):
    content = forms.CharField(
        label=_("异议内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("请写明对哪家单位、哪一点有异议，以及事实依据。最多 2000 字。"),
    )
    name = forms.CharField(label=_("姓名"), max_length=30, required=False)
    mobile = forms.CharField(
        label=_("手机号码"),
        max_length=11,
        required=False,
        validators=[mobile_validator],
        help_text=_("可选，便于工作人员联系您；不会公开。"),
    )


class AnswerForm(StyledForm):
    upheld = forms.TypedChoiceField(
        label=_("结论"),
        choices=[("0", _("异议不成立")), ("1", _("异议成立，重新考量"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("答复"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("答复会在公示页公开。")
    )


class ClaimFilterForm(ListFilterForm):
    """Filters of the staff claim list; `organization` and `kind` are those of the claiming unit."""

    search_hint = _("标的或单位名称")
    programme = programme_field()
    kind = forms.ChoiceField(label=_("单位类型"), required=False, choices=[("", _("全部类型")), *OrgKind.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *ClaimStatus.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].label = _("认领单位（含下级）")
