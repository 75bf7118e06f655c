from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.forms import formset_factory
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from projectize.core.fields import MultipleFileField
from projectize.core.files import IMAGE_KINDS
from projectize.core.forms import RowsFormSet, StyledForm, StyledModelForm
from projectize.core.plausible import date_outside_years, not_negative
from projectize.orgs.models import Organization, Role, User
from projectize.orgs.permissions import OVERSEER_ROLES
from projectize.projects.models import (
    TYPE_GOALS,
    AcceptanceConclusion,
    Call,
    DiscussionOutcome,
    Indicator,
    MilestoneStatus,
    Project,
    ProjectStatus,
    ProjectType,
    Satisfaction,
)
from projectize.projects.steps import call_dates_problem, lineage_paths


def field(form: forms.BaseForm, name: str) -> Any:
    """A form field as Any, for setting choice-specific attributes (queryset, choices) at run time."""
    return form.fields[name]


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CALL_TYPES = [ProjectType.INNOVATION, ProjectType.DEMONSTRATION, ProjectType.INSTITUTIONAL]


class CallForm(StyledModelForm):
    class Meta:
        model = Call
        fields = [
            "year",
            "title",
            "application_start",
            "application_end",
            "review_start",
            "review_end",
            "implementation_start",
            "implementation_end",
            "evaluation_start",
            "evaluation_end",
            "report_interval_days",
        ]
        widgets = {name: DATE for name in fields if name.endswith(("_start", "_end"))}
        help_texts = {
            "application_start": _("四个阶段依次排列：申报 → 评审 → 实施 → 考评，各阶段只能办理本阶段的事项。"),
            "report_interval_days": _("项目启动后每隔多少天提交一次进展报告，单个项目可另行设置。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.Meta.widgets:
            self.fields[name].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and (problem := call_dates_problem(Call(**cleaned))):
            raise forms.ValidationError(problem)
        return cleaned


class TypeSelect(forms.RadioSelect):
    """Each type with its goal beneath it, so the applicant chooses knowing what each is for."""

    option_template_name = "projects/_type_option.html"
    goals: dict[str, Any] = {}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["goal"] = self.goals.get(str(option["value"]), "")
        option["attrs"]["class"] = "form-check-input"
        return option


def project_date_problem(value: Any, year: int) -> str | None:
    """A project of `year` runs from the year before (preparation) to five years after."""
    return date_outside_years(value, year - 1, year + 5)


class ApplicationForm(StyledModelForm):
    """The application itself. A draft needs only a type and a title; submitting needs every field."""

    attachments = MultipleFileField(
        label=_("附件"), help_text=_("可多选。接受 PDF、Word、Excel、JPEG、PNG，单个文件不超过 10 MB。")
    )

    class Meta:
        model = Project
        fields = [
            "type",
            "title",
            "background",
            "start_date",
            "end_date",
            "approach",
            "measures",
            "expected_effects",
            "building_type",
            "budget_requested",
            "seeded_from",
        ]
        widgets = {
            "type": TypeSelect,
            "start_date": DATE,
            "end_date": DATE,
            "background": forms.Textarea(attrs={"rows": 4}),
            "approach": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
            "expected_effects": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _("简洁明了，体现项目特色，例如“楼组自治微议事”。"),
            "background": _("现状如何，要解决什么问题。"),
            "approach": _("分几步、用什么办法推进。"),
            "measures": _("谁牵头、谁负责、如何保障。"),
            "expected_effects": _("做成后居民能感受到什么变化。"),
            "building_type": _("本项目主要服务于哪类组织建设。"),
            "budget_requested": _("单位：元，可精确到分。"),
            "seeded_from": _("若本项目由往年创新探索型项目的成果转化而来，请选择原项目。"),
        }

    def __init__(
        self, *args: Any, complete: bool = False, year: int | None = None, call: Call | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The project's year: its dates must fall near it.
        self.year = year or self.instance.year
        field(self, "type").choices = [(t.value, t.label) for t in CALL_TYPES]
        field(self, "type").widget.goals = {t.value: TYPE_GOALS[t] for t in CALL_TYPES}
        # A project grows from a concluded one of the committee running the call, not of another town.
        call = call or (self.instance.call if self.instance.call_id else None)
        seeds = Project.objects.filter(type=ProjectType.INNOVATION, status=ProjectStatus.CONCLUDED)
        seeds = seeds.filter(organization__path__startswith=call.organization.path) if call else seeds.none()
        field(self, "seeded_from").queryset = seeds.order_by("-year", "code")
        self.fields["seeded_from"].required = False
        for name in self.Meta.fields:
            if name not in ("type", "title", "seeded_from"):
                self.fields[name].required = complete

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        for name in ("start_date", "end_date"):
            if self.year and cleaned.get(name) and (problem := project_date_problem(cleaned[name], self.year)):
                self.add_error(name, problem)
        if start and end and end < start:
            self.add_error("end_date", _("结束日期不能早于开始日期。"))
        budget = cleaned.get("budget_requested")
        if budget is not None and budget < 0:
            self.add_error("budget_requested", _("申请经费不能为负数。"))
        seed = cleaned.get("seeded_from")
        if seed and cleaned.get("type") not in (ProjectType.DEMONSTRATION, ProjectType.INSTITUTIONAL):
            self.add_error("seeded_from", _("创新成果只能转化为典型示范型或制度推广型项目。"))
        return cleaned


class IndicatorForm(StyledForm):
    name = forms.CharField(label=_("指标名称"), max_length=100)
    unit = forms.CharField(label=_("单位"), max_length=20)
    # Blank means 0; no initial value, so an untouched extra row stays empty and is ignored.
    baseline = forms.DecimalField(
        label=_("基线值"), max_digits=12, decimal_places=2, required=False, validators=[not_negative]
    )
    target = forms.DecimalField(label=_("目标值"), max_digits=12, decimal_places=2, validators=[not_negative])

    def clean_baseline(self) -> Decimal:
        return self.cleaned_data["baseline"] or Decimal(0)


class MilestoneForm(StyledForm):
    title = forms.CharField(label=_("步骤"), max_length=200)
    due_date = forms.DateField(label=_("完成时限"), widget=DATE)


class TeamMemberForm(StyledForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.CharField(label=_("分工"), max_length=100)


def rows_formset(form: type[forms.Form], too_few: Any) -> Any:
    """A table of `form` rows (two blank ones to fill, each deletable; rows left blank are ignored, see
    `filled_rows`); `too_few` says what is missing."""
    rows = type(f"{form.__name__}Rows", (RowsFormSet,), {"default_error_messages": {"too_few_forms": too_few}})
    return formset_factory(form, formset=rows, extra=2, can_delete=True)


def filled_rows(formset: Any, names: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows of a valid formset that were filled in and not marked for deletion, as dicts of `names`."""
    return [
        {name: form.cleaned_data[name] for name in names}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


IndicatorFormSet = rows_formset(IndicatorForm, _("请至少填写一项量化指标。"))
MilestoneFormSet = rows_formset(MilestoneForm, _("请至少填写一个实施步骤（里程碑）。"))
TeamFormSet = rows_formset(TeamMemberForm, _("请至少添加一名注明分工的团队成员。"))


def leaders(organization: Organization) -> Any:
    """The committee leaders over the organization (granted at it or above it): another town's are not its."""
    paths = lineage_paths(organization)
    return (
        User.objects.filter(is_active=True, grants__role=Role.LEADER, grants__organization__path__in=paths)
        .distinct()
        .order_by("last_name")
    )


class FiveFixedForm(StyledForm):
    lead_leader = forms.ModelChoiceField(
        label=_("牵头领导"), queryset=User.objects.none(), required=False, help_text=_("一位镇党委领导。")
    )
    responsible = forms.ModelChoiceField(
        label=_("责任人"), queryset=User.objects.none(), required=False, help_text=_("对项目推进负直接责任的人。")
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field(self, "lead_leader").queryset = leaders(organization)
        field(self, "responsible").queryset = people_of(organization)


def people_of(organization: Organization) -> Any:
    """People with a role in the organization (or above it): candidates for responsible person."""
    paths = lineage_paths(organization)
    return User.objects.filter(is_active=True, grants__organization__path__in=paths).distinct().order_by("last_name")


class ReportScheduleForm(StyledForm):
    interval_days = forms.IntegerField(
        label=_("报告周期（天）"), min_value=7, max_value=366, help_text=_("未提交的报告将按新周期重新排期。")
    )


class ActualsForm(StyledForm):
    """A form with a figure for each of a project's indicators: fields `actual_<indicator pk>`."""

    indicator_fields: list[tuple[int, str]]

    def add_actuals(
        self, indicators: Iterable[Indicator], label: str | Promise, *, required: bool, initial: bool
    ) -> None:
        """One field per indicator, labelled `label` % name and unit, with the target as help; `initial`
        fills in the indicator's current actual."""
        self.indicator_fields = []
        for indicator in indicators:
            name = f"actual_{indicator.pk}"
            self.fields[name] = forms.DecimalField(
                label=label % {"name": indicator.name, "unit": indicator.unit},
                max_digits=12,
                decimal_places=2,
                required=required,
                validators=[not_negative],
                initial=indicator.actual if initial else None,
                help_text=_("目标 %(target)s") % {"target": indicator.target},
            )
            self.indicator_fields.append((indicator.pk, name))

    def actuals(self) -> dict[int, Decimal]:
        """The figures filled in, by indicator."""
        return {
            pk: self.cleaned_data[name] for pk, name in self.indicator_fields if self.cleaned_data.get(name) is not None
        }


class ProgressReportForm(ActualsForm):
    content = forms.CharField(
        label=_("进展情况"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("本期做了什么，取得什么效果，遇到什么问题。"),
    )
    evidence = MultipleFileField(label=_("照片和佐证材料"), help_text=_("照片（JPEG/PNG）或文件（PDF/Word/Excel）。"))

    def __init__(self, *args: Any, indicators: Iterable[Indicator] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_actuals(indicators, _("%(name)s实际值（%(unit)s）"), required=False, initial=False)
        # The evidence comes after the figures.
        self.fields["evidence"] = self.fields.pop("evidence")


class MilestoneAssessForm(StyledForm):
    status = forms.ChoiceField(label=_("完成情况"), choices=MilestoneStatus.choices)


class ChangeRequestForm(StyledForm):
    """Every adjustable part of a running project, filled with its current value: the applicant changes
    what is to change (the plan and the team are the tables `change_tables` gives)."""

    new_start_date = forms.DateField(label=_("开始日期"), required=False, widget=DATE)
    new_end_date = forms.DateField(label=_("结束日期"), required=False, widget=DATE)
    new_budget = forms.DecimalField(
        label=_("经费预算（元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    new_responsible = forms.ModelChoiceField(label=_("责任人"), queryset=User.objects.none(), required=False)
    reason = forms.CharField(
        label=_("调整理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("为什么要调整，调整后如何保证完成。"),
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "new_start_date": project.start_date,
                "new_end_date": project.end_date,
                "new_budget": project.budget_requested,
                "new_responsible": project.responsible_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.project = project
        field(self, "new_responsible").queryset = people_of(project.organization)
        self.target_fields = []
        for indicator in project.indicators.filter(is_custom=False):
            name = f"target_{indicator.pk}"
            self.fields[name] = forms.DecimalField(
                label=_("%(name)s目标值（%(unit)s）") % {"name": indicator.name, "unit": indicator.unit},
                max_digits=12,
                decimal_places=2,
                initial=indicator.target,
                validators=[not_negative],
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
            )
            self.target_fields.append((indicator.pk, name))
        # The reason comes last, after everything it explains.
        self.fields["reason"] = self.fields.pop("reason")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("new_start_date"), cleaned.get("new_end_date")
        for name in ("new_start_date", "new_end_date"):
            if cleaned.get(name) and (problem := project_date_problem(cleaned[name], self.project.year)):
                self.add_error(name, problem)
        if start and end and end < start:
            self.add_error("new_end_date", _("结束日期不能早于开始日期。"))
        return cleaned

    def targets(self) -> dict[int, Decimal]:
        return {pk: self.cleaned_data[name] for pk, name in self.target_fields}


def change_tables(data: Any, project: Project) -> tuple[Any, Any]:
    """The plan and team tables of a change request, filled with the project's current rows."""
    plan = MilestoneFormSet(data, prefix="ms", initial=list(project.milestones.values("title", "due_date")))
    team = TeamFormSet(data, prefix="team", initial=list(project.team.values("name", "role")))
    plan.min_num, plan.validate_min = 1, True
    return plan, team


class DiscussionForm(StyledForm):
    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    title = forms.CharField(label=_("会议名称"), max_length=200, help_text=_("例如“党委会第 3 次研究讨论”。"))
    attendees = forms.ModelMultipleChoiceField(
        label=_("参会人员"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, call: Call, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The running committee's leaders and staff: a town's (granted at it or above it), or a district's own
        # leaders and staff for the district's call.
        town = Q(
            grants__role__in=(Role.LEADER, Role.TOWN_ADMIN),
            grants__organization__path__in=lineage_paths(call.organization),
        )
        district = Q(grants__role__in=OVERSEER_ROLES, grants__organization=call.organization)
        field(self, "attendees").queryset = User.objects.filter(town | district).distinct().order_by("username")
        self.projects = list(projects)
        choices = [("", _("本次未讨论")), *DiscussionOutcome.choices]
        for project in self.projects:
            self.fields[f"outcome_{project.pk}"] = forms.ChoiceField(
                label=str(project), choices=choices, required=False
            )
            self.fields[f"note_{project.pk}"] = forms.CharField(label=_("说明"), max_length=500, required=False)

    def outcomes(self) -> list[tuple[Project, str, str]]:
        return [
            (p, self.cleaned_data[f"outcome_{p.pk}"], self.cleaned_data.get(f"note_{p.pk}", ""))
            for p in self.projects
            if self.cleaned_data.get(f"outcome_{p.pk}")
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.projects and not any(cleaned.get(f"outcome_{p.pk}") for p in self.projects):
            raise forms.ValidationError(_("请至少为一个申报项目填写讨论结果。"))
        return cleaned


class AcceptanceScheduleForm(StyledForm):
    scheduled_on = forms.DateField(label=_("验收日期"), widget=DATE)
    panel = forms.ModelMultipleChoiceField(
        label=_("验收组成员"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    checklist = forms.CharField(
        label=_("检查清单（三查）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一项，验收时逐项记录是否通过。"),
    )

    def __init__(self, *args: Any, organization: Organization | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Leaders, experts and staff over the project's organization; until the page names it, nobody.
        paths = lineage_paths(organization) if organization is not None else []
        field(self, "panel").queryset = (
            User.objects.filter(
                is_active=True,
                grants__role__in=(Role.LEADER, Role.REVIEWER, Role.TOWN_ADMIN),
                grants__organization__path__in=paths,
            )
            .distinct()
            .order_by("username")
        )

    def checklist_items(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["checklist"].splitlines() if line.strip()]


def score_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=6, decimal_places=2, min_value=0, required=False)


class AcceptanceRecordForm(StyledForm):
    listen_notes = forms.CharField(label=_("一听：汇报要点"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    listen_score = score_field(_("一听：得分"))
    look_notes = forms.CharField(label=_("二看：现场与资料"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    look_photos = MultipleFileField(label=_("二看：现场照片"), kinds=IMAGE_KINDS, help_text=_("JPEG 或 PNG，可多选。"))
    look_score = score_field(_("二看：得分"))
    check_score = score_field(_("三查：得分"))
    ask_notes = forms.CharField(label=_("四问：访谈记录"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    interview_satisfied = forms.IntegerField(label=_("访谈：满意"), min_value=0, initial=0)
    interview_fairly = forms.IntegerField(label=_("访谈：比较满意"), min_value=0, initial=0)
    interview_basic = forms.IntegerField(label=_("访谈：基本满意"), min_value=0, initial=0)
    interview_unsatisfied = forms.IntegerField(label=_("访谈：不满意"), min_value=0, initial=0)
    ask_score = score_field(_("四问：得分"))

    RECORD_FIELDS = (
        "listen_notes",
        "listen_score",
        "look_notes",
        "look_score",
        "check_score",
        "ask_notes",
        "interview_satisfied",
        "interview_fairly",
        "interview_basic",
        "interview_unsatisfied",
        "ask_score",
    )

    def __init__(self, *args: Any, maxima: dict[str, Decimal], check_items: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.maxima = maxima
        for name, maximum in maxima.items():
            self.fields[name].validators.append(_max_validator(maximum))
            self.fields[name].help_text = _("满分 %(max)s 分") % {"max": maximum}
            self.fields[name].widget.attrs["max"] = str(maximum)
        self.check_items = list(check_items)
        for item in self.check_items:
            self.fields[f"check_{item.pk}"] = forms.BooleanField(label=_("通过"), required=False, initial=item.passed)
            self.fields[f"check_note_{item.pk}"] = forms.CharField(
                label=_("说明"), required=False, max_length=500, initial=item.notes
            )

    def record_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.RECORD_FIELDS}

    def checks(self) -> dict[int, tuple[bool, str]]:
        return {
            item.pk: (self.cleaned_data[f"check_{item.pk}"], self.cleaned_data[f"check_note_{item.pk}"])
            for item in self.check_items
        }


def _max_validator(maximum: Decimal) -> MaxValueValidator:
    return MaxValueValidator(maximum, message=_("得分不能超过满分 %(limit_value)s 分。"))


class AcceptanceConcludeForm(StyledForm):
    conclusion = forms.ChoiceField(label=_("验收结论"), choices=AcceptanceConclusion.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("结论说明"), widget=forms.Textarea(attrs={"rows": 3}))


class SurveyForm(StyledForm):
    mobile = forms.RegexField(
        label=_("手机号码"),
        regex=r"^1\d{10}$",
        max_length=11,
        error_messages={"invalid": _("请输入 11 位手机号码，例如 13812345678。")},
        help_text=_("仅用于确认每人填写一次，不会公开，也不会保存号码本身。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )
    satisfaction = forms.ChoiceField(
        label=_("您对这个项目满意吗？"), widget=forms.RadioSelect(attrs={"class": "form-check-input"}), choices=()
    )
    comment = forms.CharField(
        label=_("意见建议（可不填）"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field(self, "satisfaction").choices = Satisfaction.choices


class ConcludeForm(ActualsForm):
    summary = forms.CharField(
        label=_("结题总结"), widget=forms.Textarea(attrs={"rows": 5}), help_text=_("做了什么、效果如何、有哪些经验。")
    )
    rules_established = forms.IntegerField(label=_("规章制度（项）"), min_value=0, initial=0)
    problems_solved = forms.IntegerField(label=_("破解难题（个）"), min_value=0, initial=0)
    service_brands = forms.IntegerField(label=_("服务品牌（个）"), min_value=0, initial=0)
    beneficiaries = forms.IntegerField(label=_("惠及人次"), min_value=0, initial=0)

    COUNTERS = ("rules_established", "problems_solved", "service_brands", "beneficiaries")

    def __init__(self, *args: Any, indicators: Iterable[Indicator] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every final figure is asked for.
        self.add_actuals(indicators, _("%(name)s最终实际值（%(unit)s）"), required=True, initial=True)

    def counters(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in self.COUNTERS}


class CustomIndicatorForm(StyledForm):
    name = forms.CharField(label=_("指标名称"), max_length=100)
    unit = forms.CharField(label=_("单位"), max_length=20)
    target = forms.DecimalField(label=_("目标值"), max_digits=12, decimal_places=2, validators=[not_negative])
    actual = forms.DecimalField(label=_("实际值"), max_digits=12, decimal_places=2, validators=[not_negative])


CustomIndicatorFormSet = rows_formset(CustomIndicatorForm, _("请至少填写一项结题自定义指标。"))


class PromotionForm(StyledForm):
    summary = forms.CharField(
        label=_("经验总结"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("可推广的做法、适用条件和注意事项，将进入案例库。"),
    )


class AdoptionForm(StyledForm):
    organization = forms.ModelChoiceField(label=_("采纳组织"), queryset=Organization.objects.none())
    adopted_on = forms.DateField(label=_("采纳日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args: Any, root: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field(self, "organization").queryset = Organization.objects.filter(
            path__startswith=root.path, is_active=True
        ).order_by("path")
