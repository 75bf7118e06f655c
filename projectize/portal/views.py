"""Public pages: no login. Residents arrive on a phone from a chat link or a QR code."""

import time

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projectize.core.middleware import client_ip
from projectize.core.models import Attachment
from projectize.core.pagecache import cached_page
from projectize.core.ratelimit import rate_limited
from projectize.orgs.sites import site_of, site_reverse, subtree
from projectize.portal import selectors
from projectize.portal.forms import CodeForm, MobileForm
from projectize.showcase import selectors as showcase_selectors
from projectize.showcase import services as showcase_services
from projectize.showcase import verification
from projectize.showcase.models import Showcase, ShowcaseStatus
from projectize.showcase.selectors import commendation_list

CARE_COOKIE_AGE = 365 * 24 * 3600
# A verified mobile number lets its holder vote for this long without another code.
VOTER_SESSION_SECONDS = 30 * 60


@cached_page
def home(request: HttpRequest) -> HttpResponse:
    """A town's home page; a district's portal, listing its towns (at `/` of an installation of several)."""
    context = selectors.home_context(request)
    return render(request, "portal/district.html" if context.get("district") else "portal/home.html", context)


def logo(request: HttpRequest) -> FileResponse:
    site = site_of(request)
    if site is None or not site.logo:
        raise Http404
    return FileResponse(default_storage.open(site.logo, "rb"))


@require_POST
def care_mode(request: HttpRequest) -> HttpResponse:
    """Remember the resident's choice of larger text and stronger contrast."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = site_reverse(request, "portal:home")
    response = HttpResponseRedirect(target)
    if request.POST.get("care_mode") == "1":
        response.set_cookie("care_mode", "1", max_age=CARE_COOKIE_AGE, samesite="Lax")
    else:
        response.delete_cookie("care_mode")
    return response


def showcases(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/showcases.html", {"showcases": selectors.showcases(subtree(request))[:20]})


def _public_showcase(request: HttpRequest, pk: int) -> Showcase:
    """A showcase of the request's site open to the public."""
    return get_object_or_404(selectors.showcases(subtree(request)), pk=pk)


def _voter(request: HttpRequest) -> dict | None:
    voter = request.session.get("showcase_voter")
    if voter and voter.get("expires", 0) > time.time():
        return voter
    return None


def showcase(request: HttpRequest, pk: int) -> HttpResponse:
    shown = _public_showcase(request, pk)
    voter = _voter(request)
    nominations = shown.nominations.select_related("project", "organization").order_by("id")
    voted: set[int] = set()
    if voter:
        voted = set(nominations.filter(votes__voter=voter["key"]).values_list("pk", flat=True))
    photos = selectors.nomination_photos(nominations)
    shown_nominations = list(nominations)
    for nomination in shown_nominations:
        nomination.photo_list = photos.get(nomination.pk, [])  # type: ignore[attr-defined]
    context = {
        "showcase": shown,
        "nominations": shown_nominations,
        "voter": voter,
        "voted": voted,
        "mobile_form": MobileForm(initial={"mobile": request.session.get("showcase_mobile", "")}),
        "code_form": CodeForm(),
        "code_sent": bool(request.session.get("showcase_mobile")),
    }
    return render(request, "portal/showcase.html", context)


@require_POST
def showcase_code(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a one-time code to the mobile number the resident typed."""
    shown = _public_showcase(request, pk)
    form = MobileForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["mobile"]))
    else:
        try:
            verification.code_send(mobile=form.cleaned_data["mobile"], ip=client_ip(request))
        except verification.VerificationError as error:
            messages.error(request, str(error))
        else:
            request.session["showcase_mobile"] = form.cleaned_data["mobile"]
            messages.success(request, _("验证码已发送，请查看短信。"))
    return HttpResponseRedirect(site_reverse(request, "portal:showcase", shown.pk) + "#verify")


@require_POST
def showcase_verify(request: HttpRequest, pk: int) -> HttpResponse:
    shown = _public_showcase(request, pk)
    mobile = request.session.get("showcase_mobile")
    form = CodeForm(request.POST)
    if rate_limited(request, "showcase-verify", limit=20, window=600):
        messages.error(request, _("尝试次数过多，请稍后再试。"))
    elif not mobile:
        messages.error(request, _("请先填写手机号码并获取验证码。"))
    elif not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["code"]))
    else:
        try:
            verification.code_check(mobile=mobile, code=form.cleaned_data["code"])
        except verification.VerificationError as error:
            messages.error(request, str(error))
        else:
            request.session.cycle_key()
            request.session["showcase_voter"] = {
                "key": verification.voter_key(mobile),
                "mobile": mobile[:3] + "****" + mobile[-4:],
                "expires": time.time() + VOTER_SESSION_SECONDS,
            }
            request.session.pop("showcase_mobile", None)
            messages.success(request, _("验证成功，现在可以投票了。"))
    return HttpResponseRedirect(site_reverse(request, "portal:showcase", shown.pk) + "#verify")


@require_POST
def showcase_vote(request: HttpRequest, pk: int, nomination_pk: int) -> HttpResponse:
    shown = _public_showcase(request, pk)
    voter = _voter(request)
    if voter is None:
        messages.error(request, _("请先验证手机号码再投票。"))
        return HttpResponseRedirect(site_reverse(request, "portal:showcase", shown.pk) + "#verify")
    try:
        showcase_services.vote_cast(
            showcase=shown, nomination_id=nomination_pk, voter=voter["key"], ip=client_ip(request)
        )
    except showcase_services.VoteRefused as error:
        messages.error(request, str(error))
    else:
        nomination = showcase_selectors.nominations_with_projects().get(pk=nomination_pk)
        messages.success(request, _("投票成功：%(project)s。感谢您的参与！") % {"project": nomination.project.title})
    return HttpResponseRedirect(site_reverse(request, "portal:showcase", shown.pk) + f"#nomination-{nomination_pk}")


def commendation(request: HttpRequest, pk: int) -> HttpResponse:
    """The published commendation list (表彰名单)."""
    published = selectors.showcases(subtree(request)).filter(status__in=ShowcaseStatus.group("published"))
    shown = get_object_or_404(published, pk=pk)
    return render(request, "portal/commendation.html", {"showcase": shown, "awards": commendation_list(shown)})


def nomination_photo(request: HttpRequest, pk: int) -> FileResponse:
    """Photos of nominations are public once the showcase is open to the public."""
    photo = get_object_or_404(Attachment.objects.select_related("target_type"), pk=pk, purpose="photo")
    if (photo.target_type.app_label, photo.target_type.model) != ("showcase", "nomination") or not photo.is_image:
        raise Http404
    nominations = showcase_selectors.public_nominations().filter(
        showcase__organization__path__startswith=subtree(request)
    )
    if not nominations.filter(pk=photo.target_id).exists():
        raise Http404
    return FileResponse(photo.file.open("rb"), filename=photo.name)


def cases(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:50]
    page = Paginator(selectors.cases(subtree(request), query), 12).get_page(request.GET.get("page"))
    return render(request, "portal/cases.html", {"page": page, "query": query})


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case(subtree(request), pk)
    if case is None:
        raise Http404
    return render(request, "portal/case.html", {"case": case})
