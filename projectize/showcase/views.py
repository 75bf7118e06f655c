from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projectize.core.exports import xlsx_response
from projectize.core.jobs import defer_download
from projectize.core.typing import AuthedRequest
from projectize.orgs.models import Organization, Role
from projectize.orgs.permissions import has_role
from projectize.orgs.selectors import committees_run_by, first_committee
from projectize.reviews import selectors as review_selectors
from projectize.showcase import selectors, services
from projectize.showcase.documents import certificate_pdf
from projectize.showcase.forms import NominationForm, ShowcaseForm
from projectize.showcase.models import Award, Nomination, Showcase, ShowcaseStatus


def _showcase_for(request: AuthedRequest, pk: int, perm: str = "showcase.view_showcase") -> Showcase:
    showcase = get_object_or_404(Showcase.objects.select_related("organization"), pk=pk)
    if not request.user.has_perm(perm, showcase):
        raise Http404
    return showcase


@login_required
def showcase_list(request: AuthedRequest) -> HttpResponseBase:
    showcases = selectors.showcases_visible_to(request.user)
    if request.GET.get("export") == "xlsx":
        headers = [
            _("年度"),
            _("名称"),
            _("主题"),
            _("推荐开始日期"),
            _("推荐截止日期"),
            _("群众投票开始时间"),
            _("群众投票截止时间"),
            _("状态"),
        ]
        rows = (
            (
                showcase.year,
                showcase.title,
                showcase.theme,
                showcase.nomination_opens,
                showcase.nomination_closes,
                showcase.voting_opens,
                showcase.voting_closes,
                showcase.get_status_display(),
            )
            for showcase in showcases.iterator()
        )
        return xlsx_response("showcases.xlsx", [(_("七一展评"), headers, rows)])
    page = Paginator(showcases, 20).get_page(request.GET.get("page"))
    can_create = has_role(request.user, [Role.TOWN_ADMIN])
    return render(request, "showcase/list.html", {"page": page, "can_create": can_create})


def _host_committees(request: AuthedRequest) -> list[Organization]:
    # A showcase belongs to a committee where the user is town staff (district staff: their district).
    committees = committees_run_by(request.user)
    first = first_committee(request.user, committees)
    return [first, *(c for c in committees if c != first)] if first is not None else []


@login_required
def showcase_create(request: AuthedRequest) -> HttpResponse:
    hosts = _host_committees(request)
    if not hosts:
        raise PermissionDenied
    form = ShowcaseForm(request.POST or None, committee=hosts[0])
    if request.method == "POST" and form.is_valid():
        showcase = form.save(commit=False)
        showcase.organization = hosts[0]
        try:
            services.showcase_save(
                actor=request.user, showcase=showcase, levels=form.levels(), jury=form.cleaned_data["jury"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已创建七一展评。"))
            return HttpResponseRedirect(showcase.get_absolute_url())
    return render(request, "showcase/form.html", {"form": form})


@login_required
def showcase_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    showcase = _showcase_for(request, pk, "showcase.change_showcase")
    form = ShowcaseForm(request.POST or None, instance=showcase, committee=showcase.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.showcase_save(
                actor=request.user,
                showcase=form.save(commit=False),
                levels=form.levels(),
                jury=form.cleaned_data["jury"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存。"))
            return HttpResponseRedirect(showcase.get_absolute_url())
    return render(request, "showcase/form.html", {"form": form, "showcase": showcase})


@login_required
def showcase_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    showcase = _showcase_for(request, pk)
    is_staff = request.user.has_perm("showcase.change_showcase", showcase)
    nominations = selectors.nominations_of(showcase)
    if not is_staff:
        nominations = nominations.filter(selectors.own_nominations_q(request.user))
    context = {
        "showcase": showcase,
        "is_staff": is_staff,
        "levels": showcase.levels.all(),
        "nominations": nominations,
        "jury_progress": selectors.jury_progress(showcase) if showcase.rubric_id else {},
        "flagged": nominations.aggregate(n=Count("votes", filter=Q(votes__flagged=True, votes__voided=False)))["n"],
        "can_nominate": showcase.nominating_open and services.nominable_projects(showcase, request.user).exists(),
    }
    return render(request, "showcase/detail.html", context)


@login_required
def nominate(request: AuthedRequest, pk: int) -> HttpResponse:
    showcase = _showcase_for(request, pk)
    projects = services.nominable_projects(showcase, request.user)
    form = NominationForm(request.POST or None, request.FILES or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nomination_create(
                actor=request.user,
                showcase=showcase,
                project=form.cleaned_data["project"],
                summary=form.cleaned_data["summary"],
                highlights=form.cleaned_data["highlights"],
                photos=form.cleaned_data["photos"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已推荐“%(project)s”参加展评。") % {"project": nomination})
            return HttpResponseRedirect(nomination.get_absolute_url())
    return render(request, "showcase/nominate.html", {"showcase": showcase, "form": form})


def _nomination_for(request: AuthedRequest, pk: int) -> Nomination:
    nomination = get_object_or_404(
        Nomination.objects.select_related("showcase__organization", "project", "organization"), pk=pk
    )
    if not request.user.has_perm("showcase.view_nomination", nomination):
        raise Http404
    return nomination


@login_required
def nomination_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    nomination = _nomination_for(request, pk)
    may_judge = request.user.has_perm("showcase.judge_nomination", nomination)
    context = {
        "nomination": nomination,
        "showcase": nomination.showcase,
        "may_judge": may_judge,
        "reviews": review_selectors.reviews_of(nomination) if may_judge else [],
        "flagged_votes": nomination.votes.filter(flagged=True, voided=False).order_by("-created_at")[:200]
        if may_judge
        else [],
        "award": Award.objects.filter(nomination=nomination).first(),
    }
    return render(request, "showcase/nomination.html", context)


@login_required
@require_POST
def nomination_votes_review(request: AuthedRequest, pk: int) -> HttpResponse:
    nomination = _nomination_for(request, pk)
    try:
        if request.POST.get("decision") == "void":
            ids = [int(v) for v in request.POST.getlist("vote") if v.isdigit()]
            count = services.votes_void(actor=request.user, nomination=nomination, vote_ids=ids)
            messages.success(request, _("已作废 %(n)d 张选票。") % {"n": count})
        else:
            services.votes_clear_flags(actor=request.user, nomination=nomination)
            messages.success(request, _("已确认这些选票有效。"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return HttpResponseRedirect(nomination.get_absolute_url())


@login_required
def certificate(request: AuthedRequest, pk: int) -> HttpResponseBase:
    award = get_object_or_404(Award.objects.select_related("nomination__showcase__organization"), pk=pk)
    if not request.user.has_perm("showcase.view_award", award):
        raise Http404
    if award.nomination.showcase.status not in ShowcaseStatus.group("awarded"):
        raise Http404
    if deferred := defer_download(request, title=_("荣誉证书 %(number)s") % {"number": award.certificate_no}):
        return deferred
    response = HttpResponse(certificate_pdf(award), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{award.certificate_no}.pdf"'
    return response


@login_required
def nominations_export(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """The nominations with their scores, votes, ranks and awards, as the staff see them."""
    showcase = _showcase_for(request, pk, "showcase.change_showcase")
    headers = [_("名次"), _("项目"), _("推荐组织"), _("评委评分"), _("得票数"), _("综合得分"), _("奖项")]
    rows = (
        [n.rank, n.project.title, n.organization.name, n.jury_score, n.vote_count, n.final_score, _award_label(n)]
        for n in selectors.nominations_of(showcase).iterator(chunk_size=500)
    )
    return xlsx_response(f"showcase-{showcase.year}.xlsx", [(str(showcase.title), headers, rows)])


def _award_label(nomination: Nomination) -> str:
    award = getattr(nomination, "award", None)
    return award.get_level_display() if award is not None else ""
