"""The project list's filters, search and sorting; the Excel export uses the same."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from projectize.orgs.forms import SubtreeFilterField
from projectize.orgs.models import Organization, User
from projectize.projects.models import NOT_YET_PROJECTS, Project, ProjectStatus, ProjectType
from projectize.projects.rules import OVERSIGHT_ROLES, PROJECT_ORG_ROLES
from projectize.projects.selectors import leaders_of_committees_read_by, overdue_q

SORTS = {
    "code": ("code", "id"),
    "-year": ("-year", "code", "id"),
    "year": ("year", "code", "id"),
    "title": ("title", "id"),
    "organization": ("organization_path", "code", "id"),
    "status": ("status", "-year", "code", "id"),
    "-progress": ("-progress", "code", "id"),
    "-updated": ("-updated_at", "-id"),
}


# A status choice for every application that became a project: what the dashboard counts.
APPLIED = "applied"


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    year = django_filters.NumberFilter(label=_("年度"))
    type = django_filters.ChoiceFilter(choices=ProjectType.choices, label=_("类型"), empty_label=_("全部类型"))
    status = django_filters.ChoiceFilter(
        choices=[(APPLIED, _("全部已申报")), *ProjectStatus.choices],
        method="with_status",
        label=_("状态"),
        empty_label=_("全部状态"),
    )
    # Its form field is a SubtreeFilterField, set per user below.
    organization = django_filters.ModelChoiceFilter(queryset=Organization.objects.none(), method="in_subtree")
    leader = django_filters.ModelChoiceFilter(
        queryset=User.objects.none(), field_name="lead_leader", label=_("牵头领导"), empty_label=_("全部领导")
    )
    overdue = django_filters.BooleanFilter(method="only_overdue", label=_("仅看逾期"), widget=forms.CheckboxInput)
    sort = django_filters.ChoiceFilter(
        method="sort_by",
        label=_("排序方式"),
        empty_label=_("默认排序"),
        choices=[
            ("code", _("按编号")),
            ("-year", _("年度从新到旧")),
            ("year", _("年度从旧到新")),
            ("title", _("按名称")),
            ("organization", _("按组织")),
            ("status", _("按状态")),
            ("-progress", _("进度从高到低")),
            ("-updated", _("最近更新")),
        ],
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Filter querysets first: the form is built from them the first time it is used.
        self.filters["leader"].queryset = leaders_of_committees_read_by(user)
        # Organizations the user may see projects of: their staff, leader or member subtrees.
        self.form.fields["organization"] = SubtreeFilterField(
            user=user, roles=(*OVERSIGHT_ROLES, *PROJECT_ORG_ROLES), chosen=self.data.get("organization")
        )
        for name in self.SELECTS:
            self.form.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    SELECTS = ("type", "status", "organization", "leader", "sort")

    def selects(self) -> list[Any]:
        return [self.form[name] for name in self.SELECTS]

    def search(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(code__icontains=value)) if value else queryset

    def with_status(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        if value == APPLIED:
            return queryset.exclude(status__in=NOT_YET_PROJECTS)
        return queryset.filter(status=value) if value else queryset

    def in_subtree(self, queryset: QuerySet[Project], name: str, value: Organization | None) -> QuerySet[Project]:
        return queryset.filter(organization_path__startswith=value.path) if value else queryset

    def only_overdue(self, queryset: QuerySet[Project], name: str, value: bool | None) -> QuerySet[Project]:
        return queryset.filter(overdue_q()) if value else queryset

    def sort_by(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        return queryset.order_by(*SORTS[value]) if value in SORTS else queryset
