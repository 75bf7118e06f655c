from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projectize.claims import selectors, services
from projectize.claims.forms import (
    RESOURCES_ERROR_FIELD,
    AnswerForm,
    ClaimFilterForm,
    ClaimForm,
    DecideForm,
    ObjectionForm,
    ReviewersForm,
    resource_field,
)
from projectize.claims.models import Claim, ClaimStatus, Objection, ObjectionStatus
from projectize.core.exports import xlsx_response
from projectize.core.pagecache import cached_page
from projectize.core.pagination import paginate
from projectize.core.ratelimit import rate_limited
from projectize.core.typing import AuthedRequest
from projectize.core.workflow import TransitionError
from projectize.needs import selectors as need_selectors
from projectize.orgs.sites import site_reverse, subtree
from projectize.programmes import selectors as programme_selectors
from projectize.programmes.models import Target, TargetStatus

OBJECTION_POSTS = (5, 600)
PAGE_SIZE = 30


def _errors(form: Any, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


def _claim(request: AuthedRequest, pk: int, perm: str = "claims.view_claim") -> Claim:
    claim = get_object_or_404(
        Claim.objects.select_related("target__programme__organization", "target__section", "organization", "contact"),
        pk=pk,
    )
    if not request.user.has_perm(perm, claim):
        raise Http404
    return claim


def _staff_target(request: AuthedRequest, pk: int, perm: str = "programmes.view_target") -> Target:
    """A target of the programmes the user follows; `perm` "programmes.change_target" for the committee's steps
    (the predicate the target's table admits them by)."""
    target = get_object_or_404(
        programme_selectors.targets_with_programme().select_related("programme__organization"), pk=pk
    )
    if not request.user.has_perm(perm, target):
        raise Http404
    return target


def _step(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    """Run one service step; show its refusal as a message. Returns whether it succeeded."""
    try:
        action()
    except (TransitionError, ValidationError) as error:
        text = "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
        return False
    messages.success(request, success)
    return True


# Claiming units.


@login_required
def my_claims(request: AuthedRequest) -> HttpResponseBase:
    if not request.user.has_perm("claims.claim_targets"):
        raise PermissionDenied
    claims = selectors.claims_of_contact(request.user).order_by("-created_at", "-id")
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                c.target.title,
                str(c.target.programme),
                c.organization.name,
                c.get_status_display(),
                c.target.deadline,
                c.submitted_at,
                c.project.code if c.project else "",
            )
            for c in claims.iterator()
        )
        headers = [_("标的"), _("品牌项目"), _("认领单位"), _("状态"), _("认领截止"), _("提交时间"), _("项目编号")]
        return xlsx_response("my-claims.xlsx", [(_("我的认领"), headers, rows)])
    page = paginate(request, claims, PAGE_SIZE)
    targets = list(
        selectors.open_targets_for_contact(request.user)
        .filter(deadline_q())
        .order_by("programme", "section__order", "order")[:50]
    )
    mine = selectors.claims_by_target(request.user, [t.pk for t in targets])
    for target in targets:
        target.my_claim = mine.get(target.pk)  # type: ignore[attr-defined]
    return render(request, "claims/my_claims.html", {"page": page, "targets": targets})


def deadline_q() -> Q:
    """Targets whose claim window is still open (a re-published target has its own deadline)."""
    now = timezone.now()
    return Q(claim_deadline__gt=now) | Q(claim_deadline__isnull=True, programme__claim_closes__gt=now)


@login_required
def claim_edit(request: AuthedRequest, target_pk: int | None = None, pk: int | None = None) -> HttpResponse:
    """The claim form. A unit that already claimed the target is shown its claim, not a blank form."""
    if not request.user.has_perm("claims.claim_targets"):
        raise PermissionDenied
    claim = _claim(request, pk, "claims.change_claim") if pk else None
    target = claim.target if claim else get_object_or_404(programme_selectors.targets_with_programme(), pk=target_pk)
    units = selectors.contact_units(request.user)
    if claim is None:
        existing = selectors.live_claims_of_contact(request.user, target)
        units = units.exclude(pk__in=[c.organization_id for c in existing])
        if existing and not units.exists():
            mine = existing[0]
            messages.info(request, _("本单位已认领该标的，以下是您的认领。"))
            return redirect("claims:edit" if mine.is_editable else "claims:detail", pk=mine.pk)
    elif not claim.is_editable:
        messages.info(request, _("这份认领现在不能修改。"))
        return redirect(claim)
    initial: dict[str, Any] = {}
    if claim is not None:
        initial = {f: getattr(claim, f) for f in ("organization", "plan", "reasons", "team", "timeline")}
        initial.update({resource_field(r.kind): r.description for r in claim.resources.all()})
    # 保存草稿 keeps whatever is written; 提交认领 (and changing a submitted claim) needs every part.
    submitting = "submit" in request.POST or (claim is not None and claim.status == ClaimStatus.SUBMITTED)
    form = ClaimForm(request.POST or None, request.FILES or None, units=units, initial=initial, submitting=submitting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.claim_save(
                actor=request.user,
                target=target,
                organization=data["organization"],
                plan=data["plan"],
                reasons=data["reasons"],
                team=data["team"],
                timeline=data["timeline"],
                resources=form.resources(),
                files=data["attachments"],
                claim=claim,
                submit="submit" in request.POST,
            )
        except ValidationError as error:
            _claim_errors(form, error)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            if "submit" in request.POST:
                messages.success(request, _("认领已提交。截止前仍可修改或撤回。"))
            elif saved.status == ClaimStatus.SUBMITTED:
                messages.success(request, _("修改已保存，认领仍为已提交。"))
            else:
                messages.success(request, _("草稿已保存。截止前请提交。"))
            return redirect(saved)
    return render(
        request,
        "claims/form.html",
        {
            "form": form,
            "target": target,
            "claim": claim,
            "open_now": target.is_open_for_claims,
            # A submitted claim is being changed: it stays submitted.
            "amending": claim is not None and claim.status == ClaimStatus.SUBMITTED,
        },
    )


def _claim_errors(form: ClaimForm, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        field = RESOURCES_ERROR_FIELD if name == "resources" else name
        form.add_error(field if field in form.fields else None, problems)


@login_required
@cached_page
def claim_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    return render(
        request,
        "claims/detail.html",
        {
            "claim": claim,
            "resources": claim.resources.all(),
            "can_change": request.user.has_perm("claims.change_claim", claim),
            "can_decide": request.user.has_perm("claims.decide_claim", claim),
        },
    )


# The committee's selection page for one target.


@login_required
def selection(request: AuthedRequest, pk: int) -> HttpResponse:
    target = _staff_target(request, pk)
    ranked, rubric = selectors.ranked_claims(target)
    # One decision form per claim, each with its own field ids.
    decide_forms = {row.claim.pk: DecideForm(prefix=f"claim{row.claim.pk}") for row in ranked}
    context = {
        "target": target,
        "ranked": ranked,
        "rubric": rubric,
        # The committee's steps are admitted by the same predicate as the target's table.
        "can_act": request.user.has_perm("programmes.change_target", target),
        "undecided": sum(1 for r in ranked if r.claim.status == ClaimStatus.SUBMITTED),
        "objections": target.objections.select_related("answered_by"),
        "open_objections": target.objections.filter(status=ObjectionStatus.OPEN).count(),
        "withdrawn": target.claims.exclude(status__in=ClaimStatus.group("made")).select_related("organization"),
        "reviewers_form": ReviewersForm(organization=target.organization),
        "decide_rows": [(row, decide_forms[row.claim.pk]) for row in ranked],
        "answer_form": AnswerForm(),
        "project": next((r.claim.project for r in ranked if r.claim.project_id), None),
    }
    return render(request, "claims/selection.html", context)


@login_required
@require_POST
def reviews_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask reviewers to score the target's claims."""
    target = _staff_target(request, pk, "programmes.change_target")
    form = ReviewersForm(request.POST, organization=target.organization)
    if form.is_valid():
        _step(
            request,
            lambda: services.reviews_open(
                target=target,
                reviewers=form.cleaned_data["reviewers"],
                actor=request.user,
                deadline=form.cleaned_data["deadline"],
            ),
            _("已请评审专家评分。"),
        )
    else:
        messages.error(request, _("请至少选择一位评审专家。"))
    return redirect("claims:selection", pk=target.pk)


@login_required
@require_POST
def claim_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk, "claims.decide_claim")
    form = DecideForm(request.POST, prefix=f"claim{claim.pk}")
    if form.is_valid():
        data = form.cleaned_data
        _step(
            request,
            lambda: services.claim_decide(
                claim=claim, actor=request.user, selected=data["selected"], reason=data["reason"], lead=data["lead"]
            ),
            _("已记录对“%(unit)s”的决定。") % {"unit": claim.organization},
        )
    else:
        messages.error(request, _("请选择“选定”或“不选”，并填写理由。"))
    return redirect("claims:selection", pk=claim.target_id)


@login_required
@require_POST
def objection_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(Objection.objects.select_related("target__programme__organization"), pk=pk)
    if not request.user.has_perm("claims.answer_objection", objection):
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        _step(
            request,
            lambda: services.objection_answer(
                objection=objection,
                actor=request.user,
                upheld=form.cleaned_data["upheld"],
                answer=form.cleaned_data["answer"],
            ),
            _("异议已答复。"),
        )
    else:
        messages.error(request, _("请选择结论并填写答复。"))
    return redirect("claims:selection", pk=objection.target_id)


# Every claim on the user's programmes, and statistics.


@login_required
@cached_page
def claim_list(request: AuthedRequest) -> HttpResponseBase:
    """Claims on the programmes the user follows, filtered in the database, with the number of units
    they come from (the dashboard's "units by kind" opens this list)."""
    if not request.user.has_perm("claims.list_claims"):
        raise PermissionDenied
    form = ClaimFilterForm(request.GET, user=request.user)
    claims = selectors.claims_for_staff(request.user)
    # A wrong filter value shows beside its field; the list then shows nothing rather than too much.
    claims = selectors.filter_claims(claims, **form.cleaned_data) if form.is_valid() else claims.none()
    claims = claims.order_by(*selectors.LIST_ORDER)
    if form.is_valid() and request.GET.get("export") == "xlsx":
        rows = (
            (
                c.target.title,
                str(c.target.programme),
                c.target.section.title,
                c.organization.name,
                c.organization.get_kind_display(),
                c.get_status_display(),
                c.submitted_at,
                c.project.code if c.project else "",
            )
            for c in claims.iterator()
        )
        headers = [
            _("标的"),
            _("品牌项目"),
            _("板块"),
            _("认领单位"),
            _("单位类型"),
            _("状态"),
            _("提交时间"),
            _("项目编号"),
        ]
        return xlsx_response("claims.xlsx", [(_("认领一览"), headers, rows)])
    page = paginate(request, claims, PAGE_SIZE)
    # Past the paginator's cap the number of units is left out rather than counted over every claim.
    units = None if page.paginator.capped else selectors.unit_count(claims)  # type: ignore[attr-defined]
    return render(request, "claims/list.html", {"form": form, "page": page, "unit_count": units})


@login_required
def statistics(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("claims.view_statistics"):
        raise PermissionDenied
    programmes = programme_selectors.programmes_for(request.user).order_by("-year", "id")
    programme_id = request.GET.get("programme", "")
    programme = programmes.filter(pk=programme_id).first() if programme_id.isdigit() else programmes.first()
    needs = need_selectors.needs_in_scope(request.user)
    median = need_selectors.median_first_response(needs)
    context = {
        "programmes": programmes,
        "programme": programme,
        "stats": selectors.programme_statistics(programme) if programme else None,
        "by_category": need_selectors.need_counts(needs, "category__name"),
        "by_channel": need_selectors.labelled_counts(needs, "channel"),
        "by_status": need_selectors.labelled_counts(needs, "status"),
        "need_total": needs.count(),
        "median_response": median,
        "median_response_text": duration_text(median) if median is not None else "",
    }
    return render(request, "claims/statistics.html", context)


def duration_text(value: timedelta) -> str:
    hours = value.total_seconds() / 3600
    if hours < 48:
        return _("%(hours).1f 小时") % {"hours": hours}
    return _("%(days).1f 天") % {"days": hours / 24}


# Public: objections during the notice period.


def public_objection(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(
        programme_selectors.targets_with_programme(),
        pk=pk,
        status=TargetStatus.NOTICE,
        programme__organization__path__startswith=subtree(request),
    )
    form = ObjectionForm(request.POST or None)
    if request.method == "POST":
        if rate_limited(request, "objection", limit=OBJECTION_POSTS[0], window=OBJECTION_POSTS[1]):
            form.add_error(None, _("提交过于频繁，请 10 分钟后再试。"))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.objection_lodge(
                    target=target, content=data["content"], name=data["name"], mobile=data["mobile"]
                )
            except TransitionError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                _errors(form, error)
            else:
                messages.success(request, _("异议已收到。工作人员答复后会在本页公开。"))
                return redirect(site_reverse(request, "programmes:public_target", target.pk))
    selected = target.claims.filter(status=ClaimStatus.SELECTED).select_related("organization")
    return render(request, "claims/public_objection.html", {"target": target, "form": form, "selected": selected})
