import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projectize.core.exports import xlsx_response
from projectize.core.forms import save_through
from projectize.core.jobs import defer_download
from projectize.core.typing import AuthedRequest
from projectize.orgs.models import COMMITTEE_KINDS, Organization, Role
from projectize.orgs.permissions import scope_q
from projectize.orgs.selectors import committees_run_by, first_committee
from projectize.projects import selectors as project_selectors
from projectize.projects.models import Project
from projectize.supervision import selectors, services
from projectize.supervision.forms import (
    ActivityForm,
    AnalysisForm,
    AnswerForm,
    FindingForm,
    FollowUpForm,
    GuidanceForm,
    LetterForm,
    LetterItemForm,
    RecordForm,
    RuleForm,
    WarningFilterForm,
)
from projectize.supervision.models import (
    Activity,
    ActivityKind,
    Analysis,
    Finding,
    FollowUpKind,
    Letter,
    LetterItem,
    LetterStatus,
    ProjectWarningLevel,
    WarningRule,
)
from projectize.supervision.workflows import LETTER

PAGE_SIZE = 30


def _committee(request: AuthedRequest) -> Organization:
    """The committee the user supervises for: where they are its staff or (as granted) its leader. A
    district's leaders read the towns' supervision but record none of it."""
    user = request.user
    serving = scope_q(user, (Role.TOWN_ADMIN,), field="") | scope_q(user, (Role.LEADER,), field="", implied=False)
    committee = first_committee(user, Organization.objects.filter(serving, kind__in=COMMITTEE_KINDS))
    if committee is None:
        raise PermissionDenied
    return committee


def _issuer(request: AuthedRequest, project: Project) -> Organization:
    """The committee a letter about `project` comes from: the nearest above it that the user runs (a town
    writes to its own organizations, a district to the town committee)."""
    committees = [c for c in committees_run_by(request.user) if project.organization.path.startswith(c.path)]
    if not committees:
        raise PermissionDenied
    return committees[-1]


def _require_perm(request: AuthedRequest, perm: str, obj: Any = None) -> None:
    """Objects the user may not see answer 404, as if they did not exist."""
    if not request.user.has_perm(perm, obj):
        raise Http404


# --- Activities ----------------------------------------------------------------------------------


@login_required
def activity_list(request: AuthedRequest) -> HttpResponseBase:
    _require_perm(request, "supervision.view_supervision")
    kind = request.GET.get("kind", "")
    activities = selectors.activity_list(request.user, kind=kind if kind in ActivityKind.values else "")
    if request.GET.get("export") == "xlsx":
        rows = ((a.date, a.get_kind_display(), a.title, a.location, a.summary) for a in activities.iterator())
        headers = [_("日期"), _("形式"), _("主题"), _("地点"), _("总体情况")]
        return xlsx_response("activities.xlsx", [(_("督查活动"), headers, rows)])
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "supervision/activity_list.html", {"page": page, "kinds": ActivityKind.choices, "kind": kind}
    )


@login_required
def activity_calendar(request: AuthedRequest) -> HttpResponse:
    _require_perm(request, "supervision.view_supervision")
    try:
        month = datetime.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        month = timezone.localdate().replace(day=1)
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    context = {
        "month": month,
        "weeks": selectors.month_calendar(request.user, month),
        "previous": previous,
        "following": following,
        "today": timezone.localdate(),
        "weekdays": [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")],
    }
    return render(request, "supervision/activity_calendar.html", context)


@login_required
def activity_create(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("supervision.add_activity"):
        raise PermissionDenied
    committee = _committee(request)
    form = ActivityForm(request.POST or None, request.FILES or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        activity = save_through(
            form, lambda: services.activity_create(organization=committee, actor=request.user, **form.cleaned_data)
        )
        if activity is not None:
            messages.success(request, _("督查活动已记录。下一步：逐个项目记录发现的情况。"))
            return HttpResponseRedirect(activity.get_absolute_url())
    return render(request, "supervision/form.html", {"form": form, "title": _("记录督查活动"), "multipart": True})


@login_required
def activity_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.select_related("organization", "created_by"), pk=pk)
    _require_perm(request, "supervision.view_activity", activity)
    can_change = request.user.has_perm("supervision.change_activity", activity)
    form = FindingForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid() and save_through(
            form, lambda: services.finding_add(activity=activity, actor=request.user, **form.cleaned_data)
        ):
            messages.success(request, _("督查发现已记录。"))
            return HttpResponseRedirect(activity.get_absolute_url())
    findings = activity.findings.select_related("project__organization")
    context = {
        "activity": activity,
        "findings": findings,
        "participants": activity.participants.all(),
        "form": form,
        "can_change": can_change,
        "can_write_letters": request.user.has_perm("supervision.change_letter", activity),
    }
    return render(request, "supervision/activity_detail.html", context)


# --- Per-project records -------------------------------------------------------------------------


def _project(request: AuthedRequest, project_pk: int, perm: str) -> Project:
    project = get_object_or_404(project_selectors.projects_with_organization(), pk=project_pk)
    _require_perm(request, perm, project)
    return project


@login_required
def project_record(request: AuthedRequest, project_pk: int) -> HttpResponse:
    """Everything supervision holds about one project: findings, analyses, guidance, letters, warnings."""
    project = _project(request, project_pk, "supervision.view_project_record")
    letters = selectors.letters_visible_to(request.user).filter(project=project)
    context = {
        "project": project,
        "findings": Finding.objects.filter(project=project).select_related("activity").order_by("-activity__date"),
        "analyses": project.analyses.select_related("author"),
        "notes": project.guidance_notes.select_related("author"),
        "letters": selectors.with_overdue(letters.select_related("organization")),
        "warnings": selectors.warning_list(request.user).filter(project=project),
        "is_supervisor": request.user.has_perm("supervision.change_letter", project),
        "can_guide": request.user.has_perm("supervision.guide_project", project),
        "is_reader": request.user.has_perm("supervision.view_activity", project),
    }
    return render(request, "supervision/project_record.html", context)


@login_required
def analysis_create(request: AuthedRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk, "supervision.guide_project")
    form = AnalysisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        analysis = save_through(
            form, lambda: services.analysis_create(project=project, actor=request.user, **form.cleaned_data)
        )
        if analysis is not None:
            messages.success(request, _("剖析已记录，并已告知项目所在组织。"))
            return HttpResponseRedirect(analysis.get_absolute_url())
    title = _("手术式剖析：%(project)s") % {"project": project}
    return render(request, "supervision/form.html", {"form": form, "title": title, "project": project})


@login_required
def analysis_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    analysis = get_object_or_404(Analysis.objects.select_related("project__organization", "author"), pk=pk)
    _require_perm(request, "supervision.view_analysis", analysis)
    return render(request, "supervision/analysis_detail.html", {"analysis": analysis, "project": analysis.project})


@login_required
def guidance_create(request: AuthedRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk, "supervision.guide_project")
    form = GuidanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = save_through(
            form, lambda: services.guidance_create(project=project, actor=request.user, **form.cleaned_data)
        )
        if note is not None:
            messages.success(request, _("指导意见已发给项目所在组织。"))
            return HttpResponseRedirect(reverse("supervision:project_record", args=[project.pk]))
    title = _("指导意见：%(project)s") % {"project": project}
    return render(request, "supervision/form.html", {"form": form, "title": title, "project": project})


# --- Letters -------------------------------------------------------------------------------------


@login_required
def letter_list(request: AuthedRequest) -> HttpResponseBase:
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    letters = selectors.letter_list(
        request.user,
        status=status if status in LetterStatus.values else "",
        overdue=overdue,
        query=request.GET.get("q", "").strip(),
    )
    if request.GET.get("export") == "xlsx":
        counted: Any = letters  # annotated by the selector with accepted_count and item_count
        rows = (
            (x.number, x.title, x.organization, x.issued_on, x.accepted_count, x.item_count, x.get_status_display())
            for x in counted.iterator()
        )
        headers = [_("文号"), _("标题"), _("受函组织"), _("发函日期"), _("已通过事项"), _("整改事项"), _("状态")]
        return xlsx_response("letters.xlsx", [(_("反馈函"), headers, rows)])
    page = Paginator(letters, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "statuses": LetterStatus.choices,
        "status": status,
        "overdue": overdue,
        "can_write": request.user.has_perm("supervision.manage_supervision"),
    }
    return render(request, "supervision/letter_list.html", context)


@login_required
def letter_create(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("supervision.manage_supervision"):
        raise PermissionDenied
    initial: dict[str, Any] = {}
    finding = None
    if request.GET.get("finding", "").isdigit():
        finding = Finding.objects.select_related("project", "activity").filter(pk=request.GET["finding"]).first()
    if finding is not None and request.user.has_perm("supervision.view_activity", finding.activity):
        initial = {
            "project": finding.project_id,
            "title": _("关于%(title)s项目督查情况的反馈函") % {"title": finding.project.title},
            "body": _(
                "%(date)s，镇党委在%(kind)s中发现：%(text)s 现将有关问题反馈如下，请认真整改，并在期限内书面回复。"
            )
            % {"date": finding.activity.date, "kind": finding.activity.get_kind_display(), "text": finding.text},
        }
    if not initial and request.GET.get("project", "").isdigit():
        initial = {"project": int(request.GET["project"])}
    form = LetterForm(request.POST or None, user=request.user, initial=initial)
    committee = first_committee(request.user, committees_run_by(request.user))
    if committee is None:
        raise PermissionDenied
    form.initial.setdefault("number_prefix", services.default_prefix(committee))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        letter = save_through(
            form,
            lambda: services.letter_create(
                project=data["project"],
                issuer=_issuer(request, data["project"]),
                title=data["title"],
                body=data["body"],
                prefix=data["number_prefix"],
                actor=request.user,
                activity=finding.activity if finding is not None else None,
            ),
        )
        if letter is not None:
            messages.success(request, _("函件草稿已保存。下一步：逐条列出问题、整改要求和期限。"))
            return HttpResponseRedirect(letter.get_absolute_url())
    return render(request, "supervision/form.html", {"form": form, "title": _("起草反馈函")})


def _letter(request: AuthedRequest, pk: int) -> Letter:
    letter = get_object_or_404(
        Letter.objects.select_related("organization", "issuer", "project", "responsible", "acknowledged_by"), pk=pk
    )
    _require_perm(request, "supervision.view_letter", letter)
    return letter


@login_required
def letter_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    item_form = LetterItemForm(request.POST or None)
    can_edit = request.user.has_perm("supervision.change_letter", letter)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if item_form.is_valid() and save_through(
            item_form, lambda: services.letter_item_add(letter=letter, actor=request.user, **item_form.cleaned_data)
        ):
            messages.success(request, _("已添加一项问题。"))
            return HttpResponseRedirect(letter.get_absolute_url())
    items = list(letter.items.select_related("answered_by", "verified_by"))
    context = {
        "letter": letter,
        "items": items,
        "item_form": item_form,
        "can_edit": can_edit,
        "is_overdue": LETTER.in_group(letter, "open") and any(item.is_overdue for item in items),
    }
    return render(request, "supervision/letter_detail.html", context)


def letter_pdf_bytes(letter: Letter) -> bytes:
    from weasyprint import HTML

    html = render_to_string("supervision/letter_pdf.html", {"letter": letter, "items": letter.items.all()})
    return HTML(string=html).write_pdf()


@login_required
def letter_pdf(request: AuthedRequest, pk: int) -> HttpResponseBase:
    letter = _letter(request, pk)
    if deferred := defer_download(request, title=_("反馈函 %(title)s PDF") % {"title": letter}):
        return deferred
    response = HttpResponse(letter_pdf_bytes(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letter-{letter.pk}.pdf"'
    return response


@login_required
def item_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(LetterItem.objects.select_related("letter__organization", "letter__project"), pk=pk)
    letter = _letter(request, item.letter_id)
    if not request.user.has_perm("supervision.answer_letter", letter):
        raise PermissionDenied(_("只有受函组织可以回复整改情况。"))
    form = AnswerForm(request.POST or None, request.FILES or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_through(form, lambda: services.item_answer(item=item, actor=request.user, **form.cleaned_data))
    ):
        messages.success(request, _("整改情况已提交，等待镇党委核查。"))
        return HttpResponseRedirect(letter.get_absolute_url())
    context = {"form": form, "title": _("回复整改情况"), "item": item, "letter": letter, "multipart": True}
    return render(request, "supervision/form.html", context)


# --- Accountability ------------------------------------------------------------------------------


@login_required
def warning_list(request: AuthedRequest) -> HttpResponseBase:
    level = request.GET.get("level", "")
    warnings = selectors.warning_list(request.user, level=level if level in ProjectWarningLevel.values else "")
    form = WarningFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        warnings = warnings.none()
    else:
        if form.cleaned_data["organization"]:
            warnings = warnings.filter(organization__path__startswith=form.cleaned_data["organization"].path)
        if form.cleaned_data["year"]:
            warnings = warnings.filter(raised_on__year=form.cleaned_data["year"])
    if request.GET.get("export") == "xlsx":
        rows = (
            (w.raised_on, w.get_level_display(), w.organization, w.message, w.rule.get_kind_display())
            for w in warnings.iterator()
        )
        headers = [_("预警日期"), _("预警等级"), _("组织"), _("说明"), _("规则")]
        return xlsx_response("warnings.xlsx", [(_("预警"), headers, rows)])
    page = Paginator(warnings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "levels": ProjectWarningLevel.choices,
        "level": level,
        "can_manage": request.user.has_perm("supervision.manage_supervision"),
    }
    return render(request, "supervision/warning_list.html", context)


@login_required
def rules(request: AuthedRequest) -> HttpResponse:
    committee = _committee(request)
    form = RuleForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_through(
            form, lambda: services.rule_save(organization=committee, actor=request.user, **form.cleaned_data)
        )
    ):
        messages.success(request, _("预警规则已保存。"))
        return HttpResponseRedirect(request.path)
    context = {"rules": WarningRule.objects.filter(organization=committee), "form": form, "committee": committee}
    return render(request, "supervision/rules.html", context)


@login_required
@require_POST
def evaluate_now(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("supervision.manage_supervision"):
        raise PermissionDenied
    raised = services.warnings_evaluate(committees=committees_run_by(request.user))
    messages.success(request, _("已按规则检查，新发出 %(n)s 条预警。") % {"n": len(raised)})
    return HttpResponseRedirect(reverse("supervision:warning_list"))


@login_required
def record_list(request: AuthedRequest) -> HttpResponseBase:
    records = selectors.record_list(request.user)
    if request.GET.get("export") == "xlsx":
        rows = (
            (r.date, r.organization, r.person, r.get_measure_display(), r.reason, r.project) for r in records.iterator()
        )
        headers = [_("问责日期"), _("被问责组织"), _("被问责人"), _("问责方式"), _("问责事由"), _("相关项目")]
        return xlsx_response("accountability.xlsx", [(_("问责记录"), headers, rows)])
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/record_list.html",
        {"page": page, "can_manage": request.user.has_perm("supervision.manage_supervision")},
    )


@login_required
def record_create(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("supervision.manage_supervision"):
        raise PermissionDenied
    form = RecordForm(request.POST or None, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_through(form, lambda: services.accountability_record(actor=request.user, **form.cleaned_data))
    ):
        messages.success(request, _("问责记录已保存。"))
        return HttpResponseRedirect(reverse("supervision:record_list"))
    return render(request, "supervision/form.html", {"form": form, "title": _("记录问责")})


@login_required
@require_POST
def follow_up(request: AuthedRequest, project_pk: int) -> HttpResponse:
    """催办 or 督办 one overdue item from the 督办 list; back to the list with what was done."""
    project = _project(request, project_pk, "supervision.change_letter")
    form = FollowUpForm(request.POST)
    back = request.POST.get("next", "")
    back = back if url_has_allowed_host_and_scheme(back, {request.get_host()}) else reverse("projects:overdue")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(back)
    try:
        done = services.follow_up(project=project, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if done.kind == FollowUpKind.REMIND:
            messages.success(request, _("已向“%(project)s”的书记、联络员和责任人发出催办。") % {"project": project})
        else:
            messages.success(request, _("已记录对“%(project)s”的督办。") % {"project": project})
    return HttpResponseRedirect(back)


@login_required
def record_people(request: AuthedRequest) -> HttpResponse:
    """The person drop-down's options for the organization and project chosen on the 问责 form."""
    if not request.user.has_perm("supervision.manage_supervision"):
        raise PermissionDenied
    form = RecordForm(request.GET, user=request.user)
    return render(request, "supervision/_person_options.html", {"field": form["person"]})


@login_required
def summary(request: AuthedRequest, org_pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=org_pk)
    _require_perm(request, "supervision.view_summary", organization)
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else timezone.localdate().year
    context = {
        "summary": selectors.accountability_summary(organization, year),
        "warnings": selectors.warning_list(request.user, organization=organization).filter(raised_on__year=year),
        "records": selectors.record_list(request.user).filter(organization=organization, date__year=year),
        "year": year,
    }
    return render(request, "supervision/summary.html", context)
