from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projectize.core.forms import RowsFormSet, StyledForm, StyledModelForm
from projectize.orgs.models import Organization, User
from projectize.reviews.models import Band, Criterion, GradeBand, Rubric, plain_number
from projectize.reviews.services import BandPick, CriterionSpec, GradeSpec, RubricSpec, format_bands, parse_bands


class RubricForm(StyledModelForm):
    class Meta:
        model = Rubric
        fields = [
            "organization",
            "name",
            "purpose",
            "free_acceptance_criteria",
            "total",
            "whole_numbers",
            "aggregation",
            "top_grade_quota",
            "coefficient_step",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "name": _("例如“2026 年三型项目申报评审标准”。"),
            "purpose": _("其他模块按用途查找评分标准，例如项目申报评审使用“项目申报评审”。"),
            "aggregation": _("去掉最高分和最低分需至少 3 份评分：可按总分去掉，也可每个评分项各自去掉后再求和。"),
            # The rule itself lives in `selectors.top_grade_places`.
            "top_grade_quota": _(
                "例如 50 表示同一年用本标准评审的对象中，最多 50% 可获最高等级，其余降为下一等级并注明“受比例限制”。"
                "名额 = 对象数 × 比例，向下取整：3 个对象、50% 时 1 个名额；只有 1 个对象时没有名额。留空表示不限。"
            ),
        }

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations
        field.empty_label = None
        if self.instance.pk:
            # A rubric stays with the committee that made it.
            field.disabled = True
            self.initial["total"] = plain_number(self.instance.total)
            self.initial["coefficient_step"] = plain_number(self.instance.coefficient_step)


class CriterionForm(StyledForm):
    name = forms.CharField(label=_("评分项"), max_length=100)
    weight = forms.DecimalField(label=_("分值"), min_value=Decimal("0.01"), max_digits=7, decimal_places=2)
    description = forms.CharField(
        label=_("评分说明"), required=False, widget=forms.Textarea(attrs={"rows": 1}), max_length=2000
    )
    bands = forms.CharField(
        label=_("系数档次（可选）"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("例：好=1-0.85，较好=0.84-0.7")}),
        help_text=_(
            "按档次打分时填写每档系数的上限和下限，例如“好=1-0.85，较好=0.84-0.7，一般=0.69-0.5，差=0.3-0”；"
            "评审专家选档后在档内填系数，得分 = 系数 × 分值。留空则直接打分。"
        ),
    )

    def clean_bands(self) -> tuple[Band, ...]:
        return parse_bands(self.cleaned_data["bands"])

    @staticmethod
    def initial_for(criterion: Criterion) -> dict[str, Any]:
        return {
            "name": criterion.name,
            "weight": plain_number(criterion.weight),
            "description": criterion.description,
            "bands": format_bands(criterion.band_choices),
        }


class GradeForm(StyledForm):
    name = forms.CharField(label=_("等级"), max_length=20)
    minimum = forms.DecimalField(
        label=_("最低分"),
        min_value=Decimal(0),
        max_digits=7,
        decimal_places=2,
        help_text=_("总分达到此分数即为该等级；最低的等级包含其下所有分数。"),
    )

    @staticmethod
    def initial_for(grade: GradeBand) -> dict[str, Any]:
        return {"name": grade.name, "minimum": plain_number(grade.minimum)}


class RowFormSet(RowsFormSet):
    """Rows without a name (left blank) or marked for deletion are skipped; the service says when a table
    lacks a row it needs."""

    def filled(self) -> list[tuple[int, forms.Form]]:
        """The rows to save, each with its index among the formset's forms."""
        return [
            (index, form)
            for index, form in enumerate(self.forms)
            if form.cleaned_data.get("name") and not form.cleaned_data.get("DELETE")
        ]


# A new rubric starts with the usual four grades, which staff may change or delete.
STANDARD_GRADES = [
    {"name": _("优秀"), "minimum": Decimal(90)},
    {"name": _("良好"), "minimum": Decimal(80)},
    {"name": _("合格"), "minimum": Decimal(60)},
    {"name": _("不合格"), "minimum": Decimal(0)},
]


class RubricEditor:
    """The rubric form and its two row formsets, read into one `RubricSpec` for the service.

    The service checks the rubric as a whole; `show_errors` puts each of its errors beside the
    field or row at fault ("total", "criteria.2.weight", "grades.1.minimum", ...).
    """

    def __init__(self, data: Any = None, *, organizations: QuerySet[Organization], rubric: Rubric | None = None):
        self.rubric = rubric
        if rubric is None:
            criteria_initial, grades_initial = [], [{**grade, "name": str(grade["name"])} for grade in STANDARD_GRADES]
        else:
            criteria_initial = [CriterionForm.initial_for(c) for c in rubric.criteria.all()]
            grades_initial = [GradeForm.initial_for(g) for g in rubric.grades.all()]
        criteria_formset = formset_factory(
            CriterionForm, formset=RowFormSet, extra=1 if criteria_initial else 5, can_delete=True
        )
        grades_formset = formset_factory(GradeForm, formset=RowFormSet, extra=1, can_delete=True)
        self.form = RubricForm(data, instance=rubric, organizations=organizations)
        self.criteria = cast(RowFormSet, criteria_formset(data, prefix="criteria", initial=criteria_initial))
        self.grades = cast(RowFormSet, grades_formset(data, prefix="grades", initial=grades_initial))
        # Errors of a whole list ("at least one criterion"), shown above its rows.
        self.list_errors: dict[str, list[str]] = {}
        self._criteria_rows: list[int] = []
        self._grade_rows: list[int] = []

    def is_valid(self) -> bool:
        # Evaluate all three so that every error shows at once.
        return all([self.form.is_valid(), self.criteria.is_valid(), self.grades.is_valid()])

    def spec(self) -> RubricSpec:
        data = self.form.cleaned_data
        criteria = self.criteria.filled()
        grades = self.grades.filled()
        self._criteria_rows = [index for index, _form in criteria]
        self._grade_rows = [index for index, _form in grades]
        return RubricSpec(
            name=data["name"],
            purpose=data["purpose"],
            total=data["total"],
            aggregation=data["aggregation"],
            top_grade_quota=data["top_grade_quota"],
            description=data["description"],
            whole_numbers=data["whole_numbers"],
            coefficient_step=data["coefficient_step"],
            free_acceptance_criteria=data["free_acceptance_criteria"],
            criteria=[
                CriterionSpec(
                    name=f.cleaned_data["name"],
                    weight=f.cleaned_data["weight"],
                    description=f.cleaned_data["description"],
                    bands=f.cleaned_data["bands"],
                )
                for _index, f in criteria
            ],
            grades=[GradeSpec(name=f.cleaned_data["name"], minimum=f.cleaned_data["minimum"]) for _index, f in grades],
        )

    @property
    def organization(self) -> Organization:
        return self.rubric.organization if self.rubric else self.form.cleaned_data["organization"]

    def show_errors(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            section, _dot, rest = key.partition(".")
            if section in ("criteria", "grades") and rest:
                position, _dot, field = rest.partition(".")
                formset = self.criteria if section == "criteria" else self.grades
                rows = self._criteria_rows if section == "criteria" else self._grade_rows
                formset.forms[rows[int(position)]].add_error(field, messages)
            elif section in ("criteria", "grades"):
                self.list_errors[section] = messages
            elif key in self.form.fields:
                self.form.add_error(key, messages)
            else:
                self.form.add_error(None, messages)


class CopyForm(StyledForm):
    name = forms.CharField(
        label=_("副本名称"), max_length=100, help_text=_("留空则在原名称后加“（副本）”。"), required=False
    )


class ReviewerField(forms.ModelMultipleChoiceField):
    """Check boxes labelled with each person's role and organization ("李专家（评审专家 · 新桥镇党委）"),
    from `selectors.reviewer_candidates` (which prefetches `picker_grants`)."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        grants = getattr(obj, "picker_grants", [])
        roles = _("；").join(f"{g.get_role_display()} · {g.organization}" for g in grants)
        return _("%(name)s（%(roles)s）") % {"name": obj, "roles": roles} if roles else str(obj)


class ReviewOpenForm(StyledForm):
    """For staff pages of other apps that start a review of one of their objects."""

    rubric = forms.ModelChoiceField(label=_("评分标准"), queryset=Rubric.objects.none())
    reviewers = ReviewerField(
        label=_("评审专家"),
        queryset=User.objects.none(),
        help_text=_("评审专家在前，党委领导在后。每位专家须先承诺无利益冲突才能查看材料并评分。"),
    )
    deadline = forms.DateField(label=_("评审截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, rubrics: QuerySet[Rubric], reviewers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = rubrics  # type: ignore[attr-defined]
        self.fields["reviewers"].queryset = reviewers  # type: ignore[attr-defined]

    def clean_deadline(self) -> date | None:
        deadline: date | None = self.cleaned_data["deadline"]
        if deadline is not None and deadline < timezone.localdate():
            raise ValidationError(_("截止日期不能早于今天。"))
        return deadline


class AddReviewersForm(StyledForm):
    reviewers = ReviewerField(label=_("增加评审专家"), queryset=User.objects.none())

    def __init__(self, *args: Any, reviewers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewers  # type: ignore[attr-defined]


class DeclareForm(StyledForm):
    no_conflict = forms.BooleanField(
        label=_("本人承诺与该评审对象无利益冲突，将独立、公正地评审，并对评审材料保密。"),
        error_messages={"required": _("请勾选承诺后再继续；如有利益冲突，请选择谢绝评审。")},
    )


class DeclineForm(StyledForm):
    reason = forms.CharField(
        label=_("谢绝理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        help_text=_("例如：与申报组织存在亲属或工作关系。"),
    )


class BandSelect(forms.RadioSelect):
    """Radio buttons for coefficient bands; each carries its range for the coefficient field."""

    def __init__(self, bands: list[Band], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bands = {band.name: band for band in bands}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if band := self.bands.get(str(option["value"])):
            option["attrs"].update({"data-high": plain_number(band.high), "data-low": plain_number(band.low)})
        return option


class ScoreForm(StyledForm):
    """One field per criterion (`score_<id>`): a number up to the weight, or a band to pick followed by
    a coefficient within it (`coefficient_<id>`). The service checks every value against the rubric."""

    comment = forms.CharField(
        label=_("评审意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("评分提交后不能修改，请核对后再提交。"),
    )

    def __init__(self, *args: Any, criteria: list[Criterion], rubric: Rubric, **kwargs: Any) -> None:
        self.criteria = criteria
        step = "1" if rubric.whole_numbers else "0.5"
        fields: dict[str, forms.Field] = {}
        for criterion in criteria:
            label = _("%(position)s. %(name)s（%(weight)s 分）") % {
                "position": criterion.position,
                "name": criterion.name,
                "weight": plain_number(criterion.weight),
            }
            if criterion.bands:
                bands = criterion.band_choices
                fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[(band.name, _range_label(band)) for band in bands],
                    widget=BandSelect(bands, attrs={"data-band-for": criterion.pk}),
                    help_text=criterion.description,
                )
                fields[f"coefficient_{criterion.pk}"] = forms.CharField(
                    label=_("%(name)s：系数") % {"name": criterion.name},
                    required=False,
                    max_length=10,
                    help_text=_("先选档次，再在档内填系数（步长 %(step)s）；得分 = 系数 × %(weight)s。")
                    % {"step": plain_number(rubric.coefficient_step), "weight": plain_number(criterion.weight)},
                    widget=forms.NumberInput(
                        attrs={
                            "step": plain_number(rubric.coefficient_step),
                            "min": 0,
                            "max": 1,
                            "inputmode": "decimal",
                            "data-coefficient-for": criterion.pk,
                            "data-weight": plain_number(criterion.weight),
                        }
                    ),
                )
            else:
                fields[f"score_{criterion.pk}"] = forms.DecimalField(
                    label=label,
                    required=False,
                    help_text=criterion.description,
                    widget=forms.NumberInput(attrs={"step": step, "min": 0, "max": criterion.weight}),
                )
        # The criterion fields exist for this instance only; Form.__init__ copies and styles them.
        self.base_fields = {**fields, "comment": ScoreForm.base_fields["comment"]}  # type: ignore[misc]
        super().__init__(*args, **kwargs)

    def scores(self) -> dict[int, Any]:
        return {
            c.pk: BandPick(self.cleaned_data.get(f"score_{c.pk}") or "", self.cleaned_data.get(f"coefficient_{c.pk}"))
            if c.bands
            else self.cleaned_data.get(f"score_{c.pk}")
            for c in self.criteria
        }


def _range_label(band: Band) -> str:
    if band.high == band.low:
        return _("%(name)s（系数 %(high)s）") % {"name": band.name, "high": plain_number(band.high)}
    return _("%(name)s（%(high)s–%(low)s）") % {
        "name": band.name,
        "high": plain_number(band.high),
        "low": plain_number(band.low),
    }
