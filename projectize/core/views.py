from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from itertools import islice
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from projectize.core import activity
from projectize.core.downloads import private_file_response
from projectize.core.exports import xlsx_response
from projectize.core.filters import ActivityLogFilter
from projectize.core.home import collect_cards, start_page
from projectize.core.jobs import defer_download, exceeds
from projectize.core.models import ActivityLog, Attachment, Notification
from projectize.core.pagecache import cached_page
from projectize.core.pagination import CappedPaginator, paginate
from projectize.core.selectors import activity_is_dense, activity_scope
from projectize.core.services import notifications_mark_read, user_language_save
from projectize.core.typing import AuthedRequest
from projectize.core.workflow import TransitionError, workflow_for


@cached_page
def home(request: AuthedRequest) -> HttpResponse:
    """The workbench for signed-in users; anyone else is a resident and gets the public site."""
    if not request.user.is_authenticated:
        return redirect(settings.PUBLIC_HOME_URL)
    if start := start_page(request.user):
        return redirect(start)
    return render(request, "core/home.html", {"cards": collect_cards(request.user)})


def set_language(request: HttpRequest) -> HttpResponse:
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        user_language_save(user=request.user, language=request.POST.get("language", ""))
    return response


@login_required
def notification_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(Notification.objects.filter(recipient=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notification_open(request: AuthedRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications_mark_read(user=request.user, notification_ids=[notification.pk])
    return HttpResponseRedirect(_safe(request, notification.url) or "/notifications/")


@login_required
@require_POST
def notifications_read_all(request: AuthedRequest) -> HttpResponse:
    notifications_mark_read(user=request.user)
    return HttpResponseRedirect("/notifications/")


@login_required
@require_POST
def transition(request: AuthedRequest, model: str, pk: str, name: str) -> HttpResponse:
    """Takes one workflow step from a button rendered by `{% workflow_actions %}`."""
    try:
        workflow = workflow_for(apps.get_model(model))
    except (LookupError, ValueError, KeyError):
        raise Http404 from None
    if not pk.isdigit():
        raise Http404
    # Outside the user's scope the object does not exist for them, as on its own page.
    obj = get_object_or_404(workflow.scope(request.user), pk=pk)
    try:
        done = workflow.apply(obj, name, actor=request.user, note=request.POST.get("note", ""))
    except TransitionError as error:
        messages.error(request, str(error))
    except PermissionDenied:
        raise
    else:
        messages.success(request, workflow.done_message(done, name))
    return HttpResponseRedirect(_safe(request, request.POST.get("next", "")) or "/")


def _safe(request: HttpRequest, url: str) -> str:
    allowed = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
    return url if url and allowed else ""


@login_required
@cached_page
def activity_log(request: AuthedRequest) -> HttpResponseBase:
    if not request.user.has_perm("core.view_activity_log"):
        raise PermissionDenied
    scoped = ActivityLogFilter.base_queryset().filter(activity_scope(request.user))
    colon = _("：")
    filtered = ActivityLogFilter(request.GET, queryset=scoped)
    if request.GET.get("export") == "xlsx":
        # A large log is written by the worker, which replays this request; the web request answers with the
        # job's page after counting at most EXPORT_INLINE_ROWS + 1 entries.
        if exceeds(filtered.qs, settings.EXPORT_INLINE_ROWS) and (
            deferred := defer_download(request, title="activity-log.xlsx")
        ):
            return deferred
        rows = (
            (
                e.created_at,
                e.actor or "",
                "\n".join(text for text in (e.sentence, e.note) if text),
                e.label,
                e.subject,
                e.organization or "",
                "\n".join(f"{name}{colon}{before}" for name, before, _after in activity.changes(e) if before),
                "\n".join(f"{name}{colon}{after}" for name, _before, after in activity.changes(e)),
                e.ip or "",
            )
            for chunk in _export_chunks(filtered.qs.prefetch_related(None), dense=activity_is_dense(request.user))
            for e in with_subjects(chunk, kinds=None)
        )
        headers = [
            _("时间"),
            _("操作人"),
            _("说明"),
            _("操作"),
            _("对象"),
            _("组织"),
            _("变更前"),
            _("变更后"),
            _("IP 地址"),
        ]
        return xlsx_response("activity-log.xlsx", [(_("操作日志"), headers, rows)])
    page = _log_page(request, filtered.qs)
    ids = list(page.object_list)
    entries = {entry.pk: entry for entry in filtered.qs.prefetch_related(None).filter(pk__in=ids).order_by()}
    page.object_list = with_subjects([entries[pk] for pk in ids if pk in entries])
    last = entries.get(ids[-1]) if ids else None
    after = f"{last.created_at.isoformat()}~{last.pk}" if last is not None and page.has_next() else ""
    return render(request, "core/activity_log.html", {"filter": filtered, "page": page, "after": after})


LOG_PAGE_SIZE = 50


def _log_page(request: AuthedRequest, entries: QuerySet[ActivityLog]) -> Page:
    """The page's ids (then only its rows are read). "Next" carries the last entry shown (`after`): the
    next page starts there in the index instead of counting past every entry before it, so the hundredth
    page costs what the first does. A page number alone (a link to an early page) is read by offset."""
    ids = entries.values_list("id", flat=True)
    in_order = activity_is_dense(request.user)
    if not request.GET.get("after"):
        return paginate(request, ids, LOG_PAGE_SIZE, count_in_order=in_order)
    paginator = CappedPaginator(ids, LOG_PAGE_SIZE, count_in_order=in_order)
    try:
        number = paginator.validate_number(request.GET.get("page") or 1)
    except InvalidPage:
        number = 1
    at, _tilde, pk = request.GET.get("after", "").partition("~")
    moment = parse_datetime(at) if pk.isdigit() else None
    if moment is None:
        return paginator.get_page(number)
    return Page(list(ids.filter(_older_than(moment, int(pk)))[:LOG_PAGE_SIZE]), number, paginator)


def _older_than(moment: datetime, pk: int) -> Q:
    """The entries after (moment, pk) in the log's order, newest first. created_at <= moment bounds the scan
    of the created_at index; the OR then leaves out what came before."""
    return Q(created_at__lte=moment) & (Q(created_at__lt=moment) | Q(created_at=moment, id__lt=pk))


# Entries an export reads at a time.
EXPORT_CHUNK = 500


def _export_chunks(entries: QuerySet[ActivityLog], *, dense: bool) -> Iterator[list[ActivityLog]]:
    """The entries in the log's order, a chunk at a time. A reader of a large share of the log (a district's,
    a city's) reads each chunk on from where the last one ended, through the created_at index: the first
    rows come at once, where one cursor over a city's log sorts its ten million rows before giving the
    first. A narrower reader's entries are found through the organization index and sorted in one cursor
    (walking the whole log's time order for them would read a hundred entries for each one kept)."""
    entries = entries.order_by("-created_at", "-id")
    if not dense:
        rows = entries.iterator(chunk_size=EXPORT_CHUNK)
        while chunk := list(islice(rows, EXPORT_CHUNK)):
            yield chunk
        return
    chunk = list(entries[:EXPORT_CHUNK])
    while chunk:
        yield chunk
        last = chunk[-1]
        chunk = list(entries.filter(_older_than(last.created_at, last.pk))[:EXPORT_CHUNK])


# Kinds of object whose current names a page of the log reads (the most frequent on the page, one query
# each); entries about other kinds show the name the object had when the entry was written.
LIVE_SUBJECT_KINDS = 4


def with_subjects(entries: list[ActivityLog], kinds: int | None = LIVE_SUBJECT_KINDS) -> list[ActivityLog]:
    """Read the objects the entries are about, kind by kind (the `kinds` most frequent, or all), each with
    the objects its name is made of (its foreign keys), so that naming them costs no query per row."""
    target = ActivityLog._meta.get_field("target")
    by_kind: dict[int, list[ActivityLog]] = defaultdict(list)
    for entry in entries:
        if entry.target_type_id and entry.target_id:
            by_kind[entry.target_type_id].append(entry)
        else:
            target.set_cached_value(entry, None)
    for rank, kind in enumerate(sorted(by_kind, key=lambda kind: -len(by_kind[kind]))):
        model = ContentType.objects.get_for_id(kind).model_class()
        found: dict[Any, Any] = {}
        if model is not None and (kinds is None or rank < kinds):
            keys = {_key(model, entry.target_id) for entry in by_kind[kind]} - {None}
            related = [f.name for f in model._meta.concrete_fields if f.many_to_one]
            found = model._base_manager.select_related(*related).in_bulk(list(keys))
        for entry in by_kind[kind]:
            target.set_cached_value(entry, found.get(_key(model, entry.target_id)) if model else None)
    return entries


def _key(model: Any, value: str) -> Any:
    try:
        return model._meta.pk.to_python(value)
    except ValidationError:
        return None


@login_required
def attachment_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """Serve a file to a user who may view the object it is attached to (404 for anyone else)."""
    attachment = get_object_or_404(Attachment.objects.select_related("target_type"), pk=pk)
    target = attachment.target_type.get_object_for_this_type(pk=attachment.target_id)
    permission = f"{attachment.target_type.app_label}.view_{attachment.target_type.model}"
    if not request.user.has_perm(permission, target):
        raise Http404
    return private_file_response(attachment.file, filename=attachment.name, as_attachment=not attachment.is_image)
