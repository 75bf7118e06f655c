from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projectize.core.fields import MultipleFileField
from projectize.core.files import IMAGE_KINDS
from projectize.core.forms import StyledForm, YearFilterField
from projectize.orgs.forms import SubtreeFilterField
from projectize.orgs.models import Organization, Role, User
from projectize.orgs.permissions import OVERSEER_ROLES, scope_q
from projectize.projects import selectors as project_selectors
from projectize.projects.models import Project, ProjectStatus
from projectize.supervision.models import (
    AccountabilityMeasure,
    ActivityKind,
    FollowUpKind,
    ProjectWarningLevel,
    RuleKind,
)
from projectize.supervision.selectors import READER_ROLES, accountable_people

# Projects that can be supervised: established and not yet over.
SUPERVISED = (
    ProjectStatus.APPROVED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.ACCEPTANCE,
    ProjectStatus.RECTIFYING,
    ProjectStatus.FAILED,
)


def date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


def supervised_projects(user: User) -> QuerySet[Project]:
    return (
        project_selectors.projects_where_user_holds(user, (Role.TOWN_ADMIN, Role.LEADER))
        .filter(status__in=SUPERVISED)
        .select_related("organization")
        .order_by("-year", "code")
    )


class ActivityForm(StyledForm):
    kind = forms.ChoiceField(label=_("形式"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("主题"), max_length=200, help_text=_("例如：2026 年二季度项目推进集中汇报会。"))
    date = date_field(_("日期"), initial=timezone.localdate)
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    participants = forms.ModelMultipleChoiceField(
        label=_("参加人员"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("按住 Ctrl 可多选：镇党委领导、组织办工作人员等。"),
    )
    other_participants = forms.CharField(label=_("其他参加人员"), max_length=300, required=False)
    summary = forms.CharField(label=_("总体情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    photos = MultipleFileField(label=_("现场照片"), kinds=IMAGE_KINDS, help_text=_("JPEG 或 PNG，可多选。"))

    def __init__(self, *args: Any, committee: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                is_active=True,
                grants__organization=committee,
                grants__role__in=(Role.TOWN_ADMIN, Role.LEADER, *OVERSEER_ROLES),
            )
            .distinct()
            .order_by("last_name", "first_name")
        )


class FindingForm(StyledForm):
    project = forms.ModelChoiceField(label=_("项目"), queryset=project_selectors.all_projects().none())
    text = forms.CharField(label=_("发现的情况和问题"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = supervised_projects(user)  # type: ignore[attr-defined]


class AnalysisForm(StyledForm):
    date = date_field(_("剖析日期"), initial=timezone.localdate)
    problems = forms.CharField(label=_("存在问题"), widget=forms.Textarea(attrs={"rows": 4}))
    causes = forms.CharField(label=_("原因分析"), widget=forms.Textarea(attrs={"rows": 4}))
    recommendations = forms.CharField(label=_("改进建议"), widget=forms.Textarea(attrs={"rows": 4}))


class GuidanceForm(StyledForm):
    date = date_field(_("日期"), initial=timezone.localdate)
    content = forms.CharField(label=_("指导意见"), widget=forms.Textarea(attrs={"rows": 5}))


class LetterForm(StyledForm):
    project = forms.ModelChoiceField(label=_("项目"), queryset=project_selectors.all_projects().none())
    number_prefix = forms.CharField(
        label=_("文号前缀"), max_length=20, help_text=_("例如“新桥督函”，发出时按年度顺序编号。")
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("督查中发现的总体情况；发出前在下一步逐条列出问题、整改要求和期限。"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = supervised_projects(user)  # type: ignore[attr-defined]


class LetterItemForm(StyledForm):
    problem = forms.CharField(label=_("存在问题"), widget=forms.Textarea(attrs={"rows": 2}))
    requirement = forms.CharField(label=_("整改要求"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = date_field(_("整改期限"))


class AnswerForm(StyledForm):
    action_taken = forms.CharField(
        label=_("整改措施及成效"), widget=forms.Textarea(attrs={"rows": 5}), help_text=_("做了什么、结果如何。")
    )
    evidence = MultipleFileField(
        label=_("佐证材料"), help_text=_("照片、台账、会议记录等（PDF、Word、Excel、JPEG、PNG）。")
    )


class RuleForm(StyledForm):
    kind = forms.ChoiceField(label=_("情形"), choices=RuleKind.choices)
    level = forms.ChoiceField(label=_("预警等级"), choices=ProjectWarningLevel.choices)
    days = forms.IntegerField(
        label=_("超过天数"), min_value=0, max_value=365, help_text=_("逾期（或验收不合格后）达到这么多天即发出预警。")
    )
    is_active = forms.BooleanField(label=_("是否启用"), required=False, initial=True)


class RecordForm(StyledForm):
    organization = forms.ModelChoiceField(label=_("被问责组织"), queryset=Organization.objects.none())
    project = forms.ModelChoiceField(
        label=_("相关项目"), queryset=project_selectors.all_projects().none(), required=False
    )
    person = forms.ModelChoiceField(
        label=_("被问责人"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("只列出在被问责组织（或相关项目所在组织）中担任职务的人员；请先选择组织或项目。"),
        error_messages={"invalid_choice": _("被问责人须在被问责组织（或相关项目所在组织）中担任职务。")},
    )
    date = date_field(_("问责日期"), initial=timezone.localdate)
    measure = forms.ChoiceField(label=_("问责方式"), choices=AccountabilityMeasure.choices)
    reason = forms.CharField(label=_("问责事由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = Organization.objects.filter(scope_q(user, (Role.TOWN_ADMIN,), field="")).order_by("path")
        self.fields["organization"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["project"].queryset = supervised_projects(user)  # type: ignore[attr-defined]
        # Choosing an organization or a project reloads the person list in place (views.record_people).
        people_url = reverse("supervision:record_people")
        for name in ("organization", "project"):
            self.fields[name].widget.attrs.update(
                {"hx-get": people_url, "hx-trigger": "change", "hx-target": "#id_person", "hx-include": "closest form"}
            )
        self.fields["person"].queryset = self.chosen_people()  # type: ignore[attr-defined]

    def chosen_people(self) -> Any:
        """The people of the organization and project given in the data (valid choices only)."""
        chosen = {}
        for name in ("organization", "project"):
            try:
                chosen[name] = self.fields[name].clean(self.data.get(name) or self.initial.get(name))
            except forms.ValidationError:
                chosen[name] = None
        return accountable_people(chosen["organization"], chosen["project"])


class FollowUpForm(StyledForm):
    """催办 or 督办 of one overdue item, posted from the 督办 list."""

    item = forms.RegexField(regex=r"^(report|milestone):\d+$", max_length=32)
    kind = forms.ChoiceField(label=_("督办方式"), choices=FollowUpKind.choices)
    note = forms.CharField(label=_("督办情况"), max_length=500, required=False)


class WarningFilterForm(StyledForm):
    """The warning list's filters besides the level tabs."""

    year = YearFilterField()
    # Carries the level tab chosen above the form through a new filter.
    level = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"] = SubtreeFilterField(
            user=user, roles=READER_ROLES, chosen=self.data.get("organization")
        )
