from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projectize.core.exports import XLSX_CONTENT_TYPE, write_workbook, xlsx_response
from projectize.core.forms import save_through
from projectize.core.templatetags.projectize import money
from projectize.core.typing import AuthedRequest
from projectize.funds import selectors, services
from projectize.funds.export import allocations_sheet, balances_sheet, disbursements_sheet, ledger_sheets
from projectize.funds.forms import (
    AllocationForm,
    AwardForm,
    BudgetForm,
    BudgetReviseForm,
    DisbursementForm,
    ReasonForm,
    TierForm,
)
from projectize.funds.models import Allocation, Budget, Disbursement, DisbursementStatus, FundKind, SupportTier
from projectize.funds.services import INITIAL_ASSESSMENT
from projectize.orgs.models import Organization
from projectize.orgs.selectors import first_committee


def _committee(request: AuthedRequest) -> Organization:
    """The committee whose funds the page shows: ?org=, else the first the user may read."""
    committees = selectors.committees_of(request.user)
    chosen = request.GET.get("org", "")
    committee = committees.filter(pk=chosen).first() if chosen.isdigit() else first_committee(request.user, committees)
    if committee is None:
        raise Http404
    return committee


def _officer(request: AuthedRequest, committee: Organization) -> None:
    if not request.user.has_perm("funds.change_budget", committee):
        raise PermissionDenied


def _year(request: AuthedRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() else None


@login_required
def overview(request: AuthedRequest) -> HttpResponse:
    committee = _committee(request)
    budgets = list(selectors.fund_balances(committee))
    for budget in budgets:
        budget.growth = selectors.growth_percent(budget.amount, budget.previous)  # type: ignore[attr-defined]
    context = {
        "committee": committee,
        "budgets": budgets,
        "years": selectors.year_totals(committee),
        "is_officer": request.user.has_perm("funds.change_budget", committee),
        "awaiting": selectors.awaiting_approval(request.user).count(),
    }
    return render(request, "funds/overview.html", context)


@login_required
def budget_create(request: AuthedRequest) -> HttpResponse:
    committee = _committee(request)
    _officer(request, committee)
    form = BudgetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        budget = save_through(
            form, lambda: services.budget_create(organization=committee, actor=request.user, **form.cleaned_data)
        )
        if budget is not None:
            messages.success(request, _("预算已设立。"))
            return HttpResponseRedirect(budget.get_absolute_url())
    return render(request, "funds/form.html", {"form": form, "title": _("设立年度预算"), "committee": committee})


@login_required
def budget_detail(request: AuthedRequest, pk: int) -> HttpResponseBase:
    budget = get_object_or_404(Budget.objects.select_related("organization"), pk=pk)
    if not request.user.has_perm("funds.view_budget", budget):
        raise Http404
    form = BudgetReviseForm(request.POST or None, initial={"amount": budget.amount})
    if request.method == "POST":
        _officer(request, budget.organization)
        if form.is_valid() and save_through(
            form, lambda: services.budget_revise(budget=budget, actor=request.user, **form.cleaned_data)
        ):
            messages.success(request, _("预算已调整。"))
            return HttpResponseRedirect(budget.get_absolute_url())
    allocations = selectors.allocation_list(budget.organization).filter(budget=budget)
    if request.method == "GET" and request.GET.get("export") == "xlsx":
        return xlsx_response(f"allocations-{budget.year}-{budget.kind}.xlsx", [allocations_sheet(allocations)])
    page = Paginator(allocations, 30).get_page(request.GET.get("page"))
    context = {
        "budget": budget,
        "page": page,
        "form": form,
        "is_officer": request.user.has_perm("funds.change_budget", budget),
    }
    return render(request, "funds/budget_detail.html", context)


@login_required
def tiers(request: AuthedRequest) -> HttpResponse:
    committee = _committee(request)
    if not request.user.has_perm("funds.view_budget", committee):
        raise Http404
    form = TierForm(request.POST or None)
    if request.method == "POST":
        _officer(request, committee)
        if form.is_valid() and save_through(
            form, lambda: services.tier_save(organization=committee, actor=request.user, **form.cleaned_data)
        ):
            messages.success(request, _("支持档次已保存。"))
            return HttpResponseRedirect(request.get_full_path())
    context = {
        "committee": committee,
        "tiers": SupportTier.objects.filter(organization=committee),
        "form": form,
        "is_officer": request.user.has_perm("funds.change_budget", committee),
    }
    return render(request, "funds/tiers.html", context)


@login_required
def allocation_list(request: AuthedRequest) -> HttpResponseBase:
    committee = _committee(request)
    kind = request.GET.get("kind", "")
    allocations = selectors.allocation_list(
        committee, year=_year(request), kind=kind if kind in FundKind.values else ""
    )
    if request.GET.get("export") == "xlsx":
        return xlsx_response("allocations.xlsx", [allocations_sheet(allocations)])
    page = Paginator(allocations, 30).get_page(request.GET.get("page"))
    context = {"committee": committee, "page": page, "kinds": FundKind.choices, "kind": kind, "year": _year(request)}
    return render(request, "funds/allocation_list.html", context)


@login_required
def allocation_create(request: AuthedRequest) -> HttpResponse:
    committee = _committee(request)
    _officer(request, committee)
    initial = {"project": request.GET.get("project")}
    form = AllocationForm(request.POST or None, committee=committee, initial=initial)
    assessment = None
    open_review = ""
    project = form.fields["project"].queryset.filter(pk=request.POST.get("project") or initial["project"] or 0).first()  # type: ignore[attr-defined]
    if project is not None:
        assessment = services.initial_assessment(project)
        type_id = ContentType.objects.get_for_model(project).pk
        back = f"{request.path}?project={project.pk}"
        query = urlencode({"purpose": INITIAL_ASSESSMENT, "next": back})
        open_review = f"{reverse('reviews:open', args=[type_id, project.pk])}?{query}"
    if request.method == "POST" and form.is_valid():
        allocation = save_through(form, lambda: services.allocation_create(actor=request.user, **form.cleaned_data))
        if allocation is not None:
            messages.success(request, _("专项管理经费已分配。"))
            return HttpResponseRedirect(allocation.get_absolute_url())
    context = {
        "form": form,
        "title": _("分配专项管理经费"),
        "committee": committee,
        "assessment": assessment,
        "open_review": open_review,
        "tiers": SupportTier.objects.filter(organization=committee),
        "hint": _("分配以项目初期评估为依据：评估等级对应的支持档次决定资助上限。"),
    }
    return render(request, "funds/form.html", context)


@login_required
def award_create(request: AuthedRequest) -> HttpResponse:
    committee = _committee(request)
    _officer(request, committee)
    form = AwardForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        award = save_through(
            form, lambda: services.reward_award_create(committee=committee, actor=request.user, **form.cleaned_data)
        )
        if award is not None:
            messages.success(request, _("奖励已登记。"))
            return HttpResponseRedirect(award.get_absolute_url())
    return render(request, "funds/form.html", {"form": form, "title": _("发放专项奖励经费"), "committee": committee})


@login_required
def allocation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    allocation = get_object_or_404(
        Allocation.objects.select_related(
            "budget__organization", "project", "person", "tier", "reverses", "created_by"
        ),
        pk=pk,
    )
    if not request.user.has_perm("funds.view_allocation", allocation):
        raise Http404
    context = {
        "allocation": allocation,
        "reversal": Allocation.objects.filter(reverses=allocation).first(),
        "disbursements": allocation.disbursements.select_related("requested_by", "approved_by", "reverses"),
        "is_officer": request.user.has_perm("funds.change_budget", allocation.budget.organization),
        "reverse_form": ReasonForm(),
    }
    return render(request, "funds/allocation_detail.html", context)


@login_required
def allocation_reverse(request: AuthedRequest, pk: int) -> HttpResponse:
    allocation = get_object_or_404(Allocation.objects.select_related("budget__organization"), pk=pk)
    if not request.user.has_perm("funds.view_allocation", allocation):
        raise Http404
    _officer(request, allocation.budget.organization)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reversal = save_through(
            form, lambda: services.allocation_reverse(allocation=allocation, actor=request.user, **form.cleaned_data)
        )
        if reversal is not None:
            messages.success(request, _("已记入冲销。"))
            return HttpResponseRedirect(allocation.get_absolute_url())
    return render(request, "funds/form.html", {"form": form, "title": _("冲销：%(entry)s") % {"entry": allocation}})


@login_required
def disbursement_create(request: AuthedRequest, pk: int) -> HttpResponse:
    allocation = get_object_or_404(Allocation.objects.select_related("budget__organization", "project"), pk=pk)
    if not request.user.has_perm("funds.view_allocation", allocation):
        raise Http404
    _officer(request, allocation.budget.organization)
    form = DisbursementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        disbursement = save_through(
            form,
            lambda: services.disbursement_request(
                allocation=allocation,
                amount=data["amount"],
                purpose=data["purpose"],
                paid_on=data["paid_on"],
                receipts=data["receipts"],
                actor=request.user,
            ),
        )
        if disbursement is not None:
            messages.success(request, _("支出申请已提交，请另一位经费管理人员审批。"))
            return HttpResponseRedirect(disbursement.get_absolute_url())
    context = {
        "form": form,
        "title": _("申请支出：%(entry)s") % {"entry": allocation},
        "hint": _("可支出余额：%(available)s") % {"available": money(allocation.available)},
        "multipart": True,
    }
    return render(request, "funds/form.html", context)


@login_required
def disbursement_list(request: AuthedRequest) -> HttpResponseBase:
    committee = _committee(request)
    status = request.GET.get("status", "")
    disbursements = selectors.disbursement_list(
        committee, year=_year(request), status=status if status in DisbursementStatus.values else ""
    )
    if request.GET.get("export") == "xlsx":
        return xlsx_response("disbursements.xlsx", [disbursements_sheet(disbursements)])
    page = Paginator(disbursements, 30).get_page(request.GET.get("page"))
    context = {
        "committee": committee,
        "page": page,
        "statuses": DisbursementStatus.choices,
        "status": status,
        "year": _year(request),
    }
    return render(request, "funds/disbursement_list.html", context)


@login_required
def disbursement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    disbursement = get_object_or_404(
        Disbursement.objects.select_related(
            "allocation__budget__organization", "allocation__project", "requested_by", "approved_by", "reverses"
        ),
        pk=pk,
    )
    if not request.user.has_perm("funds.view_disbursement", disbursement):
        raise Http404
    context = {
        "disbursement": disbursement,
        "reversal": Disbursement.objects.filter(reverses=disbursement).first(),
        "is_officer": request.user.has_perm("funds.change_budget", disbursement.organization),
        "reverse_form": ReasonForm(),
    }
    return render(request, "funds/disbursement_detail.html", context)


@login_required
@require_POST
def disbursement_reverse(request: AuthedRequest, pk: int) -> HttpResponse:
    disbursement = get_object_or_404(Disbursement.objects.select_related("allocation__budget__organization"), pk=pk)
    if not request.user.has_perm("funds.view_disbursement", disbursement):
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写冲销理由。"))
        return HttpResponseRedirect(disbursement.get_absolute_url())
    try:
        services.disbursement_reverse(disbursement=disbursement, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已记入冲销。"))
    return HttpResponseRedirect(disbursement.get_absolute_url())


@login_required
def project_balances(request: AuthedRequest) -> HttpResponseBase:
    committee = _committee(request)
    rows = selectors.project_balances(committee, _year(request))
    if request.GET.get("export") == "xlsx":
        return xlsx_response("project-balances.xlsx", [balances_sheet(rows)])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request, "funds/project_balances.html", {"committee": committee, "page": page, "year": _year(request)}
    )


@login_required
def ledger_export(request: AuthedRequest) -> HttpResponse:
    committee = _committee(request)
    year = _year(request)
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    name = f"ledger-{year or 'all'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    write_workbook(response, ledger_sheets(committee, year))
    return response
