"""The Django admin shows organizations, people and grants for inspection only.

Every change goes through the application's pages and services, which check rights and write the
activity log; an admin form would bypass both.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from treebeard.admin import TreeAdmin

from projectize.core.admin import ReadOnly
from projectize.orgs.models import Organization, RoleGrant, User


@admin.register(Organization)
class OrganizationAdmin(ReadOnly, TreeAdmin):
    list_display = ["name", "kind", "secretary", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


@admin.register(User)
class ProjectizeUserAdmin(ReadOnly, UserAdmin):
    list_display = ["username", "last_name", "first_name", "mobile", "is_active"]
    search_fields = ["username", "last_name", "first_name", "mobile"]


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["user", "role", "organization", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "organization__name"]
