"""The API's endpoints for signed-in callers and tokens. Reads go through each app's selectors, writes through
its services and workflow tables, exactly as the pages: the API adds no rule of its own."""

from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from projectize.api import serializers as s
from projectize.api.base import ApiView, ScopedViewSet, check_in_token_subtree, in_subtree, token_of
from projectize.claims import selectors as claims_selectors
from projectize.claims.models import ClaimStatus
from projectize.core.workflow import workflow_for
from projectize.funds import selectors as funds_selectors
from projectize.funds.models import DisbursementStatus, FundKind
from projectize.needs import selectors as needs_selectors
from projectize.needs import services as needs_services
from projectize.needs.models import Channel, NeedStatus
from projectize.orgs import selectors as orgs_selectors
from projectize.orgs.models import Organization, OrgKind, Role
from projectize.programmes import selectors as programmes_selectors
from projectize.programmes.models import TargetStatus
from projectize.projects import selectors as projects_selectors
from projectize.projects import services as projects_services
from projectize.projects.filters import ProjectFilter
from projectize.projects.models import NOT_YET_PROJECTS, ProjectStatus, ProjectType
from projectize.showcase import selectors as showcase_selectors
from projectize.supervision import selectors as supervision_selectors
from projectize.supervision.models import LetterStatus


def query(name: str, kind: Any = OpenApiTypes.STR, text: str = "", enum: Any = None) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=text, enum=enum)


YEAR = query("year", OpenApiTypes.INT, "年度")
Q_TEXT = query("q", text="搜索")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            query("name", text="名称包含"),
            query("kind", enum=OrgKind.values),
            query("active", OpenApiTypes.BOOL),
            query("subtree", OpenApiTypes.INT, "只看该组织及其下级"),
        ]
    )
)
class OrganizationViewSet(ScopedViewSet):
    """The organization tree the caller may see (as the organization list)."""

    serializer_class = s.OrganizationSerializer
    subtree_lookup = ""
    # The tree's order; a subtree is one range of the path index.
    cursor_ordering = ("path",)

    def visible(self) -> QuerySet[Any]:
        return orgs_selectors.visible_organizations(self.request.user)

    def filtered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        subtree = self.organization_param("subtree", orgs_selectors.visible_organizations(self.request.user))
        if name := self.param("name"):
            queryset = queryset.filter(name__icontains=name)
        if kind := self.choice_param("kind", OrgKind.choices):
            queryset = queryset.filter(kind=kind)
        if (active := self.bool_param("active")) is not None:
            queryset = queryset.filter(is_active=active)
        return queryset.filter(path__startswith=subtree.path) if subtree else queryset


@extend_schema_view(
    list=extend_schema(
        parameters=[
            Q_TEXT,
            YEAR,
            query("status", enum=NeedStatus.values),
            query("channel", enum=Channel.values),
            query("category", OpenApiTypes.INT),
            query("organization", OpenApiTypes.INT, "只看该组织及其下级的需求"),
        ]
    ),
    create=extend_schema(request=s.NeedCreateSerializer, responses={201: s.NeedSerializer}),
)
class NeedViewSet(ScopedViewSet):
    """Residents' needs in the caller's scope (as the staff's need list); an integration records new ones."""

    serializer_class = s.NeedSerializer
    # The staff list's order and its index (need_newest); by id, PostgreSQL walked the whole primary key
    # backwards for a town's token at district scale (4.5 s against 0.3 s).
    cursor_ordering = ("-created_at", "-id")

    def visible(self) -> QuerySet[Any]:
        return needs_selectors.needs_in_scope(self.request.user).select_related("category", "area")

    def narrow(self, queryset: QuerySet[Any], organization: Organization) -> QuerySet[Any]:
        return needs_selectors.in_subtree(queryset, organization)

    def filtered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if q := self.param("q"):
            # As the staff's list: the title, the tracking code or the place.
            queryset = queryset.filter(Q(title__icontains=q) | Q(code=q.upper()) | Q(location__icontains=q))
        if year := self.int_param("year", 1900, 2200):
            queryset = queryset.filter(created_at__year=year)
        if value := self.choice_param("status", NeedStatus.choices):
            queryset = queryset.filter(status=value)
        if value := self.choice_param("channel", Channel.choices):
            queryset = queryset.filter(channel=value)
        if (category := self.int_param("category")) is not None:
            queryset = queryset.filter(category_id=category)
        organization = self.organization_param("organization", Organization.objects.filter(is_active=True))
        return needs_selectors.in_subtree(queryset, organization) if organization else queryset

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.NeedCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        organization = _organization(fields["organization"], "organization")
        check_in_token_subtree(request, organization, "organization")
        category = needs_selectors.active_categories(organization).filter(pk=fields["category"]).first()
        if category is None:
            raise exceptions.ValidationError({"category": [_("请选择本镇在用的需求类别。")]})
        area = None
        if fields.get("area"):
            area = needs_selectors.areas_of(organization).filter(pk=fields["area"]).first()
            if area is None:
                raise exceptions.ValidationError({"area": [_("请选择本镇的片区或社区。")]})
        source = (
            _organization(fields["source_organization"], "source_organization")
            if fields.get("source_organization")
            else None
        )
        need = needs_services.need_create(
            organization=organization,
            title=fields["title"],
            description=fields["description"],
            category=category,
            channel=fields["channel"],
            area=area,
            location=fields.get("location", ""),
            actor=request.user,
            source_organization=source,
        )
        return Response(s.NeedSerializer(need).data, status=status.HTTP_201_CREATED)


def _organization(pk: int, field: str) -> Organization:
    found = orgs_selectors.organization_by_pk(pk)
    if found is None or not found.is_active:
        raise exceptions.ValidationError({field: [_("未找到该组织。")]})
    return found


@extend_schema_view(list=extend_schema(parameters=[Q_TEXT, YEAR, query("organization", OpenApiTypes.INT)]))
class ProgrammeViewSet(ScopedViewSet):
    """家新桥 programmes the caller follows (as the programme list)."""

    serializer_class = s.ProgrammeSerializer

    def visible(self) -> QuerySet[Any]:
        return programmes_selectors.programmes_for(self.request.user)

    def filtered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        organization = self.organization_param("organization", Organization.objects.filter(is_active=True))
        return programmes_selectors.filter_programmes(
            queryset, q=self.param("q"), organization=organization, year=self.int_param("year", 1900, 2200)
        )

    @extend_schema(responses=s.SectionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def sections(self, request: Request, pk: str | None = None) -> Response:
        """The programme's sections (板块) in order, each with its targets, as its board page shows them."""
        return Response(s.SectionSerializer(programmes_selectors.board(self.get_object()), many=True).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            Q_TEXT,
            YEAR,
            query("programme", OpenApiTypes.INT),
            query("status", enum=TargetStatus.values),
            query("organization", OpenApiTypes.INT),
        ]
    )
)
class TargetViewSet(ScopedViewSet):
    """Targets (标的) of the programmes the caller follows (as the target list)."""

    serializer_class = s.TargetSerializer
    subtree_lookup = "programme__organization"

    def visible(self) -> QuerySet[Any]:
        return programmes_selectors.targets_for(self.request.user)

    def filtered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        organization = self.organization_param("organization", Organization.objects.filter(is_active=True))
        targets = programmes_selectors.filter_targets(
            queryset,
            q=self.param("q"),
            organization=organization,
            year=self.int_param("year", 1900, 2200),
            status=self.choice_param("status", TargetStatus.choices),
        )
        programme = self.int_param("programme")
        return targets.filter(programme_id=programme) if programme else targets


@extend_schema_view(
    list=extend_schema(
        parameters=[
            Q_TEXT,
            YEAR,
            query("status", enum=ClaimStatus.values),
            query("kind", enum=OrgKind.values),
            query("programme", OpenApiTypes.INT),
            query("organization", OpenApiTypes.INT, "认领单位及其下级"),
        ]
    )
)
class ClaimViewSet(ScopedViewSet):
    """Claims the caller may act on: their units' own and those on the programmes they follow."""

    serializer_class = s.ClaimSerializer
    cursor_ordering = ("-created_at", "-id")

    def visible(self) -> QuerySet[Any]:
        return claims_selectors.visible_claims(self.request.user).select_related("organization")

    def narrow(self, queryset: QuerySet[Any], organization: Organization) -> QuerySet[Any]:
        return in_subtree(queryset, organization, "organization") | in_subtree(
            queryset, organization, "target__programme__organization"
        )

    def filtered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        organization = self.organization_param("organization", Organization.objects.filter(is_active=True))
        claims = claims_selectors.filter_claims(
            queryset,
            q=self.param("q"),
            organization=organization,
            year=self.int_param("year", 1900, 2200),
            kind=self.choice_param("kind", OrgKind.choices),
            status=self.choice_param("status", ClaimStatus.choices),
        )
        programme = self.int_param("programme")
        return claims.filter(target__programme_id=programme) if programme else claims


@extend_schema_view(
    list=extend_schema(
        parameters=[
            Q_TEXT,
            YEAR,
            query("type", enum=ProjectType.values),
            query("status", enum=["applied", *ProjectStatus.values]),
            query("organization", OpenApiTypes.INT),
            query("leader", OpenApiTypes.INT),
            query("overdue", OpenApiTypes.BOOL),
        ]
    ),
    retrieve=extend_schema(responses=s.ProjectDetailSerializer),
)
class ProjectViewSet(ScopedViewSet):
    """Projects the caller may see (as the project list, with its filters), with indicators, milestones,
    progress reports and outcomes; an integration records the conclusion's outcomes."""

    serializer_class = s.ProjectSerializer
    # Recently changed first, on the list's index (project_list_updated): 37 ms for a town's token at district
    # scale, where by id PostgreSQL scanned 190,000 rows (9 s).
    cursor_ordering = ("-updated_at", "-id")

    def get_serializer_class(self) -> Any:
        return s.ProjectDetailSerializer if self.action == "retrieve" else s.ProjectSerializer

    def visible(self) -> QuerySet[Any]:
        projects = projects_selectors.visible_projects(self.request.user).select_related("organization")
        if self.action == "retrieve":
            projects = projects.prefetch_related("indicators", "milestones")
        return projects

    def filtered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        data = self.request.query_params.copy()
        data.pop("sort", None)
        if "overdue" in data:
            data["overdue"] = "true" if self.bool_param("overdue") else "false"
        found = ProjectFilter(data, queryset=queryset, user=self.request.user)
        if not found.is_valid():
            raise exceptions.ValidationError({k: [str(e) for e in v] for k, v in found.errors.items()})
        return found.qs

    @extend_schema(responses=s.ReportSerializer(many=True), parameters=[query("status")])
    @action(detail=True, methods=["get"], pagination_class=None)
    def reports(self, request: Request, pk: str | None = None) -> Response:
        """The project's progress reports, as scheduled and handed in."""
        project = self.get_object()
        reports = projects_selectors.visible_reports(request.user).filter(project=project).order_by("number", "id")
        return Response(s.ReportSerializer(reports, many=True).data)

    @extend_schema(request=s.ConclusionSerializer, responses=s.ProjectDetailSerializer)
    @action(detail=True, methods=["post"])
    def conclusion(self, request: Request, pk: str | None = None) -> Response:
        """Record the outcomes and conclude the project (结题), as the conclusion form does."""
        project = self.get_object()
        data = s.ConclusionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        concluded = projects_services.project_conclude(
            actor=request.user,
            project=project,
            summary=fields["summary"],
            counters=dict(fields["outcomes"]),
            actuals={row["indicator"]: Decimal(row["value"]) for row in fields["actuals"]},
        )
        fresh = projects_selectors.visible_projects(request.user).prefetch_related("indicators", "milestones")
        return Response(s.ProjectDetailSerializer(get_object_or_404(fresh, pk=concluded.pk)).data)


@extend_schema_view(
    list=extend_schema(parameters=[query("project", OpenApiTypes.INT), query("status")]),
    submit=extend_schema(request=s.ReportSubmitSerializer, responses=s.ReportSerializer),
)
class ReportViewSet(ScopedViewSet):
    """Progress reports of the projects the caller may see; an integration hands one in."""

    serializer_class = s.ReportSerializer
    subtree_lookup = "project__organization"

    def visible(self) -> QuerySet[Any]:
        return projects_selectors.visible_reports(self.request.user)

    def filtered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if project := self.int_param("project"):
            queryset = queryset.filter(project_id=project)
        if value := self.param("status"):
            queryset = queryset.filter(status=value)
        return queryset

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Hand in the progress report with its indicator actuals, as the report form does."""
        report = self.get_object()
        data = s.ReportSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved = projects_services.report_submit(
            actor=request.user,
            report=report,
            content=data.validated_data["content"],
            actuals={row["indicator"]: Decimal(row["value"]) for row in data.validated_data["actuals"]},
        )
        return Response(s.ReportSerializer(saved).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[Q_TEXT, query("status", enum=LetterStatus.values), query("overdue", OpenApiTypes.BOOL)]
    )
)
class LetterViewSet(ScopedViewSet):
    """Supervision letters (信函式反馈) the caller may read (as the letter list)."""

    serializer_class = s.LetterSerializer

    def visible(self) -> QuerySet[Any]:
        return supervision_selectors.letters_visible_to(self.request.user)

    def filtered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if q := self.param("q"):
            queryset = queryset.filter(title__icontains=q)
        if value := self.choice_param("status", LetterStatus.choices):
            queryset = queryset.filter(status=value)
        if self.bool_param("overdue"):
            queryset = queryset.filter(supervision_selectors.overdue_items_q())
        return queryset


@extend_schema_view(list=extend_schema(parameters=[query("committee", OpenApiTypes.INT), YEAR]))
class BudgetViewSet(ScopedViewSet):
    """Each year's budget of the two funds, with what is allocated and paid (as the funds page)."""

    serializer_class = s.BudgetSerializer

    def committee(self) -> Organization:
        committees = funds_selectors.committees_of(self.request.user)
        token = token_of(self.request)
        if token is not None:
            committees = committees.filter(path__startswith=token.organization.path[: Organization.steplen])
        chosen = self.int_param("committee")
        found = committees.filter(pk=chosen).first() if chosen else committees.order_by("path").first()
        if found is None:
            raise Http404
        return found

    def visible(self) -> QuerySet[Any]:
        return funds_selectors.fund_balances(self.committee())

    def narrow(self, queryset: QuerySet[Any], organization: Organization) -> QuerySet[Any]:
        return queryset

    def filtered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        year = self.int_param("year", 1900, 2200)
        return queryset.filter(year=year) if year else queryset


@extend_schema_view(
    list=extend_schema(parameters=[query("committee", OpenApiTypes.INT), YEAR, query("kind", enum=FundKind.values)])
)
class AllocationViewSet(BudgetViewSet):
    """The ledger of allocations from the funds to projects and people."""

    serializer_class = s.AllocationSerializer

    def visible(self) -> QuerySet[Any]:
        return funds_selectors.allocation_list(self.committee())

    def filtered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        year = self.int_param("year", 1900, 2200)
        kind = self.choice_param("kind", FundKind.choices)
        return queryset.filter(**{k: v for k, v in (("budget__year", year), ("budget__kind", kind)) if v})


@extend_schema_view(
    list=extend_schema(
        parameters=[query("committee", OpenApiTypes.INT), YEAR, query("status", enum=DisbursementStatus.values)]
    )
)
class DisbursementViewSet(BudgetViewSet):
    """The ledger of disbursements (payments) against the allocations."""

    serializer_class = s.DisbursementSerializer

    def visible(self) -> QuerySet[Any]:
        return funds_selectors.disbursement_list(self.committee())

    def filtered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        year = self.int_param("year", 1900, 2200)
        value = self.choice_param("status", DisbursementStatus.choices)
        return queryset.filter(**{k: v for k, v in (("allocation__budget__year", year), ("status", value)) if v})


@extend_schema_view(list=extend_schema(parameters=[YEAR]))
class ShowcaseViewSet(ScopedViewSet):
    """The annual showcases (七一展评) the caller may see."""

    serializer_class = s.ShowcaseSerializer

    def visible(self) -> QuerySet[Any]:
        return showcase_selectors.showcases_visible_to(self.request.user)

    def narrow(self, queryset: QuerySet[Any], organization: Organization) -> QuerySet[Any]:
        # A committee's showcase concerns the organizations under it.
        return queryset.filter(organization__path=organization.path[: Organization.steplen])

    def filtered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        year = self.int_param("year", 1900, 2200)
        return queryset.filter(year=year) if year else queryset


DASHBOARD_ROLES = (Role.TOWN_ADMIN, Role.LEADER)
OUTCOME_FIELDS = ("rules_established", "problems_solved", "service_brands", "beneficiaries")


class DashboardView(ApiView):
    """The dashboard's figures for an organization's subtree, summed in SQL (as the 成效统计 page)."""

    @extend_schema(
        parameters=[query("organization", OpenApiTypes.INT, "默认为您所在的最上级组织"), YEAR],
        responses=s.DashboardSerializer,
    )
    def get(self, request: Request) -> Response:
        if not request.user.has_perm("reports.view_dashboard"):
            raise exceptions.PermissionDenied(_("您无权查看统计。"))
        visible = orgs_selectors.organizations_in_roles(request.user, DASHBOARD_ROLES)
        token = token_of(request)
        if token is not None:
            visible = visible.filter(path__startswith=token.organization.path)
        raw, year_raw = request.query_params.get("organization", ""), request.query_params.get("year", "")
        if raw and not raw.isdigit():
            raise exceptions.ValidationError({"organization": [_("请填写有效的整数。")]})
        if year_raw and not (year_raw.isdigit() and 1900 <= int(year_raw) <= 2200):
            raise exceptions.ValidationError({"year": [_("请填写有效的整数。")]})
        organization = visible.filter(pk=raw).first() if raw else visible.order_by("depth", "path").first()
        if organization is None:
            raise Http404
        year = int(year_raw) if year_raw else None
        projects = projects_selectors.projects_in_subtree(organization.path)
        to_date = projects.filter(year__lte=year) if year else projects
        totals = to_date.aggregate(**{name: Sum(name) for name in OUTCOME_FIELDS})
        applied = projects.exclude(status__in=NOT_YET_PROJECTS)
        applied = applied.filter(year=year) if year else applied
        needs = needs_selectors.needs_in_subtree(organization)
        needs = needs.filter(created_at__year=year) if year else needs
        figures = {
            "organization": organization.pk,
            "year": year,
            "outcomes": {name: totals[name] or 0 for name in OUTCOME_FIELDS},
            "projects_by_status": _counts(applied, "status", ProjectStatus.choices),
            "projects_by_type": _counts(applied, "type", ProjectType.choices),
            "needs_by_status": _counts(needs, "status", NeedStatus.choices),
        }
        return Response(figures)


def _counts(rows: QuerySet[Any], field: str, choices: Any) -> list[dict[str, Any]]:
    counted = dict(rows.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    return [{"code": code, "label": str(text), "count": counted.get(code, 0)} for code, text in choices]


# ---- workflow steps ------------------------------------------------------------------------------


def _workflow_object(request: Request, model: str, pk: str) -> tuple[Any, Any]:
    """The object as the page endpoint `/workflow/<app.model>/<pk>/<step>/` finds it: through its table's
    `scope(user)`, 404 outside it; and, for a token, inside the token's subtree."""
    try:
        workflow = workflow_for(apps.get_model(model))
    except (LookupError, ValueError, KeyError):
        raise Http404 from None
    if not pk.isdigit():
        raise Http404
    scoped = workflow.scope(request.user)
    token = token_of(request)
    if token is not None:
        scoped = in_subtree(scoped, token.organization)
    return workflow, get_object_or_404(scoped, pk=pk)


def _state(request: Request, workflow: Any, model: str, obj: Any) -> dict[str, Any]:
    return {
        "model": model,
        "id": obj.pk,
        "status": getattr(obj, workflow.state_field),
        "status_label": workflow.state_label(obj),
        "steps": [
            {
                "name": step.name,
                "label": str(step.label),
                "requires_note": step.requires_note,
                "needs_form": step.form_url is not None,
                "blocked_by": (step.guard(obj) if step.guard else None) or None,
            }
            for step in workflow.available(request.user, obj)
        ],
    }


class WorkflowStateView(ApiView):
    @extend_schema(responses=s.WorkflowStateSerializer, operation_id="workflow_state")
    def get(self, request: Request, model: str, pk: str) -> Response:
        """An object's state and the steps the caller may take now (the buttons of its page)."""
        workflow, obj = _workflow_object(request, model, pk)
        return Response(_state(request, workflow, model, obj))


class WorkflowStepView(ApiView):
    @extend_schema(request=s.StepSerializer, responses=s.WorkflowStateSerializer, operation_id="workflow_step")
    def post(self, request: Request, model: str, pk: str, step: str) -> Response:
        """Take one workflow step, through the same table, checks, log and notifications as the page's button."""
        workflow, obj = _workflow_object(request, model, pk)
        data = s.StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = workflow.apply(obj, step, actor=request.user, note=data.validated_data["note"])
        return Response(_state(request, workflow, model, done))
