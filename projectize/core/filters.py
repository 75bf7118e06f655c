import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from projectize.core.models import ActivityLog


class ActivityLogFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor__username", lookup_expr="icontains", label=_("操作人"))
    action = django_filters.CharFilter(lookup_expr="startswith", label=_("操作"))
    target = django_filters.CharFilter(field_name="target_repr", lookup_expr="icontains", label=_("对象"))
    organization = django_filters.CharFilter(field_name="organization__name", lookup_expr="icontains", label=_("组织"))
    since = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label=_("起始日期"))
    until = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label=_("截止日期"))

    class Meta:
        model = ActivityLog
        fields: list[str] = []

    @staticmethod
    def base_queryset() -> QuerySet[ActivityLog]:
        return ActivityLog.objects.select_related("actor", "organization", "target_type")
