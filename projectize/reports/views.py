from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from projectize.core.exports import XLSX_CONTENT_TYPE, xlsx_response
from projectize.core.jobs import defer_download
from projectize.core.pagecache import cached_page
from projectize.core.typing import AuthedRequest
from projectize.orgs.models import Organization, Role
from projectize.orgs.selectors import organization_by_pk, organizations_in_roles, top_organization, with_children
from projectize.reports import documents, selectors
from projectize.reports.selectors import Scope

VIEWER_ROLES = (Role.TOWN_ADMIN, Role.LEADER)


def _scope(request: AuthedRequest, home: Organization | None = None) -> Scope:
    """The organization and year the figures cover, from the query string, within what the user may see."""
    if not request.user.has_perm("reports.view_dashboard"):
        raise PermissionDenied
    chosen = request.GET.get("org", "")
    if chosen.isdigit():
        organization = organizations_in_roles(request.user, VIEWER_ROLES).filter(pk=chosen).first()
        if organization is None:
            raise Http404
    else:
        organization = home or _home_organization(request)
    year = request.GET.get("year", "")
    return Scope(organization, int(year) if year.isdigit() and 1990 < int(year) < 2200 else None)


def _home_organization(request: AuthedRequest) -> Organization:
    found = top_organization(request.user, VIEWER_ROLES)
    if found is None:
        raise Http404
    return found


def _filter_choices(home: Organization, scope: Scope) -> dict[str, Any]:
    organizations = with_children(home)
    if scope.organization not in organizations:
        organizations.append(scope.organization)
    this_year = timezone.localdate().year
    return {"organizations": organizations, "years": list(range(this_year, 2011, -1))}


@login_required
@cached_page
def dashboard(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("reports.view_dashboard"):
        raise PermissionDenied
    home = _home_organization(request)
    scope = _scope(request, home)
    charts = [chart(scope) for chart in selectors.CHARTS]
    context = {
        "scope": scope,
        "figures": scope.figures,
        "charts": charts,
        "options": {chart.key: chart.option() for chart in charts},
        "outcomes": selectors.outcome_totals(scope),
        "outcome_labels": selectors.OUTCOMES,
        "calls": selectors.call_figures(scope),
        "programmes": selectors.programme_figures(scope),
        "showcases": selectors.showcase_figures(scope),
        "ranking": selectors.organization_ranking(scope),
        "comparison": selectors.town_comparison(scope, request.GET.get("rank", "")),
        "comparison_key": selectors.COMPARISON_KEY,
        "back_to": _back_to(home, scope),
        "warnings": selectors.latest_warnings(scope),
        "big_screen": request.GET.get("screen") == "1",
        "report_url": reverse("reports:annual", args=["pdf"]) + "?" + request.GET.urlencode(),
        **_filter_choices(home, scope),
    }
    return render(request, "reports/dashboard.html", context)


def _back_to(home: Organization, scope: Scope) -> Organization | None:
    """Where a district's (or a city's) user drilled down from: their own organization above the towns."""
    if scope.organization == home:
        return None
    above_towns = not scope.in_town or scope.committee.depth > home.depth
    return home if above_towns else None


@login_required
def chart_export(request: AuthedRequest, key: str) -> HttpResponseBase:
    scope = _scope(request)
    suffix = f"-{scope.year}" if scope.year else ""
    if key == selectors.COMPARISON_KEY:
        comparison = selectors.town_comparison(scope, request.GET.get("rank", ""))
        if comparison is None:
            raise Http404
        return xlsx_response(f"{key}{suffix}.xlsx", [comparison.sheet()])
    make = selectors.CHART_BY_KEY.get(key)
    if make is None:
        raise Http404
    chart = make(scope)
    return xlsx_response(
        f"{key}{suffix}.xlsx",
        [(chart.title, [*chart.headers[:1], *(f"{h}（{chart.unit}）" for h in chart.headers[1:])], chart.rows)],
    )


def _document(content: bytes, filename: str, content_type: str = "application/pdf") -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if content_type == "application/pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@login_required
def report_index(request: AuthedRequest) -> HttpResponse:
    """Where leaders take the annual report and secretaries their 述职评议 dossier."""
    organizations = organizations_in_roles(request.user, (*VIEWER_ROLES, Role.SECRETARY)).order_by("path")[:500]
    if not organizations:
        raise PermissionDenied
    this_year = timezone.localdate().year
    return render(
        request,
        "reports/index.html",
        {
            "organizations": organizations,
            "years": list(range(this_year, 2011, -1)),
            "may_see_dashboard": request.user.has_perm("reports.view_dashboard"),
        },
    )


@login_required
def annual_report(request: AuthedRequest, fmt: str) -> HttpResponseBase:
    scope = _scope(request)
    name = f"annual-report-{scope.year or 'all'}"
    # Above the towns the report compares them, ranked as on the dashboard it was asked from.
    rank_by = request.GET.get("rank", "")
    if fmt == "xlsx":
        return _document(
            documents.annual_report_xlsx(documents.annual_report(scope, rank_by)), f"{name}.xlsx", XLSX_CONTENT_TYPE
        )
    # The PDF takes long enough to build that a worker does it; the request only checked the scope.
    if deferred := defer_download(request, title=_("年度工作报告 PDF")):
        return deferred
    return _document(documents.annual_report_pdf(documents.annual_report(scope, rank_by)), f"{name}.pdf")


@login_required
def dossier(request: AuthedRequest, pk: int, year: int) -> HttpResponseBase:
    organization = organization_by_pk(pk)
    if organization is None or not request.user.has_perm("reports.view_organization_report", organization):
        raise Http404
    if not 1990 < year < 2200:
        raise Http404
    if deferred := defer_download(
        request,
        title=_("%(organization)s %(year)s 年述职评议材料 PDF") % {"organization": organization.name, "year": year},
    ):
        return deferred
    return _document(documents.dossier_pdf(documents.dossier(organization, year)), f"dossier-{pk}-{year}.pdf")


@login_required
def dossier_pick(request: AuthedRequest) -> HttpResponseBase:
    """The index page's form sends organization and year as parameters."""
    org, year = request.GET.get("org", ""), request.GET.get("year", "")
    if not (org.isdigit() and year.isdigit()):
        raise Http404
    return dossier(request, int(org), int(year))
