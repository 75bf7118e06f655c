from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from projectize.core.forms import StyledForm, StyledModelForm, YearFilterField
from projectize.orgs.forms import SubtreeFilterField
from projectize.orgs.models import Role, User
from projectize.orgs.permissions import scope_q
from projectize.programmes.models import Programme, Section, Target, TargetStatus
from projectize.programmes.selectors import STAGE_CLAIMED, STAGE_OFFERED, PublicProgramme, public_sections

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


class ListFilterForm(StyledForm):
    """Keyword, organization and year: the filters the programme, target and claim lists share.

    Bind it to `request.GET` always (no filter given is a valid, empty filter).
    """

    search_hint = _("品牌项目名称")

    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    year = YearFilterField()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = (Role.TOWN_ADMIN, Role.LEADER)
        self.fields["organization"] = SubtreeFilterField(
            user=user, roles=staff, chosen=self.data.get("organization"), label=_("组织")
        )
        if "programme" in self.fields:
            self.fields["programme"].queryset = Programme.objects.filter(  # type: ignore[attr-defined]
                scope_q(user, staff)
            ).order_by("-year", "id")
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


class RepublishForm(StyledForm):
    """The input of a target's “重新发布” step."""

    deadline = forms.DateTimeField(
        label=_("新的认领截止时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class LinkTargetForm(StyledForm):
    """The input of a need's “关联标的” step (shown on the need's page)."""

    target: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("标的"), queryset=Target.objects.none(), empty_label=_("请选择")
    )
    note = forms.CharField(
        label=_("给提交人的说明"),
        max_length=500,
        required=False,
        help_text=_("可不填，默认告知“已纳入标的”。"),
    )

    def __init__(self, *args: Any, targets: QuerySet[Target], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets  # type: ignore[attr-defined]


class PublicTargetFilterForm(StyledForm):
    """A resident's filters of the public target list: a programme, then one of its sections, and the stage.

    The programme choices are the newest `PROGRAMME_CHOICES` of the site's programmes (a town has one or two
    a year; the drop-down stays short on a district's site too), plus the one chosen. The sections are those
    of the chosen programme, offered once it is chosen; a section left over from another programme is let go
    (the resident changed the programme), not reported as an error.
    """

    PROGRAMME_CHOICES = 30

    programme = forms.TypedChoiceField(
        label=_("品牌项目"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("没有这个品牌项目，请重新选择。")},
    )
    section = forms.TypedChoiceField(label=_("板块"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部状态")), *((v, n) for v, n in TargetStatus.choices if v in TargetStatus.group("public"))],
        error_messages={"invalid_choice": _("请从列表中选择状态。")},
    )

    def __init__(self, *args: Any, programmes: list[PublicProgramme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = next((p for p in programmes if str(p.pk) == self.data.get("programme")), None)
        shown = programmes[: self.PROGRAMME_CHOICES]
        if chosen is not None and chosen not in shown:
            shown.append(chosen)
        # Name the committee when the site shows several committees' programmes (a district's site).
        several = len({p.organization for p in programmes}) > 1
        programme = cast(forms.ChoiceField, self.fields["programme"])
        programme.choices = [
            ("", _("全部品牌项目")),
            *((p.pk, f"{p} · {p.organization}" if several else str(p)) for p in shown),
        ]
        sections = list(public_sections(chosen.pk)) if chosen is not None else []
        if sections:
            section = cast(forms.ChoiceField, self.fields["section"])
            section.choices = [("", _("全部板块")), *((s.pk, s.title) for s in sections)]
        else:
            del self.fields["section"]
        if self.data.get("section") not in {"", None, *(str(s.pk) for s in sections)}:
            self.data = {name: value for name, value in self.data.items() if name != "section"}

    @property
    def filtered(self) -> bool:
        """Whether the resident chose any filter (the page then offers to clear them)."""
        return any(self.data.get(name) for name in ("programme", "section", "status"))
