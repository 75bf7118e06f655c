from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from projectize.core.forms import StyledForm, StyledModelForm
from projectize.orgs.models import Organization, Role
from projectize.orgs.permissions import scope_q
from projectize.programmes.models import Programme, Section, Target, TargetStatus
from projectize.programmes.selectors import STAGE_CLAIMED, STAGE_OFFERED

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ProgrammeForm(StyledModelForm):
    class Meta:
        model = Programme
        fields = ["year", "title", "description", "claim_opens", "claim_closes", "notice_days"]
        widgets = {"claim_opens": DATETIME, "claim_closes": DATETIME, "description": forms.Textarea(attrs={"rows": 3})}


class SectionForm(StyledModelForm):
    class Meta:
        model = Section
        fields = ["title", "order", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class TargetForm(StyledModelForm):
    class Meta:
        model = Target
        fields = [
            "section",
            "order",
            "title",
            "description",
            "expected_outcomes",
            "resources_required",
            "support_funds",
            "max_units",
            "requirements",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("description", "expected_outcomes", "resources_required", "requirements")
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = programme.sections.all()  # type: ignore[attr-defined]
        self.instance.programme = programme


# Filters of the staff lists. Every value is checked: a wrong one is reported beside its field and
# the list shows nothing, rather than quietly leaving that filter out.

INDENT = "\u3000"  # an ideographic space: kept by the browser where ordinary spaces collapse


class OrganizationChoiceField(forms.ModelChoiceField):
    """Organizations in tree order, indented by depth so that units stand under their branch."""

    def label_from_instance(self, obj: Any) -> str:
        return INDENT * (obj.depth - 1) + obj.name


class ListFilterForm(StyledForm):
    """Keyword, organization and year: the filters the programme, target and claim lists share.

    Bind it to `request.GET` always (no filter given is a valid, empty filter).
    """

    search_hint = _("品牌项目名称")

    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    organization = OrganizationChoiceField(
        label=_("组织"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("全部组织"),
        error_messages={"invalid_choice": _("没有这个组织，或它不在您可查看的范围内。")},
    )
    year = forms.IntegerField(
        label=_("年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        # A text box keeps a wrong value in sight beside its error (a number box would blank it).
        widget=forms.TextInput(attrs={"placeholder": _("全部年度"), "inputmode": "numeric", "size": 6}),
        error_messages={"invalid": _("请填写四位数的年度，例如 2026。")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = (Role.TOWN_ADMIN, Role.LEADER)
        self.fields["organization"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            scope_q(user, staff, field="")
        ).order_by("path")
        if "programme" in self.fields:
            self.fields["programme"].queryset = Programme.objects.filter(  # type: ignore[attr-defined]
                scope_q(user, staff)
            ).order_by("-year", "id")
        for field in self.fields.values():
            small = "form-select-sm" if isinstance(field.widget, forms.Select) else "form-control-sm"
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {small}".strip()
        self.fields["q"].widget.attrs["placeholder"] = self.search_hint
        self.order_fields(["q", "organization", "year", "programme"])


def programme_field() -> forms.ModelChoiceField:
    """The programme filter (its choices are set by `ListFilterForm` to the user's programmes)."""
    return forms.ModelChoiceField(
        label=_("品牌项目"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("全部品牌项目"),
        error_messages={"invalid_choice": _("没有这个品牌项目，或它不在您可查看的范围内。")},
    )


class TargetFilterForm(ListFilterForm):
    search_hint = _("标的或板块名称")
    STAGES = [("", _("全部")), (STAGE_OFFERED, _("已发布（含此后各阶段）")), (STAGE_CLAIMED, _("有单位认领"))]

    programme = programme_field()
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *TargetStatus.choices])
    stage = forms.ChoiceField(label=_("认领进展"), required=False, choices=STAGES)
