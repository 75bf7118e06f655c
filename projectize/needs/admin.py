from django.contrib import admin

from projectize.needs.models import SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    """The field's synonym groups; duplicate detection picks up a change within half a minute."""

    list_display = ["words", "updated_at"]
    search_fields = ["words"]
