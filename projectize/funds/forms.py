from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projectize.core.fields import MultipleFileField
from projectize.core.forms import StyledForm
from projectize.funds.models import FundKind
from projectize.orgs.models import Organization, User
from projectize.projects import selectors as project_selectors
from projectize.projects.models import Project, ProjectStatus

# Projects that may receive money: established and not failed.
FUNDABLE = (
    ProjectStatus.APPROVED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.ACCEPTANCE,
    ProjectStatus.RECTIFYING,
    ProjectStatus.CONCLUDED,
)


class MoneyField(forms.DecimalField):
    """Yuan with at most two decimals, more than zero; each mistake explained in plain words."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("单位：元，最多两位小数，例如 12000.50。"))
        super().__init__(
            max_digits=14,
            decimal_places=2,
            min_value=Decimal("0.01"),
            error_messages={
                "invalid": _("请输入金额数字，例如 12000.50。"),
                "min_value": _("金额必须大于 0。"),
                "max_decimal_places": _("金额最多保留两位小数。"),
                "max_digits": _("金额太大。"),
                "max_whole_digits": _("金额太大。"),
            },
            **kwargs,
        )
        self.widget.attrs.update({"inputmode": "decimal", "step": "0.01"})


def _year_field(**kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, **kwargs)


class BudgetForm(StyledForm):
    year = _year_field(initial=lambda: timezone.localdate().year)
    kind = forms.ChoiceField(label=_("经费类别"), choices=FundKind.choices)
    amount = MoneyField(label=_("预算金额"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class BudgetReviseForm(StyledForm):
    amount = MoneyField(label=_("调整后的预算金额"))
    reason = forms.CharField(label=_("调整理由"), max_length=300, help_text=_("例如：党委会议决定追加预算。"))


class TierForm(StyledForm):
    grade = forms.CharField(
        label=_("评估等级"), max_length=32, help_text=_("与初期评估评分标准中的等级名称一致，例如“优秀”。")
    )
    name = forms.CharField(label=_("支持档次"), max_length=50, help_text=_("例如：重点支持。"))
    max_amount = MoneyField(label=_("资助上限"))


def _fundable_projects(committee: Organization) -> QuerySet[Project]:
    return project_selectors.projects_in_subtree(committee.path).filter(status__in=FUNDABLE).order_by("-year", "code")


class AllocationForm(StyledForm):
    project = forms.ModelChoiceField(label=_("项目"), queryset=project_selectors.all_projects().none())
    year = _year_field(initial=lambda: timezone.localdate().year, help_text=_("从该年度的专项管理经费预算中分配。"))
    amount = MoneyField(label=_("分配金额"))
    reason = forms.CharField(label=_("事由"), max_length=300)

    def __init__(self, *args: Any, committee: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = _fundable_projects(committee)  # type: ignore[attr-defined]


class AwardForm(StyledForm):
    year = _year_field(initial=lambda: timezone.localdate().year, help_text=_("从该年度的专项奖励经费预算中列支。"))
    project = forms.ModelChoiceField(
        label=_("获奖项目"),
        queryset=project_selectors.all_projects().none(),
        required=False,
        help_text=_("奖励项目，或奖励该项目的负责人。"),
    )
    person = forms.ModelChoiceField(
        label=_("获奖个人"), queryset=User.objects.none(), required=False, help_text=_("项目责任人或牵头领导。")
    )
    amount = MoneyField(label=_("奖励金额"))
    reason = forms.CharField(label=_("奖励事由"), max_length=300)

    def __init__(self, *args: Any, committee: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        projects = _fundable_projects(committee)
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]
        self.fields["person"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=projects.values("responsible")
        ) | User.objects.filter(pk__in=projects.values("lead_leader"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("project") and not data.get("person"):
            self.add_error("project", _("请选择获奖项目或获奖个人。"))
        return data


class DisbursementForm(StyledForm):
    amount = MoneyField(label=_("支出金额"))
    purpose = forms.CharField(label=_("用途"), max_length=300, help_text=_("例如：宣传折页印制 2000 份。"))
    paid_on = forms.DateField(
        label=_("支出日期"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    receipts = MultipleFileField(label=_("票据附件"), help_text=_("发票、收据的照片或扫描件（PDF、JPEG、PNG）。"))


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=_("冲销理由"), max_length=300, help_text=_("原记录保留不改，系统另记一笔金额相同的冲销记录。")
    )
