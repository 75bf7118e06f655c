"""Organizations as options of a type-to-search field (the autocomplete widget in `orgs.widgets`).

A city has 100,000 organizations and thousands of residential areas: no form can list them as <option>s.
The widget asks this endpoint as the person types and the form checks the chosen number against its own
queryset, so nothing outside the field's scope is accepted whatever is posted.
"""

from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from projectize.orgs.models import Organization, OrgKind, User
from projectize.orgs.selectors import visible_organizations

OPTIONS_SHOWN = 20
AREA_KINDS = (OrgKind.RESIDENTIAL, OrgKind.VILLAGE)
# What a field may offer: areas (residential areas and villages, public: residents choose theirs on the
# public need form) or units (any organization under the field's committee, for signed-in staff).
AREAS = "area"
UNITS = "unit"


def option_scope(kind: str, within: Organization, user: User | None = None) -> QuerySet[Organization]:
    """The active organizations a field of `kind` under `within` may offer; forms validate against the same."""
    below = Organization.objects.filter(path__startswith=within.path, depth__gt=within.depth, is_active=True)
    if kind == AREAS:
        return below.filter(kind__in=AREA_KINDS)
    if user is not None:
        below = below & visible_organizations(user)
    return below


def matching(options: QuerySet[Organization], text: str, limit: int = OPTIONS_SHOWN) -> list[Organization]:
    """Options whose name contains `text`, shallowest first then in tree order (the tree's path index)."""
    found = options.filter(name__icontains=text) if text else options
    return list(found.select_related(None).order_by("depth", "path")[:limit])


def parent_names(organizations: list[Organization]) -> dict[str, str]:
    """Each parent's name by its path, for the options' second line (one query for the whole list)."""
    step = Organization.steplen
    paths = {org.path[:-step] for org in organizations if org.depth > 1}
    return dict(Organization.objects.filter(path__in=paths).values_list("path", "name"))


@require_GET
def organization_options(request: HttpRequest) -> JsonResponse:
    """`?kind=area|unit&within=<organization>&q=<text>`: at most 20 options as JSON.

    Areas are public (the resident's need form offers them); units need a signed-in person and come from their
    visible organizations only.
    """
    kind = request.GET.get("kind", UNITS)
    within_id = request.GET.get("within", "")
    if kind not in (AREAS, UNITS) or not within_id.isdigit():
        return JsonResponse({"results": []}, status=400)
    user = request.user if request.user.is_authenticated else None
    if kind == UNITS and user is None:
        return JsonResponse({"results": []}, status=403)
    within = Organization.objects.filter(pk=within_id, is_active=True).first()
    if within is None:
        return JsonResponse({"results": []}, status=404)
    found = matching(option_scope(kind, within, user), request.GET.get("q", "").strip()[:50])
    parents = parent_names(found)
    step = Organization.steplen
    results = [{"id": org.pk, "label": org.name, "detail": parents.get(org.path[:-step], "")} for org in found]
    return JsonResponse({"results": results})
