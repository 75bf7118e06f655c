"""Read-only admin: rubrics and reviews change only through `projectize.reviews.services`."""

from django.contrib import admin

from projectize.core.admin import ReadOnly
from projectize.reviews.models import Assignment, Criterion, GradeBand, Review, Rubric


class CriterionInline(ReadOnly, admin.TabularInline):
    model = Criterion


class GradeInline(ReadOnly, admin.TabularInline):
    model = GradeBand


class AssignmentInline(ReadOnly, admin.TabularInline):
    model = Assignment


@admin.register(Rubric)
class RubricAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "purpose", "organization", "total", "aggregation", "is_active"]
    list_filter = ["purpose", "is_active"]
    inlines = [CriterionInline, GradeInline]


@admin.register(Review)
class ReviewAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["subject_repr", "rubric", "status", "deadline", "created_at"]
    list_filter = ["status"]
    inlines = [AssignmentInline]
