"""The activity log, notifications and attachments in the Django admin: to look at, never to change."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from projectize.core.models import ActivityLog, Attachment, Notification


class ReadOnly:
    """An admin page or inline to look at, never to change: every change goes through the application's pages
    and services, which check rights and write the activity log; an admin form would bypass both.

    `class RubricAdmin(ReadOnly, admin.ModelAdmin)`, `class CriterionInline(ReadOnly, admin.TabularInline)`."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ActivityLog)
class ActivityLogAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "target_repr", "organization", "ip"]
    list_filter = ["action"]
    list_select_related = ["actor", "organization"]
    search_fields = ["action", "target_repr", "message"]
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["created_at", "recipient", "title", "read_at"]
    list_select_related = ["recipient"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["uploaded_at", "name", "kind", "size", "target_type", "target_id", "uploaded_by"]
    list_select_related = ["target_type", "uploaded_by"]
