from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from projectize.core.activity import action_choices
from projectize.core.models import ActivityLog


class ActivityLogFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(method="filter_actor", label=_("操作人"), help_text=_("姓名或用户名"))
    action = django_filters.ChoiceFilter(label=_("操作"))
    target = django_filters.CharFilter(field_name="target_repr", lookup_expr="icontains", label=_("对象"))
    organization = django_filters.CharFilter(field_name="organization__name", lookup_expr="icontains", label=_("组织"))
    since = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label=_("起始日期"))
    until = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label=_("截至日期"))

    class Meta:
        model = ActivityLog
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Worded in the language of this request.
        self.filters["action"].extra["choices"] = action_choices()

    def filter_actor(self, queryset: QuerySet[ActivityLog], name: str, value: str) -> QuerySet[ActivityLog]:
        value = value.strip()
        return queryset.alias(actor_name=Concat("actor__last_name", "actor__first_name")).filter(
            Q(actor__username__icontains=value) | Q(actor_name__icontains=value)
        )

    @staticmethod
    def base_queryset() -> QuerySet[ActivityLog]:
        return ActivityLog.objects.select_related("actor", "organization", "target_type").prefetch_related("target")
