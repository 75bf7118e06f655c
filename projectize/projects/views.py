"""Project pages: parse the request, call a service, render. Object pages answer 404 outside scope."""

import difflib
from decimal import Decimal
from typing import Any, cast

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projectize.core.exports import xlsx_response
from projectize.core.jobs import defer_download, exceeds
from projectize.core.pagecache import cached_page
from projectize.core.pagination import paginate
from projectize.core.ratelimit import rate_limited
from projectize.core.typing import AuthedRequest
from projectize.core.workflow import TransitionError
from projectize.orgs.models import Organization
from projectize.orgs.permissions import has_role
from projectize.orgs.selectors import committee_of, committees_run_by, first_committee
from projectize.projects import forms, review, selectors, services, steps
from projectize.projects.export import projects_workbook
from projectize.projects.filters import ProjectFilter
from projectize.projects.models import (
    PROGRESS_RULE,
    Acceptance,
    AcceptanceStatus,
    Call,
    CallStatus,
    ChangeRequest,
    DiscussionItem,
    Milestone,
    Phase,
    ProgressReport,
    Project,
    ProjectStatus,
)
from projectize.projects.rules import APPLICANT_ROLES, OVERSIGHT_ROLES, is_project_owner
from projectize.projects.workflows import ACCEPTANCE, REPORT


def _visible_project(request: AuthedRequest, pk: int) -> Project:
    project = get_object_or_404(
        Project.objects.select_related("organization", "call", "lead_leader", "responsible", "seeded_from"), pk=pk
    )
    if not request.user.has_perm("projects.view_project", project):
        raise Http404
    return project


def _staff_project(request: AuthedRequest, pk: int) -> Project:
    project = _visible_project(request, pk)
    if not request.user.has_perm("projects.manage_project", project):
        raise PermissionDenied
    return project


def _refused(form: Any, error: Exception) -> None:
    """Show a refused step beside the form (field errors from a ValidationError where it has them)."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, str(error.args[0] if error.args else error))


# ---- calls --------------------------------------------------------------------------------------


@login_required
def call_list(request: AuthedRequest) -> HttpResponseBase:
    # Each call's applications are counted for the rows shown (a subquery per row), not by grouping every project.
    calls = (
        selectors.visible_calls(request.user)
        .select_related("organization")
        .annotate(applications=selectors.applications_count())
        .order_by("-year", "id")
    )
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                c.year,
                c.title,
                c.organization.name,
                c.get_status_display(),
                c.get_phase_display(),
                c.application_start,
                c.application_end,
                c.applications,
            )
            for c in calls.iterator()
        )
        headers = [
            _("年度"),
            _("名称"),
            _("主办党委"),
            _("状态"),
            _("当前阶段"),
            _("申报开始"),
            _("申报截止"),
            _("申报项目数"),
        ]
        return xlsx_response("calls.xlsx", [(_("年度申报"), headers, rows)])
    page = paginate(request, calls, 30)
    return render(request, "projects/call_list.html", {"page": page})


def _committee_of(request: AuthedRequest) -> Organization:
    """The committee a staff member runs calls for: the first they run (a district's staff, their district;
    a superuser, the first town)."""
    committee = first_committee(request.user, committees_run_by(request.user))
    if committee is None:
        raise PermissionDenied
    return committee


@login_required
def call_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk) if pk else None
    organization = call.organization if call else _committee_of(request)
    if not request.user.has_perm("projects.manage_project", organization):
        raise PermissionDenied
    form = forms.CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            call = services.call_save(actor=request.user, organization=organization, fields=fields, call=call)
        except (TransitionError, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, _("年度申报已保存。"))
            return HttpResponseRedirect(call.get_absolute_url())
    return render(request, "projects/call_form.html", {"form": form, "call": call})


@login_required
def call_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(selectors.visible_calls(request.user).select_related("organization"), pk=pk)
    staff = request.user.has_perm("projects.manage_project", call)
    committee = has_role(request.user, OVERSIGHT_ROLES, call.organization)
    applications = selectors.call_applications(request.user, call)
    context = {
        "call": call,
        "staff": staff,
        "committee": committee,
        "phase": call.phase(),
        "applications": applications,
        # The minutes are the committee's; an organization reads only what was decided on its own applications.
        "discussions": call.discussions.prefetch_related("items__project", "attendees") if committee else [],
        "own_decisions": DiscussionItem.objects.filter(project__in=applications)
        .select_related("discussion", "project")
        .order_by("-discussion__held_on", "id")
        if not committee
        else [],
        "can_apply": call.phase() == Phase.APPLICATION and request.user.has_perm("projects.apply"),
    }
    return render(request, "projects/call_detail.html", context)


@login_required
def discussion_new(request: AuthedRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    if not request.user.has_perm("projects.manage_project", call):
        raise PermissionDenied
    candidates = (
        call.projects.filter(status__in=(ProjectStatus.SUBMITTED, ProjectStatus.UNDER_REVIEW, ProjectStatus.RETURNED))
        .select_related("organization")
        .order_by("type", "id")
    )
    form = forms.DiscussionForm(request.POST or None, call=call, projects=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.discussion_record(
                actor=request.user,
                call=call,
                held_on=data["held_on"],
                title=data["title"],
                attendees=data["attendees"],
                minutes=data["minutes"],
                outcomes=form.outcomes(),
            )
        except (TransitionError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, _("研究讨论已记录。"))
            return HttpResponseRedirect(call.get_absolute_url())
    return render(request, "projects/discussion_form.html", {"form": form, "call": call})


# ---- list and export ----------------------------------------------------------------------------


def _filtered(request: AuthedRequest) -> ProjectFilter:
    return ProjectFilter(request.GET, queryset=selectors.projects_visible_to(request.user), user=request.user)


@login_required
@cached_page
def project_list(request: AuthedRequest) -> HttpResponse:
    """The projects the user may see, filtered and sorted: the database pages through ids in the order an
    index gives them (the count stops at `COUNT_CAP`), then reads the page's 25 rows."""
    filtered = _filtered(request)
    rows = filtered.qs
    page = paginate(request, rows.values_list("pk", flat=True), 25)
    ordering = [str(field) for field in rows.query.order_by or Project._meta.ordering or ()]
    page.object_list = selectors.project_page(cast(QuerySet[Any], page.object_list), ordering)
    selectors.attach_overdue(page.object_list)
    context = {"filter": filtered, "page": page, "selects": filtered.selects(), "progress_rule": PROGRESS_RULE}
    return render(request, "projects/project_list.html", context)


@login_required
def project_export(request: AuthedRequest) -> HttpResponseBase:
    """Excel of exactly what the list shows with the same filters, streamed row by row; a large one
    is built in the background."""
    filtered = _filtered(request)
    if exceeds(filtered.qs, settings.EXPORT_INLINE_ROWS) and (
        deferred := defer_download(request, title="projects.xlsx")
    ):
        return deferred
    response = StreamingHttpResponse(
        projects_workbook(filtered.qs),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="projects.xlsx"'
    return response


@login_required
def overdue_list(request: AuthedRequest) -> HttpResponseBase:
    """督办: overdue reports and milestones of the projects the user may see, longest overdue first, 50 a page
    read in that order from the indexes of open work (`selectors.OverdueRows`). What other apps
    keep on each item (supervision's 催办, 督办 and letters) is shown on its row (`selectors.OverdueFollowUp`)."""
    visible = selectors.projects_visible_to(request.user)
    if request.GET.get("export") == "xlsx":
        # Every item the list shows, not one page of them (a large list is written by the worker).
        every = selectors.overdue_stream(visible)
        cells = ((w.level_label, w.project, w.project.organization, w.title, w.due_date, w.days) for w in every)
        headers = [_("逾期程度"), _("项目"), _("组织"), _("逾期事项"), _("应完成日期"), _("逾期天数")]
        return xlsx_response("overdue.xlsx", [(_("督办清单"), headers, cells)])
    page = paginate(request, selectors.overdue_keys(projects=visible), 50)
    items = selectors.overdue_page(page.object_list)
    rows = list(zip(items, selectors.overdue_follow_ups(items, request.user), strict=True))
    context = {"page": page, "rows": rows, "red_after": selectors.RED_AFTER_DAYS}
    return render(request, "projects/overdue_list.html", context)


# ---- application --------------------------------------------------------------------------------


@login_required
def application_edit(request: AuthedRequest, call_pk: int | None = None, pk: int | None = None) -> HttpResponse:
    """New application (for a call) or revision of a draft or returned one. Two buttons: save, submit."""
    if pk is not None:
        project = _visible_project(request, pk)
        call, organization = project.call, project.organization
        if not request.user.has_perm("projects.change_project", project):
            raise PermissionDenied
    else:
        project = None
        call = get_object_or_404(Call, pk=call_pk, status=CallStatus.OPEN)
        organization = _applying_org(request)
    submitting = request.POST.get("action") == "submit"
    form = forms.ApplicationForm(
        request.POST or None,
        request.FILES or None,
        instance=project,
        complete=submitting,
        year=call.year if call else None,
        call=call,
    )
    indicator_rows = forms.IndicatorFormSet(request.POST or None, prefix="ind", initial=_rows(project, "indicators"))
    milestone_rows = forms.MilestoneFormSet(request.POST or None, prefix="ms", initial=_rows(project, "milestones"))
    if submitting:
        for formset in (indicator_rows, milestone_rows):
            formset.min_num, formset.validate_min = 1, True
    if request.method == "POST" and all([form.is_valid(), indicator_rows.is_valid(), milestone_rows.is_valid()]):
        data = form.cleaned_data
        save = services.application_submit if submitting else services.application_save
        try:
            project = save(
                actor=request.user,
                organization=organization,
                call=call,
                project=project,
                fields={name: data[name] for name in services.APPLICATION_FIELDS},
                indicators=forms.filled_rows(indicator_rows, ("name", "unit", "baseline", "target")),
                milestones=forms.filled_rows(milestone_rows, ("title", "due_date")),
                files=data["attachments"],
                seeded_from=data.get("seeded_from"),
            )
        except (TransitionError, ValidationError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, _("申报已提交，请等待评审。") if submitting else _("草稿已保存。"))
            return HttpResponseRedirect(project.get_absolute_url())
    context = {
        "form": form,
        "indicator_rows": indicator_rows,
        "milestone_rows": milestone_rows,
        "project": project,
        "call": call,
        "organization": organization,
        "required_on_submit": list(services.APPLICATION_FIELDS),
        # Said up front, so nobody fills in a form that cannot be saved now.
        "phase_problem": steps.application_phase_problem(project or Project(call=call)),
    }
    return render(request, "projects/application_form.html", context)


def _applying_org(request: AuthedRequest) -> Organization:
    """The organization a secretary or liaison applies for: the one their grant is at."""
    grant = request.user.grants.filter(role__in=APPLICANT_ROLES).select_related("organization").first()
    if grant is None:
        raise PermissionDenied(_("只有基层组织的书记或联络员可以申报项目。"))
    return grant.organization


def _rows(project: Project | None, relation: str) -> list[dict[str, Any]]:
    if project is None:
        return []
    if relation == "indicators":
        return [
            dict(row) for row in project.indicators.filter(is_custom=False).values("name", "unit", "baseline", "target")
        ]
    return [dict(row) for row in project.milestones.values("title", "due_date")]


@login_required
def version_diff(request: AuthedRequest, pk: int) -> HttpResponse:
    """Every submitted version of the application, and what changed between two of them."""
    project = _visible_project(request, pk)
    versions = list(project.versions.select_related("submitted_by"))
    numbers = [v.number for v in versions]
    a = _int(request.GET.get("a"), numbers[-2] if len(numbers) > 1 else None)
    b = _int(request.GET.get("b"), numbers[-1] if numbers else None)
    by_number = {v.number: v for v in versions}
    diff = []
    if a in by_number and b in by_number:
        diff = list(
            difflib.unified_diff(
                _lines(by_number[a].data), _lines(by_number[b].data), f"v{a}", f"v{b}", lineterm="", n=1
            )
        )[2:]
    context = {"project": project, "versions": versions, "a": a, "b": b, "diff": diff}
    return render(request, "projects/version_diff.html", context)


def _int(value: str | None, default: int | None) -> int | None:
    return int(value) if value and value.isdigit() else default


def _lines(data: dict[str, Any]) -> list[str]:
    labels = {
        "type": _("项目类型"),
        "title": _("项目名称"),
        "background": _("背景与要解决的问题"),
        "indicators": _("量化指标"),
        "start_date": _("开始日期"),
        "end_date": _("结束日期"),
        "milestones": _("实施步骤"),
        "approach": _("推进方式"),
        "measures": _("组织措施"),
        "expected_effects": _("预期效果"),
        "building_type": _("组织建设类型"),
        "budget_requested": _("申请经费（元）"),
    }
    lines = []
    for key, label in labels.items():
        value = data.get(key, "")
        for line in value if isinstance(value, list) else str(value).splitlines() or [""]:
            lines.append(f"{label}：{line}")
    return lines


# ---- the project page ---------------------------------------------------------------------------


def _project_with_its_parts(request: AuthedRequest, pk: int) -> Project:
    """The project for its page, with everything the page shows, in a fixed number of queries however long
    its history: the project with its one-to-one parts and the size of each list in one query, then one
    query per list that holds anything."""
    project = get_object_or_404(selectors.project_for_page(), pk=pk)
    if not request.user.has_perm("projects.view_project", project):
        raise Http404
    ordered = {
        "reports": Prefetch("reports", ProgressReport.objects.order_by("number", "id")),
        "change_requests": Prefetch(
            "change_requests", ChangeRequest.objects.select_related("new_responsible", "requested_by")
        ),
    }
    lists = [
        # An empty list is read as none (no query): the page and the steps it asks see it empty.
        ordered.get(name, name) if getattr(project, f"{name}_count") else Prefetch(name, model._default_manager.none())
        for name, model in selectors.PAGE_LISTS.items()
    ]
    prefetch_related_objects([project], *lists)
    return project


@login_required
@cached_page
def project_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The project page. Its banner (`{% next_step %}`) and buttons (`{% workflow_actions %}`) come from the
    project's table; what else the user may do there, from the `rules` permissions. The application and its
    review are read after the page (`project_application`): at most 15 queries here, whatever the history."""
    project = _project_with_its_parts(request, pk)
    context = {
        "project": project,
        "indicators": project.indicators.all(),
        "milestones": project.milestones.all(),
        "team": project.team.all(),
        "reports": project.reports.all(),
        "changes": project.change_requests.all(),
        "acceptances": project.acceptances.all(),
        "links": selectors.project_links(project),
        "promotion": getattr(project, "promotion", None),
        "timeline": selectors.project_timeline(project, decisions=_reads_decisions(request, project)),
        "five_fixed_missing": steps.five_fixed_missing(project)
        if project.status in ProjectStatus.group("five_fixed")
        else [],
        "overdue": selectors.project_overdue_items(project),
        "schedule_form": forms.ReportScheduleForm(initial={"interval_days": steps.report_interval(project)}),
        "assess_form": forms.MilestoneAssessForm(),
        "progress_rule": PROGRESS_RULE,
    }
    return render(request, "projects/project_detail.html", context)


def _reads_decisions(request: AuthedRequest, project: Project) -> bool:
    """The committee's decisions are for the committee and the applicant, not for its reviewers."""
    return has_role(request.user, OVERSIGHT_ROLES, project.organization) or bool(
        is_project_owner(request.user, project)
    )


@login_required
def project_application(request: AuthedRequest, pk: int) -> HttpResponse:
    """The application as submitted (texts, attachments, versions) and its review and decisions: a panel of the
    project page, read after it (htmx); on its own, a page."""
    project = _visible_project(request, pk)
    project.versions_count = project.versions.count()  # type: ignore[attr-defined]
    staff = request.user.has_perm("projects.manage_project", project)
    context = {
        "project": project,
        "application_result": review.application_result(project),
        "application_reviews": review.application_reviews(project) if staff else [],
        "discussion_items": project.discussion_items.select_related("discussion")
        if _reads_decisions(request, project)
        else [],
        "project_type_id": ContentType.objects.get_for_model(Project).pk,
    }
    template = "projects/_application_panel.html" if request.htmx else "projects/project_application.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def five_fixed(request: AuthedRequest, pk: int) -> HttpResponse:
    project = _visible_project(request, pk)
    if not (is_project_owner(request.user, project) or request.user.has_perm("projects.manage_project", project)):
        raise PermissionDenied
    initial = {"lead_leader": project.lead_leader, "responsible": project.responsible}
    form = forms.FiveFixedForm(request.POST or None, initial=initial, organization=project.organization)
    team = forms.TeamFormSet(request.POST or None, prefix="team", initial=list(project.team.values("name", "role")))
    plan_editable = project.status == ProjectStatus.APPROVED
    plan = forms.MilestoneFormSet(request.POST or None, prefix="ms", initial=_rows(project, "milestones"))
    valid = [form.is_valid(), team.is_valid()] + ([plan.is_valid()] if plan_editable else [])
    if request.method == "POST" and all(valid):
        try:
            services.five_fixed_save(
                actor=request.user,
                project=project,
                lead_leader=form.cleaned_data["lead_leader"],
                responsible=form.cleaned_data["responsible"],
                team=forms.filled_rows(team, ("name", "role")),
                milestones=forms.filled_rows(plan, ("title", "due_date")) if plan_editable else None,
            )
        except (TransitionError, PermissionDenied) as error:
            _refused(form, error)
        else:
            project.refresh_from_db()
            missing = steps.five_fixed_missing(project)
            if missing:
                messages.warning(request, _("已保存。请补充五定信息：%(m)s") % {"m": " ".join(missing)})
            else:
                messages.success(request, _("五定信息已齐全，可以启动实施。"))
            return HttpResponseRedirect(project.get_absolute_url())
    context = {
        "project": project,
        "form": form,
        "team": team,
        "plan": plan if plan_editable else None,
        "missing": steps.five_fixed_missing(project),
    }
    return render(request, "projects/five_fixed.html", context)


@login_required
@require_POST
def report_schedule(request: AuthedRequest, pk: int) -> HttpResponse:
    project = _staff_project(request, pk)
    form = forms.ReportScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.report_schedule_set(
                actor=request.user, project=project, interval_days=form.cleaned_data["interval_days"]
            )
            messages.success(request, _("报告周期已更新。"))
        except TransitionError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return HttpResponseRedirect(project.get_absolute_url() + "#reports")


@login_required
@require_POST
def milestone_assess(request: AuthedRequest, pk: int, milestone_pk: int) -> HttpResponse:
    project = _staff_project(request, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, project=project)
    form = forms.MilestoneAssessForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_assess(actor=request.user, milestone=milestone, status=form.cleaned_data["status"])
            messages.success(request, _("里程碑完成情况已记录。"))
        except TransitionError as error:
            messages.error(request, str(error))
    return HttpResponseRedirect(project.get_absolute_url() + "#plan")


@login_required
def report_detail(request: AuthedRequest, pk: int, report_pk: int) -> HttpResponse:
    project = _visible_project(request, pk)
    report = get_object_or_404(
        ProgressReport.objects.prefetch_related("actuals__indicator"), pk=report_pk, project=project
    )
    may_submit = "submit" in {t.name for t in REPORT.available(request.user, report)}
    indicators = project.indicators.filter(is_custom=False)
    initial = {"content": report.content} | {f"actual_{a.indicator_id}": a.value for a in report.actuals.all()}
    form = forms.ProgressReportForm(request.POST or None, request.FILES or None, initial=initial, indicators=indicators)
    if request.method == "POST" and may_submit and form.is_valid():
        try:
            services.report_submit(
                actor=request.user,
                report=report,
                content=form.cleaned_data["content"],
                actuals=form.actuals(),
                files=form.cleaned_data["evidence"],
            )
        except (TransitionError, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, _("进展报告已提交，等待审核。"))
            return HttpResponseRedirect(project.get_absolute_url() + "#reports")
    context = {"project": project, "report": report, "form": form if may_submit else None}
    return render(request, "projects/report_detail.html", context)


@login_required
def change_new(request: AuthedRequest, pk: int) -> HttpResponse:
    project = _visible_project(request, pk)
    form = forms.ChangeRequestForm(request.POST or None, project=project)
    plan, team = forms.change_tables(request.POST or None, project)
    if request.method == "POST" and all([form.is_valid(), plan.is_valid(), team.is_valid()]):
        data = form.cleaned_data
        try:
            services.change_request_create(
                actor=request.user,
                project=project,
                reason=data["reason"],
                start_date=data["new_start_date"],
                end_date=data["new_end_date"],
                budget=data["new_budget"],
                responsible=data["new_responsible"],
                targets=form.targets(),
                milestones=forms.filled_rows(plan, ("title", "due_date")),
                team=forms.filled_rows(team, ("name", "role")),
            )
        except (TransitionError, ValidationError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, _("调整申请已提交，等待审批。"))
            return HttpResponseRedirect(project.get_absolute_url() + "#changes")
    context = {"project": project, "form": form, "plan": plan, "team": team}
    return render(request, "projects/change_form.html", context)


# ---- acceptance ---------------------------------------------------------------------------------


@login_required
def acceptance_new(request: AuthedRequest, pk: int) -> HttpResponse:
    project = _staff_project(request, pk)
    initial = {"checklist": "\n".join(str(item) for item in services.DEFAULT_CHECKLIST)}
    form = forms.AcceptanceScheduleForm(request.POST or None, initial=initial, organization=project.organization)
    if request.method == "POST" and form.is_valid():
        try:
            acceptance = services.acceptance_schedule(
                actor=request.user,
                project=project,
                scheduled_on=form.cleaned_data["scheduled_on"],
                panel=form.cleaned_data["panel"],
                checklist=form.checklist_items(),
            )
        except TransitionError as error:
            _refused(form, error)
        else:
            messages.success(request, _("验收已安排，已通知相关人员。"))
            return HttpResponseRedirect(acceptance.get_absolute_url())
    return render(request, "projects/acceptance_new.html", {"project": project, "form": form})


def _acceptance_of(request: AuthedRequest, pk: int, acceptance_pk: int) -> tuple[Project, Acceptance]:
    project = _visible_project(request, pk)
    acceptance = get_object_or_404(Acceptance.objects.prefetch_related("panel"), pk=acceptance_pk, project=project)
    if not request.user.has_perm("projects.view_acceptance", acceptance):
        raise Http404
    return project, acceptance


def _acceptance_maxima(acceptance: Acceptance) -> tuple[dict[str, Decimal], str]:
    """Each part's maximum score, and what is wrong with the committee's acceptance rubric ("" if nothing)."""
    try:
        return review.acceptance_maxima(acceptance), ""
    except TransitionError as error:
        return {}, str(error)


def _record_form(
    acceptance: Acceptance, maxima: dict[str, Decimal], request: AuthedRequest | None = None
) -> forms.AcceptanceRecordForm:
    """The 听、看、查、问 form, bound to the request's data when one is given."""
    initial = {name: getattr(acceptance, name) for name in forms.AcceptanceRecordForm.RECORD_FIELDS}
    return forms.AcceptanceRecordForm(
        request.POST if request else None,
        request.FILES if request else None,
        initial=initial,
        maxima=maxima,
        check_items=acceptance.check_items.all(),
    )


def _acceptance_page(
    request: AuthedRequest,
    project: Project,
    acceptance: Acceptance,
    *,
    record_form: forms.AcceptanceRecordForm | None = None,
    conclude_form: forms.AcceptanceConcludeForm | None = None,
) -> HttpResponse:
    """The acceptance page, with the forms its reader may fill in while it is open (a refused one as it was
    sent, with its errors). Without a usable acceptance rubric there are no forms, only what is wrong."""
    maxima, rubric_problem = _acceptance_maxima(acceptance)
    if rubric_problem:
        record_form = conclude_form = None
    elif acceptance.status == AcceptanceStatus.SCHEDULED:
        if record_form is None and request.user.has_perm("projects.record_acceptance", acceptance):
            record_form = _record_form(acceptance, maxima)
        if conclude_form is None and "conclude" in {t.name for t in ACCEPTANCE.available(request.user, acceptance)}:
            conclude_form = forms.AcceptanceConcludeForm()
    survey_url = request.build_absolute_uri(reverse("projects:survey", args=[acceptance.survey_token]))
    context = {
        "project": project,
        "acceptance": acceptance,
        "record_form": record_form,
        "conclude_form": conclude_form,
        "rubric_problem": rubric_problem,
        "maxima": maxima,
        "survey": selectors.satisfaction_counts(acceptance),
        "survey_url": survey_url,
        "survey_qr": segno.make(survey_url, error="m").svg_inline(scale=4, title=_("问卷二维码")),
        "check_items": acceptance.check_items.all(),
    }
    return render(request, "projects/acceptance_detail.html", context)


@login_required
def acceptance_detail(request: AuthedRequest, pk: int, acceptance_pk: int) -> HttpResponse:
    """The acceptance page: the record of 一听、二看、三查、四问 (kept here by the panel and staff while the
    acceptance is open), the residents' survey, and the conclusion's form (`acceptance_conclude`)."""
    project, acceptance = _acceptance_of(request, pk, acceptance_pk)
    record_form = None
    if request.method == "POST":
        if not request.user.has_perm("projects.record_acceptance", acceptance):
            raise PermissionDenied
        maxima, rubric_problem = _acceptance_maxima(acceptance)
        record_form = None if rubric_problem else _record_form(acceptance, maxima, request)
        if record_form is not None and record_form.is_valid():
            try:
                services.acceptance_record(
                    actor=request.user,
                    acceptance=acceptance,
                    fields=record_form.record_fields(),
                    checks=record_form.checks(),
                    photos=record_form.cleaned_data["look_photos"],
                )
            except (TransitionError, ValidationError) as error:
                _refused(record_form, error)
            else:
                messages.success(request, _("验收记录已保存。"))
                return HttpResponseRedirect(acceptance.get_absolute_url())
    return _acceptance_page(request, project, acceptance, record_form=record_form)


@login_required
@require_POST
def acceptance_conclude(request: AuthedRequest, pk: int, acceptance_pk: int) -> HttpResponse:
    """The acceptance's conclusion (staff), from the form on the acceptance page: shown there again when refused."""
    project, acceptance = _acceptance_of(request, pk, acceptance_pk)
    if not request.user.has_perm("projects.manage_project", project):
        raise PermissionDenied
    form = forms.AcceptanceConcludeForm(request.POST)
    if form.is_valid():
        try:
            services.acceptance_conclude(
                actor=request.user,
                acceptance=acceptance,
                conclusion=form.cleaned_data["conclusion"],
                note=form.cleaned_data["note"],
            )
        except TransitionError as error:
            _refused(form, error)
        else:
            messages.success(request, _("验收结论已作出。"))
            return HttpResponseRedirect(acceptance.get_absolute_url())
    return _acceptance_page(request, project, acceptance, conclude_form=form)


def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The residents' satisfaction survey: public, phone first, one answer per mobile number."""
    acceptance = get_object_or_404(Acceptance.objects.select_related("project__organization"), survey_token=token)
    form = forms.SurveyForm(request.POST or None)
    done = False
    if request.method == "POST":
        if rate_limited(request, "project-survey", limit=20, window=3600):
            form.add_error(None, _("提交过于频繁，请稍后再试。"))
        elif form.is_valid():
            try:
                services.survey_answer(
                    acceptance=acceptance,
                    mobile=form.cleaned_data["mobile"],
                    satisfaction=form.cleaned_data["satisfaction"],
                    comment=form.cleaned_data["comment"],
                )
            except TransitionError as error:
                form.add_error("mobile" if "手机号" in str(error) else None, str(error))
            else:
                done = True
    context = {"acceptance": acceptance, "project": acceptance.project, "form": form, "done": done}
    return render(request, "projects/survey.html", context)


# ---- conclusion and promotion -------------------------------------------------------------------


@login_required
def conclude(request: AuthedRequest, pk: int) -> HttpResponse:
    project = _staff_project(request, pk)
    indicators = project.indicators.filter(is_custom=False)
    form = forms.ConcludeForm(request.POST or None, indicators=indicators)
    custom = forms.CustomIndicatorFormSet(request.POST or None, prefix="custom")
    if request.method == "POST" and form.is_valid() and custom.is_valid():
        try:
            services.project_conclude(
                actor=request.user,
                project=project,
                summary=form.cleaned_data["summary"],
                counters=form.counters(),
                actuals=form.actuals(),
                custom_indicators=forms.filled_rows(custom, ("name", "unit", "target", "actual")),
            )
        except TransitionError as error:
            _refused(form, error)
        else:
            messages.success(request, _("项目已结题。"))
            return HttpResponseRedirect(project.get_absolute_url())
    problem = steps.conclude_problem(project) if project.status == ProjectStatus.ACCEPTANCE else _("项目不在验收阶段。")
    context = {"project": project, "form": form, "custom": custom, "problem": problem}
    return render(request, "projects/conclude.html", context)


@login_required
def promotion(request: AuthedRequest, pk: int) -> HttpResponse:
    project = _staff_project(request, pk)
    existing = getattr(project, "promotion", None)
    form = forms.PromotionForm(
        request.POST if request.POST.get("action") == "summary" else None,
        initial={"summary": existing.summary if existing else ""},
    )
    adoption_form = forms.AdoptionForm(
        request.POST if request.POST.get("action") == "adopt" else None,
        root=committee_of(project.organization),
    )
    # Publishing to the public site is asked once more, saying what will happen.
    confirming = existing is None and request.POST.get("confirmed") != "1"
    if request.method == "POST":
        try:
            if request.POST.get("action") == "summary" and form.is_valid() and not confirming:
                services.promotion_save(actor=request.user, project=project, summary=form.cleaned_data["summary"])
                messages.success(request, _("经验总结已保存，项目已列入推广。"))
                return HttpResponseRedirect(request.path)
            if request.POST.get("action") == "adopt" and existing and adoption_form.is_valid():
                services.adoption_add(actor=request.user, promotion=existing, **adoption_form.cleaned_data)
                messages.success(request, _("采纳组织已登记。"))
                return HttpResponseRedirect(request.path)
        except TransitionError as error:
            _refused(form if request.POST.get("action") == "summary" else adoption_form, error)
    adoptions = existing.adoptions.select_related("organization") if existing else []
    context = {
        "project": project,
        "promotion": existing,
        "form": form,
        "adoption_form": adoption_form,
        "adoptions": adoptions,
        "confirming": confirming and form.is_bound and form.is_valid(),
    }
    return render(request, "projects/promotion.html", context)
