from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projectize.core.exports import xlsx_response
from projectize.core.forms import save_through
from projectize.core.pagecache import cached_page
from projectize.core.pagination import paginate
from projectize.core.typing import AuthedRequest
from projectize.core.workflow import TransitionError
from projectize.needs import selectors as need_selectors
from projectize.orgs.sites import subtree
from projectize.programmes import selectors, services
from projectize.programmes.forms import (
    LinkTargetForm,
    ListFilterForm,
    ProgrammeForm,
    PublicTargetFilterForm,
    RepublishForm,
    SectionForm,
    TargetFilterForm,
    TargetForm,
)
from projectize.programmes.models import Programme, Section, Target, TargetStatus
from projectize.programmes.workflows import TARGET

PAGE_SIZE = 30
PUBLIC_TARGETS_PER_PAGE = 30


def _programme(request: AuthedRequest, pk: int, perm: str = "programmes.view_programme") -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("organization"), pk=pk)
    if not request.user.has_perm(perm, programme):
        raise Http404
    return programme


def _target(request: AuthedRequest, pk: int, perm: str = "programmes.view_target") -> Target:
    target = get_object_or_404(Target.objects.select_related("programme__organization", "section"), pk=pk)
    if not request.user.has_perm(perm, target):
        raise Http404
    return target


@login_required
def programme_list(request: AuthedRequest) -> HttpResponseBase:
    if not request.user.has_perm("programmes.list_programmes"):
        raise PermissionDenied
    form = ListFilterForm(request.GET, user=request.user)
    programmes = selectors.programmes_for(request.user)
    # A wrong filter value shows beside its field; the list then shows nothing rather than too much.
    programmes = selectors.filter_programmes(programmes, **form.cleaned_data) if form.is_valid() else programmes.none()
    programmes = programmes.order_by("-year", "id")
    if form.is_valid() and request.GET.get("export") == "xlsx":
        rows = (
            (p.year, p.title, p.organization.name, p.claim_opens, p.claim_closes, p.target_count)  # type: ignore[attr-defined]
            for p in programmes.iterator()
        )
        headers = [_("年度"), _("名称"), _("主办党委"), _("认领开始时间"), _("认领截止时间"), _("标的数")]
        return xlsx_response("programmes.xlsx", [(_("品牌项目"), headers, rows)])
    page = paginate(request, programmes, PAGE_SIZE)
    return render(request, "programmes/list.html", {"page": page, "form": form})


@login_required
@cached_page
def target_list(request: AuthedRequest) -> HttpResponseBase:
    """Targets of the programmes the user follows, filtered in the database (the dashboard's claim-rate
    chart opens this list with `stage`)."""
    if not request.user.has_perm("programmes.list_programmes"):
        raise PermissionDenied
    form = TargetFilterForm(request.GET, user=request.user)
    targets = selectors.targets_followed(request.user)
    targets = selectors.filter_targets(targets, **form.cleaned_data) if form.is_valid() else targets.none()
    targets = targets.order_by(*selectors.LIST_ORDER)
    if form.is_valid() and request.GET.get("export") == "xlsx":
        sheet = target_sheet(_("标的一览"), selectors.targets_listed(targets), with_programme=True)
        return xlsx_response("targets.xlsx", [sheet])
    # The page's targets are read first, then their claim figures for those 30 alone: grouping every target in
    # scope by its claims before showing 30 is what made the list slow at a city's size.
    page = paginate(request, targets.select_related("programme", "section"), PAGE_SIZE)
    page.object_list = selectors.with_claim_figures(list(page.object_list))
    return render(request, "programmes/target_list.html", {"page": page, "form": form})


def awarded_text(target: Target) -> str:
    """The awarded unit, "lead unit 等 N 家" when several took the target together."""
    name: str = getattr(target, "awarded_unit", None) or ""
    units: int = getattr(target, "awarded_units", 0)
    return _("%(name)s 等 %(n)d 家") % {"name": name, "n": units} if units > 1 else name


def target_sheet(title: str, targets: QuerySet[Target], *, with_programme: bool) -> tuple[str, list[str], Any]:
    """One Excel sheet of `targets` as annotated by `selectors.targets_listed`."""
    headers = [
        _("标的"),
        *([_("品牌项目")] if with_programme else []),
        _("板块"),
        _("状态"),
        _("认领截止"),
        _("支持经费（元）"),
        _("认领数"),
        _("授予单位"),
    ]
    rows = (
        (
            t.title,
            *([str(t.programme)] if with_programme else []),
            t.section.title,
            t.get_status_display(),
            t.deadline,
            t.support_funds,
            t.made_claims,  # type: ignore[attr-defined]
            awarded_text(t),
        )
        for t in targets.iterator()
    )
    return title, headers, rows


@login_required
def programme_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    if not request.user.has_perm("programmes.manage_programmes"):
        raise PermissionDenied
    programme = _programme(request, pk, "programmes.change_programme") if pk else None
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        form.instance.organization = programme.organization if programme else need_selectors.committee_of(request.user)
        saved = save_through(form, lambda: services.programme_save(programme=form.instance, actor=request.user))
        if saved:
            messages.success(request, _("品牌项目已保存。"))
            return redirect(saved)
    return render(request, "programmes/programme_form.html", {"form": form, "programme": programme})


@login_required
def programme_detail(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """The board: sections in order with their targets, linked needs and claim status."""
    programme = _programme(request, pk)
    if request.GET.get("export") == "xlsx":
        targets = selectors.targets_listed(Target.objects.filter(programme=programme)).order_by(
            "section__order", "section_id", "order", "id"
        )
        sheet = target_sheet(str(programme), targets, with_programme=False)
        return xlsx_response(f"programme-{programme.pk}.xlsx", [sheet])
    return render(
        request,
        "programmes/board.html",
        {
            "programme": programme,
            "sections": selectors.board(programme),
            "can_change": request.user.has_perm("programmes.change_programme", programme),
            # Publishing all drafts is the targets' own “发布标的” step, taken for each.
            "publish": TARGET.get("publish"),
        },
    )


@login_required
@require_POST
def programme_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, "programmes.change_programme")
    try:
        count = services.target_publish_all(programme=programme, actor=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已发布 %(count)d 个标的。") % {"count": count})
    return redirect(programme)


@login_required
def section_edit(request: AuthedRequest, programme_pk: int, pk: int | None = None) -> HttpResponse:
    programme = _programme(request, programme_pk, "programmes.change_programme")
    section = get_object_or_404(Section, pk=pk, programme=programme) if pk else Section(programme=programme)
    form = SectionForm(request.POST or None, instance=section)
    saved = (
        request.method == "POST"
        and form.is_valid()
        and save_through(form, lambda: services.section_save(section=form.instance, actor=request.user))
    )
    if saved:
        messages.success(request, _("板块已保存。"))
        return redirect(programme)
    return render(request, "programmes/section_form.html", {"form": form, "programme": programme, "section": section})


@login_required
def target_edit(request: AuthedRequest, programme_pk: int, pk: int | None = None) -> HttpResponse:
    programme = _programme(request, programme_pk, "programmes.change_programme")
    target = get_object_or_404(Target, pk=pk, programme=programme) if pk else None
    form = TargetForm(request.POST or None, instance=target, programme=programme, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        saved = save_through(form, lambda: services.target_save(target=form.instance, actor=request.user))
        if saved:
            messages.success(request, _("标的已保存。"))
            return redirect(saved)
    return render(request, "programmes/target_form.html", {"form": form, "programme": programme, "target": target})


def _may_take(request: AuthedRequest, target: Target, step: str) -> bool:
    """Whether the user may take the step now (its right, its state and its guard)."""
    found = [t for t in TARGET.available(request.user, target) if t.name == step]
    return bool(found) and not (found[0].guard and found[0].guard(target))


@login_required
def target_detail(request: AuthedRequest, pk: int, republish_form: RepublishForm | None = None) -> HttpResponse:
    target = _target(request, pk)
    needs = need_selectors.needs_of_targets([target.pk]).order_by("-created_at", "-id")
    can_change = request.user.has_perm("programmes.change_target", target)
    # Staff designing a target see the open needs it would answer; once published, the units likely to claim it.
    fitting = []
    if can_change and TARGET.in_group(target, "editable"):
        text = f"{target.title} {target.description} {target.expected_outcomes}"
        fitting = need_selectors.unlinked_needs_like(target.programme.organization, text)
    if republish_form is None and _may_take(request, target, "republish"):
        republish_form = RepublishForm()
    return render(
        request,
        "programmes/target_detail.html",
        {
            "target": target,
            "needs": paginate(request, needs, PAGE_SIZE),
            "can_change": can_change,
            "fitting_needs": fitting,
            "republish_form": republish_form,
        },
    )


@login_required
@require_POST
def target_republish(request: AuthedRequest, pk: int) -> HttpResponse:
    """The “重新发布” step's form: an unclaimed target is opened again with a new deadline."""
    target = _target(request, pk, "programmes.change_target")
    form = RepublishForm(request.POST)
    if form.is_valid():
        try:
            services.target_republish(target=target, actor=request.user, deadline=form.cleaned_data["deadline"])
        except ValidationError as error:
            form.add_error("deadline", error.message_dict.get("deadline", error.messages))
        except TransitionError as error:
            messages.error(request, str(error))
            return redirect(target)
        else:
            messages.success(request, _("标的已重新发布。"))
            return redirect(target)
    return target_detail(request, pk, republish_form=form)


@login_required
@require_POST
def need_link(request: AuthedRequest, pk: int) -> HttpResponse:
    """The need's “关联标的” step, from the form on the need's page."""
    need = get_object_or_404(need_selectors.needs_in_scope(request.user).select_related("organization"), pk=pk)
    if not request.user.has_perm("needs.change_need", need):
        raise Http404
    form = LinkTargetForm(request.POST, targets=selectors.linkable_targets(need.organization))
    if not form.is_valid():
        messages.error(request, _("请选择要关联的标的。"))
        return redirect(need)
    try:
        services.need_link_target(
            need=need, target=form.cleaned_data["target"], actor=request.user, note=form.cleaned_data["note"]
        )
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已关联标的。"))
    return redirect(need)


# Public pages: published targets and their results.


@cached_page
def public_index(request: HttpRequest) -> HttpResponse:
    """The site's public targets, 30 a page, under their programme and section headings. Residents filter by
    programme, section and status; a page reads its targets, then the figures of those 30 alone."""
    programmes = selectors.public_programmes_in(subtree(request))
    form = PublicTargetFilterForm(request.GET, programmes=programmes)
    targets = Target.objects.none()
    if form.is_valid():
        chosen = form.cleaned_data["programme"]
        targets = selectors.public_target_list(
            [chosen] if chosen else [p.pk for p in programmes],
            section_id=form.cleaned_data.get("section"),
            status=form.cleaned_data["status"],
        )
    page = paginate(request, targets, PUBLIC_TARGETS_PER_PAGE)
    listed = selectors.with_public_figures(list(page.object_list))
    context = {"page": page, "form": form, "groups": selectors.by_programme_and_section(listed)}
    return render(request, "programmes/public_index.html", context)


def public_target(request: HttpRequest, pk: int) -> HttpResponse:
    """A published target of the site's committees; its claims, result and objections are shown by the claims
    app (`{% public_claims %}`)."""
    target = get_object_or_404(
        Target.objects.select_related("programme", "section"),
        pk=pk,
        status__in=TargetStatus.group("public"),
        programme__organization__path__startswith=subtree(request),
    )
    return render(request, "programmes/public_target.html", {"target": target, "need_count": target.needs.count()})
