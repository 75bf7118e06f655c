from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from projectize.core.exports import xlsx_response
from projectize.core.typing import AuthedRequest
from projectize.orgs.models import Organization, Role
from projectize.orgs.permissions import grant_paths, scope_q
from projectize.reports import selectors
from projectize.reports.selectors import Scope

VIEWER_ROLES = (Role.TOWN_ADMIN, Role.LEADER)


def _scope(request: AuthedRequest) -> Scope:
    """The organization and year the figures cover, from the query string, within what the user may see."""
    if not request.user.has_perm("reports.view_dashboard"):
        raise PermissionDenied
    visible = Organization.objects.filter(scope_q(request.user, VIEWER_ROLES, field=""))
    chosen = request.GET.get("org", "")
    if chosen.isdigit():
        organization = visible.filter(pk=chosen).first()
        if organization is None:
            raise Http404
    else:
        organization = _home_organization(request)
    year = request.GET.get("year", "")
    return Scope(organization, int(year) if year.isdigit() and 1990 < int(year) < 2200 else None)


def _home_organization(request: AuthedRequest) -> Organization:
    paths = sorted(grant_paths(request.user, VIEWER_ROLES), key=len)
    found = Organization.objects.filter(path=paths[0]).first() if paths else Organization.get_first_root_node()
    if found is None:
        raise Http404
    return found


def _filter_choices(request: AuthedRequest, scope: Scope) -> dict[str, Any]:
    home = _home_organization(request)
    organizations = list(Organization.objects.filter(path__startswith=home.path, depth__lte=home.depth + 1))
    if scope.organization not in organizations:
        organizations.append(scope.organization)
    this_year = timezone.localdate().year
    return {"organizations": organizations, "years": list(range(this_year, 2011, -1))}


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    scope = _scope(request)
    charts = [chart(scope) for chart in selectors.CHARTS]
    context = {
        "scope": scope,
        "charts": charts,
        "options": {chart.key: chart.option() for chart in charts},
        "outcomes": selectors.outcome_totals(scope),
        "outcome_labels": selectors.OUTCOMES,
        "calls": selectors.call_figures(scope),
        "programmes": selectors.programme_figures(scope),
        "showcases": selectors.showcase_figures(scope),
        "ranking": selectors.organization_ranking(scope),
        "warnings": selectors.latest_warnings(scope),
        "big_screen": request.GET.get("screen") == "1",
        **_filter_choices(request, scope),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
def chart_export(request: AuthedRequest, key: str) -> FileResponse:
    scope = _scope(request)
    make = selectors.CHART_BY_KEY.get(key)
    if make is None:
        raise Http404
    chart = make(scope)
    suffix = f"-{scope.year}" if scope.year else ""
    return xlsx_response(
        f"{key}{suffix}.xlsx",
        [(chart.title, [*chart.headers[:1], *(f"{h}（{chart.unit}）" for h in chart.headers[1:])], chart.rows)],
    )
