import datetime
from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projectize.core.activity import action_choices
from projectize.core.models import ActivityLog

# A name matching up to this many people or organizations narrows the log by their ids (its indexes); one
# that matches more is compared on every entry read instead.
NAME_MATCHES = 1000


class ActivityLogFilter(django_filters.FilterSet):
    """Filters the database can serve from its indexes on a log of millions of rows: people and
    organizations are found by name first and the log read by their ids; dates are ranges of time."""

    actor = django_filters.CharFilter(method="filter_actor", label=_("操作人"), help_text=_("姓名或用户名"))
    action = django_filters.ChoiceFilter(label=_("操作"))
    target = django_filters.CharFilter(field_name="target_repr", lookup_expr="icontains", label=_("对象"))
    organization = django_filters.CharFilter(method="filter_organization", label=_("组织"))
    since = django_filters.DateFilter(method="filter_since", label=_("起始日期"))
    until = django_filters.DateFilter(method="filter_until", label=_("截至日期"))

    class Meta:
        model = ActivityLog
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Worded in the language of this request.
        self.filters["action"].extra["choices"] = action_choices()

    def filter_actor(self, queryset: QuerySet[ActivityLog], name: str, value: str) -> QuerySet[ActivityLog]:
        value = value.strip()
        people = (
            get_user_model()
            .objects.alias(full_name=Concat("last_name", "first_name"))
            .filter(Q(username__icontains=value) | Q(full_name__icontains=value))
        )
        return _by_ids(queryset, "actor", people)

    def filter_organization(self, queryset: QuerySet[ActivityLog], name: str, value: str) -> QuerySet[ActivityLog]:
        organizations = ActivityLog._meta.get_field("organization").related_model._default_manager
        return _by_ids(queryset, "organization", organizations.filter(name__icontains=value.strip()))

    def filter_since(self, queryset: QuerySet[ActivityLog], name: str, value: datetime.date) -> QuerySet[ActivityLog]:
        return queryset.filter(created_at__gte=_start_of(value))

    def filter_until(self, queryset: QuerySet[ActivityLog], name: str, value: datetime.date) -> QuerySet[ActivityLog]:
        return queryset.filter(created_at__lt=_start_of(value + datetime.timedelta(days=1)))

    @staticmethod
    def base_queryset() -> QuerySet[ActivityLog]:
        return ActivityLog.objects.select_related("actor", "organization", "target_type").prefetch_related("target")


def _by_ids(queryset: QuerySet[ActivityLog], field: str, found: QuerySet[Any]) -> QuerySet[ActivityLog]:
    ids = list(found.values_list("pk", flat=True)[: NAME_MATCHES + 1])
    if len(ids) > NAME_MATCHES:
        return queryset.filter(**{f"{field}__in": found})
    return queryset.filter(**{f"{field}_id__in": ids})


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` where the users are (the log's dates are read in local time)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
