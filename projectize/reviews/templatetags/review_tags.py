"""`{% load review_tags %}{% review_panel obj purpose="application" %}` on another app's object page.

Staff who run the subject's reviews see each review of the object (status, sheets, total and grade) and a
button to start one; a reviewer of the object sees a link to their own assignment; others see nothing.
"""

from typing import Any
from urllib.parse import urlencode

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import reverse

from projectize.orgs.models import Role
from projectize.orgs.permissions import has_role
from projectize.reviews.models import Assignment, AssignmentStatus
from projectize.reviews.selectors import review_result, reviewing_organization, reviews_of

register = template.Library()


@register.inclusion_tag("reviews/_review_panel.html", takes_context=True)
def review_panel(context: dict[str, Any], subject: Any, purpose: str = "") -> dict[str, Any]:
    request = context["request"]
    user = request.user
    reviews = (
        reviews_of(subject)
        .annotate(assigned=Count("assignments", filter=~Q(assignments__status=AssignmentStatus.DECLINED)))
        .order_by("-created_at", "-id")
    )
    if purpose:
        reviews = reviews.filter(rubric__purpose=purpose)
    staff = has_role(user, [Role.TOWN_ADMIN], reviewing_organization(subject))
    if not staff:
        own = Assignment.objects.filter(review__in=reviews, reviewer=user).select_related("review__rubric")
        return {"show": False, "own": list(own)}
    open_url = ""
    if not any(review.is_open for review in reviews):
        subject_type = ContentType.objects.get_for_model(subject)
        query = urlencode({"purpose": purpose, "next": request.get_full_path()})
        open_url = f"{reverse('reviews:open', args=[subject_type.pk, subject.pk])}?{query}"
    return {
        "show": True,
        "items": [{"result": review_result(review), "assigned": review.assigned} for review in reviews],
        "open_url": open_url,
    }
