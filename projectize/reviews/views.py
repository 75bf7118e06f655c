from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.template.loader import select_template
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projectize.core.exports import xlsx_response
from projectize.core.typing import AuthedRequest
from projectize.orgs.models import COMMITTEE_KINDS, Organization, Role, User
from projectize.orgs.permissions import has_role, scope_q
from projectize.reviews import selectors, services
from projectize.reviews.forms import (
    AddReviewersForm,
    CopyForm,
    DeclareForm,
    DeclineForm,
    ReviewOpenForm,
    RubricEditor,
    ScoreForm,
)
from projectize.reviews.models import Assignment, AssignmentStatus, Purpose, Review, ReviewStatus, Rubric
from projectize.reviews.workflows import ASSIGNMENT

# --- Reviewers -------------------------------------------------------------------------------


@login_required
def my_reviews(request: AuthedRequest) -> HttpResponseBase:
    """我的评审: the user's assignments across all subject types."""
    shown = request.GET.get("status", "todo")
    if shown not in ("todo", "done", "all"):
        shown = "todo"
    assignments = selectors.assigned_reviews(request.user, status="" if shown == "all" else shown)
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                a.review.subject_repr,
                a.review.subject_type.name,
                a.review.rubric.name,
                a.review.deadline,
                a.get_status_display(),
                a.review.get_status_display(),
            )
            for a in assignments.iterator()
        )
        headers = [_("评审对象"), _("对象类型"), _("评分标准"), _("截止日期"), _("状态"), _("评审状态")]
        return xlsx_response("my-reviews.xlsx", [(_("我的评审"), headers, rows)])
    page = Paginator(assignments, 20).get_page(request.GET.get("page"))
    return render(request, "reviews/my_reviews.html", {"page": page, "shown": shown})


@login_required
def assignment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Declare no conflict (or decline), then see the subject and score it. Only for the reviewer."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("review__rubric", "review__subject_type", "reviewer"),
        pk=pk,
        reviewer=request.user,
    )
    review = assignment.review
    criteria = list(review.rubric.criteria.all())
    declare_form, decline_form = DeclareForm(prefix="declare"), DeclineForm(prefix="decline")
    score_form = ScoreForm(criteria=criteria, rubric=review.rubric, prefix="score")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "declare":
                declare_form = DeclareForm(request.POST, prefix="declare")
                if declare_form.is_valid():
                    services.assignment_accept(assignment=assignment, actor=request.user)
                    messages.success(request, _("已承诺无利益冲突，请查看材料并评分。"))
                    return HttpResponseRedirect(request.path)
            elif action == "decline":
                decline_form = DeclineForm(request.POST, prefix="decline")
                if decline_form.is_valid():
                    services.assignment_decline(
                        assignment=assignment, reason=decline_form.cleaned_data["reason"], actor=request.user
                    )
                    messages.success(request, _("已谢绝本次评审，管理员会另行安排。"))
                    return HttpResponseRedirect(request.path)
            elif action == "score":
                score_form = ScoreForm(request.POST, criteria=criteria, rubric=review.rubric, prefix="score")
                if score_form.is_valid():
                    try:
                        services.sheet_submit(
                            assignment=assignment,
                            scores=score_form.scores(),
                            comment=score_form.cleaned_data["comment"],
                            actor=request.user,
                        )
                    except ValidationError as error:
                        for key, problems in error.message_dict.items():
                            score_form.add_error(key if key in score_form.fields else None, problems)
                    else:
                        messages.success(request, _("评分已提交。"))
                        return HttpResponseRedirect(request.path)
        except services.ReviewError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(request.path)
        assignment.refresh_from_db()
    sheet = getattr(assignment, "sheet", None) if ASSIGNMENT.in_group(assignment, "scored") else None
    context = {
        "assignment": assignment,
        "review": review,
        "criteria": criteria,
        "declare_form": declare_form,
        "decline_form": decline_form,
        "score_form": score_form,
        "sheet": sheet,
        "scores": sheet.scores.select_related("criterion") if sheet else [],
    }
    if assignment.may_see_subject:
        context.update(_subject_context(review, request.user))
    return render(request, "reviews/assignment.html", context)


def _subject_context(review: Review, user: User) -> dict[str, Any]:
    """The subject model may name a `review_summary_template` (rendered with `subject`). The link to
    the subject's own page shows only if its app lets the reviewer view it."""
    subject = review.subject
    names = [name] if (name := getattr(subject, "review_summary_template", "")) else []
    meta = review.subject_type
    may_view = subject is not None and user.has_perm(f"{meta.app_label}.view_{meta.model}", subject)
    return {
        "subject": subject,
        "summary_template": select_template([*names, "reviews/_subject_summary.html"]),
        "subject_url": _url_of(subject) if may_view else "",
    }


def _url_of(obj: Any) -> str:
    url = getattr(obj, "get_absolute_url", None)
    return url() if url else ""


# --- Rubrics (town admins) -------------------------------------------------------------------


def _require_rubric_staff(request: AuthedRequest) -> None:
    if not request.user.has_perm("reviews.manage_rubrics"):
        raise PermissionDenied


def _committees(request: AuthedRequest) -> QuerySet[Organization]:
    return Organization.objects.filter(scope_q(request.user, [Role.TOWN_ADMIN], ""), kind__in=COMMITTEE_KINDS)


def _rubric_or_404(request: AuthedRequest, pk: int) -> Rubric:
    rubric = get_object_or_404(Rubric.objects.select_related("organization"), pk=pk)
    if not request.user.has_perm("reviews.change_rubric", rubric):
        raise Http404
    return rubric


@login_required
def rubric_list(request: AuthedRequest) -> HttpResponseBase:
    _require_rubric_staff(request)
    purpose = request.GET.get("purpose", "")
    query = request.GET.get("q", "").strip()
    rubrics = selectors.rubric_list(request.user, purpose=purpose, query=query)
    if request.GET.get("export") == "xlsx":
        # Typed Any: the counts are annotations the selector's QuerySet[Rubric] does not name.
        counted: Iterator[Any] = rubrics.iterator()
        rows = (
            (
                r.name,
                r.get_purpose_display(),
                r.organization.name,
                r.total,
                r.criteria_count,
                r.get_aggregation_display(),
                r.top_grade_quota,
                r.reviews_count,
                _("在用") if r.is_active else _("已停用"),
            )
            for r in counted
        )
        headers = [
            _("名称"),
            _("用途"),
            _("所属党委"),
            _("满分"),
            _("评分项"),
            _("汇总方式"),
            _("最高等级比例上限（%）"),
            _("已用于评审"),
            _("状态"),
        ]
        return xlsx_response("rubrics.xlsx", [(_("评分标准"), headers, rows)])
    page = Paginator(rubrics, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/rubric_list.html",
        {"page": page, "purposes": Purpose.choices, "purpose": purpose, "q": query},
    )


@login_required
def rubric_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    rubric = _rubric_or_404(request, pk)
    reviews = rubric.reviews.annotate(
        sheets=Count("assignments", filter=Q(assignments__status=AssignmentStatus.SUBMITTED))
    ).order_by("-created_at", "-id")
    return render(
        request,
        "reviews/rubric_detail.html",
        {
            "rubric": rubric,
            "criteria": rubric.criteria.all(),
            "grades": _grade_ranges(list(rubric.grades.all())),
            "in_use": services.rubric_in_use(rubric),
            "recent_reviews": reviews[:10],
            "copy_form": CopyForm(),
        },
    )


def _grade_ranges(grades: list[Any]) -> list[tuple[Any, Any]]:
    """Each band with the bound it stays below when it is the lowest band (which takes all the rest)."""
    if len(grades) < 2:
        return [(grade, None) for grade in grades]
    return [(grade, None) for grade in grades[:-1]] + [(grades[-1], grades[-2].minimum)]


@login_required
def rubric_create(request: AuthedRequest) -> HttpResponse:
    _require_rubric_staff(request)
    return _rubric_edit(request, None)


@login_required
def rubric_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    rubric = _rubric_or_404(request, pk)
    if services.rubric_in_use(rubric):
        messages.error(request, _("该评分标准已用于评审，不能再修改（否则会改变已有结果）。请复制后修改副本。"))
        return HttpResponseRedirect(rubric.get_absolute_url())
    return _rubric_edit(request, rubric)


def _rubric_edit(request: AuthedRequest, rubric: Rubric | None) -> HttpResponse:
    committees = _committees(request)
    editor = RubricEditor(request.POST or None, organizations=committees, rubric=rubric)
    if request.method == "POST" and editor.is_valid():
        spec = editor.spec()
        try:
            if rubric is None:
                saved = services.rubric_create(organization=editor.organization, spec=spec, actor=request.user)
            else:
                saved = services.rubric_update(rubric=rubric, spec=spec, actor=request.user)
        except ValidationError as error:
            editor.show_errors(error)
        except services.ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("评分标准已保存。"))
            return HttpResponseRedirect(saved.get_absolute_url())
    return render(request, "reviews/rubric_form.html", {"editor": editor, "rubric": rubric})


@login_required
@require_POST
def rubric_copy(request: AuthedRequest, pk: int) -> HttpResponse:
    rubric = _rubric_or_404(request, pk)
    form = CopyForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    try:
        copy = services.rubric_copy(rubric=rubric, actor=request.user, name=name)
    except ValidationError as error:
        messages.error(request, " ".join(m for problems in error.message_dict.values() for m in problems))
        return HttpResponseRedirect(rubric.get_absolute_url())
    messages.success(request, _("已复制为“%(name)s”，可以修改。") % {"name": copy.name})
    return HttpResponseRedirect(copy.get_absolute_url())


@login_required
@require_POST
def rubric_set_active(request: AuthedRequest, pk: int) -> HttpResponse:
    rubric = _rubric_or_404(request, pk)
    active = request.POST.get("active") == "1"
    services.rubric_set_active(rubric=rubric, active=active, actor=request.user)
    messages.success(request, _("评分标准已启用。") if active else _("评分标准已停用，不再用于新的评审。"))
    return HttpResponseRedirect(rubric.get_absolute_url())


@login_required
def rubric_ranking(request: AuthedRequest, pk: int) -> HttpResponseBase:
    rubric = _rubric_or_404(request, pk)
    # One year's cohort at a time (e.g. one annual showcase), the latest by default.
    years = sorted({day.year for day in rubric.reviews.dates("created_at", "year")}, reverse=True)
    wanted = request.GET.get("year", "")
    year = int(wanted) if wanted.isdigit() and int(wanted) in years else (years[0] if years else None)
    ranked = selectors.ranking(rubric=rubric, year=year)
    if request.GET.get("export") == "xlsx":
        # The very rows of the page, in its order: unranked subjects (no sheet yet) have no rank or total.
        rows = (
            (
                row.rank,
                row.review.subject_repr,
                row.sheets,
                row.total,
                row.grade,
                row.grade_before_quota,
                row.review.get_status_display(),
            )
            for row in ranked
        )
        headers = [
            _("名次"),
            _("评审对象"),
            _("评分份数"),
            _("总分"),
            _("等级"),
            _("受比例限制前的等级"),
            _("评审状态"),
        ]
        title = _("排名") if year is None else _("%(year)s 年排名") % {"year": year}
        return xlsx_response(f"ranking-{rubric.pk}.xlsx", [(title, headers, rows)])
    return render(
        request,
        "reviews/ranking.html",
        {"rubric": rubric, "rows": ranked, "years": years, "year": year},
    )


# --- Reviews (town admins) -------------------------------------------------------------------


def _review_or_404(request: AuthedRequest, pk: int) -> Review:
    review = get_object_or_404(Review.objects.select_related("rubric", "subject_type", "opened_by"), pk=pk)
    if not request.user.has_perm("reviews.view_review", review):
        raise Http404
    return review


@login_required
def review_list(request: AuthedRequest) -> HttpResponseBase:
    if not has_role(request.user, [Role.TOWN_ADMIN]):
        raise PermissionDenied
    shown = request.GET.get("status", "")
    reviews = (
        selectors.reviews_run_by(request.user)
        .select_related("rubric")
        .annotate(
            assigned=Count("assignments", filter=~Q(assignments__status=AssignmentStatus.DECLINED)),
            sheets=Count("assignments", filter=Q(assignments__status=AssignmentStatus.SUBMITTED)),
        )
        .order_by("-created_at", "-id")
    )
    if shown in ReviewStatus.values:
        reviews = reviews.filter(status=shown)
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                r.subject_repr,
                r.rubric.name,
                r.created_at,
                r.deadline,
                r.sheets,
                r.assigned,
                r.get_status_display(),
            )
            for r in reviews.iterator()
        )
        headers = [_("评审对象"), _("评分标准"), _("发起时间"), _("截止日期"), _("已评分"), _("评审专家"), _("状态")]
        return xlsx_response("reviews.xlsx", [(_("评审轮次"), headers, rows)])
    page = Paginator(reviews, 30).get_page(request.GET.get("page"))
    return render(request, "reviews/review_list.html", {"page": page, "shown": shown, "statuses": ReviewStatus.choices})


@login_required
def review_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    review = _review_or_404(request, pk)
    candidates = selectors.reviewer_candidates(request.user).exclude(review_assignments__review=review)
    form = AddReviewersForm(request.POST or None, reviewers=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_add_reviewers(review=review, reviewers=form.cleaned_data["reviewers"], actor=request.user)
        except services.ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已增加评审专家并通知本人。"))
        return HttpResponseRedirect(request.path)
    assignments = review.assignments.select_related("reviewer", "sheet").prefetch_related("sheet__scores")
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "assignments": assignments,
            "criteria": review.rubric.criteria.all(),
            "result": selectors.review_result(review),
            "form": form,
            "subject_url": _url_of(review.subject),
            "history": selectors.review_history(review)[:50],
        },
    )


@login_required
def review_open(request: AuthedRequest, type_id: int, object_id: int) -> HttpResponse:
    """Start a review of any object. Other apps link here from their staff pages:
    `{% url 'reviews:open' type_id obj.pk %}?purpose=application&next=<their page>`."""
    subject_type = get_object_or_404(ContentType, pk=type_id)
    model = subject_type.model_class()
    if model is None:
        raise Http404
    subject = get_object_or_404(model, pk=object_id)
    organization = selectors.reviewing_organization(subject)
    if organization is None or not has_role(request.user, [Role.TOWN_ADMIN], organization):
        raise Http404
    purpose = request.GET.get("purpose", "")
    rubrics = Rubric.objects.filter(scope_q(request.user, [Role.TOWN_ADMIN]), is_active=True)
    if purpose in Purpose.values:
        rubrics = rubrics.filter(purpose=purpose)
    form = ReviewOpenForm(request.POST or None, rubrics=rubrics, reviewers=selectors.reviewer_candidates(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_open(
                subject=subject,
                rubric=form.cleaned_data["rubric"],
                reviewers=form.cleaned_data["reviewers"],
                deadline=form.cleaned_data["deadline"],
                actor=request.user,
            )
        except services.ReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("评审已发起，已通知评审专家。"))
            next_url = request.GET.get("next", "")
            if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                return HttpResponseRedirect(next_url)
            return HttpResponseRedirect(review.get_absolute_url())
    return render(request, "reviews/review_open.html", {"form": form, "subject": subject})
