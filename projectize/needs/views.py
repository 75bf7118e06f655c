from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projectize.core.exports import xlsx_response
from projectize.core.pagecache import cached_page
from projectize.core.pagination import paginate
from projectize.core.ratelimit import rate_limited
from projectize.core.selectors import attachments_for
from projectize.core.typing import AuthedRequest
from projectize.core.workflow import TransitionError
from projectize.needs import selectors, services
from projectize.needs.forms import (
    CategoryForm,
    MergeForm,
    NeedFilterForm,
    PublicNeedForm,
    ReplyForm,
    StaffNeedForm,
    SupportForm,
    TrackForm,
)
from projectize.needs.models import Channel, DuplicatePair, Need, NeedCategory
from projectize.needs.rules import READER_ROLES
from projectize.orgs.models import Organization
from projectize.orgs.permissions import grant_paths
from projectize.orgs.sites import site_of, site_reverse, subtree

# Public forms: attempts per client address per window (seconds).
NEED_POSTS = (5, 600)
SUPPORT_POSTS = (20, 600)
# The lookup runs as a resident types: generous for a person, a wall for a script reading the needs.
SIMILAR_LOOKUPS = (120, 600)
PAGE_SIZE = 30


def _staff_need(request: AuthedRequest, pk: int, perm: str = "needs.view_need") -> Need:
    need = get_object_or_404(Need.objects.select_related("organization", "category", "area", "target"), pk=pk)
    if not request.user.has_perm(perm, need):
        raise Http404
    return need


def _errors(form: Any, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


# Staff pages.


@login_required
@cached_page
def need_list(request: AuthedRequest) -> HttpResponseBase:
    if not request.user.has_perm("needs.list_needs"):
        raise PermissionDenied
    categories = NeedCategory.objects.filter(organization__path__in=grant_paths(request.user, READER_ROLES))
    if request.user.is_superuser:
        categories = NeedCategory.objects.all()
    form = NeedFilterForm(request.GET or None, user=request.user, categories=categories)
    needs = selectors.needs_for_staff(request.user)
    if form.is_bound and not form.is_valid():
        # A bad filter shows its message beside the field and no rows, rather than silently showing all.
        needs = needs.none()
    elif form.is_bound:
        data = form.cleaned_data
        if data["q"]:
            needs = needs.filter(
                Q(title__icontains=data["q"]) | Q(code=data["q"].upper()) | Q(location__icontains=data["q"])
            )
        for field in ("status", "channel", "category"):
            if data[field]:
                needs = needs.filter(**{field: data[field]})
        if data["year"]:
            needs = needs.filter(created_at__year=data["year"])
        if data["organization"]:
            needs = selectors.needs_under(needs, data["organization"])
    needs = needs.order_by("-created_at", "-id")
    if request.GET.get("export") == "xlsx":
        # Contact data stays out of the export: it is read on the need's own page when needed.
        rows = (
            (
                n.code,
                n.title,
                n.category.name,
                n.location,
                n.get_channel_display(),
                n.get_status_display(),
                n.created_at,
            )
            for n in needs.select_related("category").iterator()
        )
        headers = [_("查询码"), _("标题"), _("类别"), _("具体位置"), _("来源渠道"), _("状态"), _("提交时间")]
        return xlsx_response("needs.xlsx", [(_("需求征集"), headers, rows)])
    page = paginate(request, needs, PAGE_SIZE)
    context = {"page": page, "form": form, "can_manage": request.user.has_perm("needs.manage_needs")}
    return render(request, "needs/list.html", context)


@login_required
def need_create(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("needs.manage_needs"):
        raise PermissionDenied
    committee = selectors.committee_of(request.user)
    form = StaffNeedForm(request.POST or None, request.FILES or None, organization=committee)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            need = services.need_create(organization=committee, actor=request.user, **data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("需求已登记，查询码 %(code)s。") % {"code": need.code})
            return redirect(need)
    return render(request, "needs/form.html", {"form": form, "committee": committee})


@login_required
def need_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    need = _staff_need(request, pk)
    can_change = request.user.has_perm("needs.change_need", need)
    context: dict[str, Any] = {
        "need": need,
        "can_change": can_change,
        "can_see_contact": request.user.has_perm("needs.view_contact", need),
        "updates": need.updates.select_related("author"),
        "support_count": need.support_count,
        "absorbed": need.absorbed.all(),
        "photos": attachments_for(need, "photo"),
    }
    if can_change:
        context.update(
            similar=selectors.similar_needs(
                need.organization,
                f"{need.title} {need.description}",
                exclude=need.pk,
                area_id=need.area_id,
                location=need.location,
                category_id=need.category_id,
            ),
            reply_form=ReplyForm(),
            merge_form=MergeForm(),
        )
    return render(request, "needs/detail.html", context)


@login_required
@require_POST
def need_reply(request: AuthedRequest, pk: int) -> HttpResponse:
    need = _staff_need(request, pk, "needs.change_need")
    form = ReplyForm(request.POST)
    if form.is_valid():
        services.need_reply(need=need, actor=request.user, message=form.cleaned_data["message"])
        messages.success(request, _("答复已发送，提交人可在查询页看到。"))
    else:
        messages.error(request, _("请填写答复内容（最多 1000 字）。"))
    return redirect(need)


@login_required
def need_merge(request: AuthedRequest, pk: int) -> HttpResponse:
    """Merging asks first: the two needs side by side, then 确认合并 (a POST) takes the step."""
    duplicate = _staff_need(request, pk, "needs.change_need")
    form = MergeForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, _("请填写要合并到的需求编号。"))
        return redirect(duplicate)
    survivor = (
        selectors.needs_in_scope(request.user)
        .select_related("area", "target")
        .filter(pk=form.cleaned_data["survivor"], organization=duplicate.organization)
        .first()
    )
    if survivor is None:
        messages.error(request, _("没有编号为 %(pk)s 的需求。") % {"pk": form.cleaned_data["survivor"]})
        return redirect(duplicate)
    if request.method == "POST":
        try:
            services.need_merge(
                duplicate=duplicate, survivor=survivor, actor=request.user, note=form.cleaned_data["note"]
            )
        except TransitionError as error:
            messages.error(request, str(error))
            return redirect(duplicate)
        messages.success(
            request,
            _("已把需求 #%(duplicate)s 合并到需求 #%(survivor)s，提交人和附议都已转入。")
            % {"duplicate": duplicate.pk, "survivor": survivor.pk},
        )
        return redirect(survivor)
    pair = [
        (_("本需求（将并入右侧）"), duplicate, duplicate.support_count),
        (_("合并到"), survivor, survivor.support_count),
    ]
    return render(request, "needs/merge.html", {"need": duplicate, "survivor": survivor, "pair": pair, "form": form})


DUPLICATES_PAGE = 20


@login_required
def duplicate_queue(request: AuthedRequest) -> HttpResponse:
    """Likely duplicate pairs among the town's open needs, most alike first (found on write, read a page)."""
    if not request.user.has_perm("needs.manage_needs"):
        raise PermissionDenied
    committee = selectors.committee_of(request.user)
    page = request.GET.get("page", "1")
    number = int(page) if page.isdigit() and int(page) > 0 else 1
    start = (number - 1) * DUPLICATES_PAGE
    # One row more than shown tells whether a next page exists, without counting the whole queue.
    rows = list(selectors.duplicate_pairs(committee)[start : start + DUPLICATES_PAGE + 1])
    context = {"pairs": rows[:DUPLICATES_PAGE], "number": number, "has_next": len(rows) > DUPLICATES_PAGE}
    return render(request, "needs/duplicates.html", context)


@login_required
@require_POST
def duplicate_dismiss(request: AuthedRequest, pk: int) -> HttpResponse:
    committee = selectors.committee_of(request.user)
    pair = get_object_or_404(
        DuplicatePair.objects.select_related("newer", "older", "organization"), pk=pk, organization=committee
    )
    services.duplicate_dismiss(pair=pair, actor=request.user)
    messages.success(
        request,
        _("已记下：#%(a)s 与 #%(b)s 不是重复，不会再提示。") % {"a": pair.newer_id, "b": pair.older_id},
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("needs:duplicates")
    return HttpResponseRedirect(back)


@login_required
def category_list(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    if not request.user.has_perm("needs.manage_needs"):
        raise PermissionDenied
    committee = selectors.committee_of(request.user)
    category = get_object_or_404(NeedCategory, pk=pk, organization=committee) if pk else None
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(
                actor=request.user,
                organization=committee,
                category=category,
                name=form.cleaned_data["name"],
                order=form.cleaned_data["order"],
                is_active=form.cleaned_data["is_active"],
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("类别已保存。"))
            return redirect("needs:categories")
    categories = NeedCategory.objects.filter(organization=committee).order_by("order", "id")
    return render(request, "needs/categories.html", {"categories": categories, "form": form, "category": category})


# Pages for residents (no login).


def _public_committee(request: HttpRequest) -> Organization:
    """The committee a resident's need goes to: the town whose site this is; on a site of no one town (a
    district's), the committee a link names (?org=), else the first town."""
    site = site_of(request)
    org_id = request.GET.get("org") or request.POST.get("org")
    if site is not None and site.is_town:
        committee = selectors.public_committee(site.pk)
    elif org_id and org_id.isdigit():
        committee = selectors.public_committee(int(org_id))
    else:
        committee = selectors.default_committee()
    if committee is None:
        raise Http404
    return committee


def public_new(request: HttpRequest) -> HttpResponse:
    committee = _public_committee(request)
    form = PublicNeedForm(request.POST or None, request.FILES or None, organization=committee)
    if request.method == "POST":
        if rate_limited(request, "need-submit", limit=NEED_POSTS[0], window=NEED_POSTS[1]):
            form.add_error(None, _("提交过于频繁，请 10 分钟后再试。"))
        elif form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            try:
                need = services.need_create(organization=committee, channel=Channel.PORTAL, **data)
            except ValidationError as error:
                _errors(form, error)
            else:
                return redirect(site_reverse(request, "needs:track", need.code) + "?new=1")
    return render(request, "needs/public_new.html", {"form": form, "committee": committee})


def public_similar(request: HttpRequest) -> HttpResponse:
    """Similar needs while one is typed (htmx): titles and statuses only, never anyone's contact."""
    committee = _public_committee(request)
    text = f"{request.GET.get('title', '')} {request.GET.get('description', '')}"[:2100]
    limited = rate_limited(request, "need-similar", limit=SIMILAR_LOOKUPS[0], window=SIMILAR_LOOKUPS[1])
    # Past the limit the hint is simply left out: the resident can still submit the need.
    area, category = request.GET.get("area", ""), request.GET.get("category", "")
    found = (
        selectors.similar_needs(
            committee,
            text,
            area_id=int(area) if area.isdigit() else None,
            location=request.GET.get("location", "")[:100],
            category_id=int(category) if category.isdigit() else None,
        )
        if text.strip() and not limited
        else []
    )
    staff = request.user.is_authenticated and request.user.has_perm("needs.manage_needs")
    return render(request, "needs/_similar.html", {"similar": found, "staff": staff, "support_form": SupportForm()})


def public_track_lookup(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    if form.is_valid():
        code = form.cleaned_data["code"].strip().upper()
        if selectors.need_by_code(code, subtree(request)) is not None:
            return redirect(site_reverse(request, "needs:track", code))
        form.add_error("code", _("没有找到这个查询码，请核对后再输入。"))
    return render(request, "needs/public_lookup.html", {"form": form})


def public_track(request: HttpRequest, code: str) -> HttpResponse:
    own = selectors.need_by_code(code, subtree(request))
    if own is None:
        raise Http404
    # A merged need's code leads to the need that carries on with it.
    need = own.merged_into or own
    context = {
        "own": own,
        "need": need,
        "updates": selectors.public_updates(own),
        "support_count": need.support_count,
        "has_photo": attachments_for(own, "photo").exists(),
        "support_form": SupportForm(),
        "is_new": request.GET.get("new") == "1",
    }
    return render(request, "needs/public_track.html", context)


def public_photo(request: HttpRequest, code: str) -> FileResponse:
    """The holder of the tracking code may see the photo sent with the need."""
    own = selectors.need_by_code(code, subtree(request))
    photo = attachments_for(own, "photo").first() if own else None
    if photo is None:
        raise Http404
    return FileResponse(photo.file.open("rb"), filename=photo.name)


@require_POST
def public_support(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(Need, pk=pk, organization__path__startswith=subtree(request))
    form = SupportForm(request.POST)
    if rate_limited(request, "need-support", limit=SUPPORT_POSTS[0], window=SUPPORT_POSTS[1]):
        message, ok = _("操作过于频繁，请 10 分钟后再试。"), False
    elif not form.is_valid():
        message, ok = " ".join(str(e) for errors in form.errors.values() for e in errors), False
    else:
        try:
            added = services.support_add(need=need, mobile=form.cleaned_data["mobile"])
        except TransitionError as error:
            message, ok = str(error), False
        else:
            message = _("附议成功，感谢您的支持。") if added else _("您已附议过这条需求，每人只能附议一次。")
            ok = added
    if request.headers.get("HX-Request"):
        return render(request, "needs/_support_result.html", {"message": message, "ok": ok})
    (messages.success if ok else messages.error)(request, message)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = site_reverse(request, "needs:public_new")
    return HttpResponseRedirect(back)
