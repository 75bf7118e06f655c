"""Staff pages: integrations' tokens (made, shown once, revoked, their use), their webhooks and deliveries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projectize.api import selectors, services
from projectize.api.forms import SubscriptionForm, TokenForm
from projectize.core.forms import save_through
from projectize.core.pagination import paginate
from projectize.core.typing import AuthedRequest
from projectize.orgs.selectors import administered_organizations


def _require(request: AuthedRequest) -> None:
    if not request.user.has_perm("api.manage_tokens"):
        raise PermissionDenied


NEW_KEY = "api_new_key"


@login_required
def token_list(request: AuthedRequest) -> HttpResponse:
    _require(request)
    organizations = administered_organizations(request.user)
    form = TokenForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        made = save_through(
            form,
            lambda: services.token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                organization=form.cleaned_data["organization"],
                can_write=form.cleaned_data["can_write"],
                acts_as=form.cleaned_data["acts_as"],
            ),
        )
        if made is not None:
            token, key = made
            # Handed to the next page only, which shows it once; the token itself stores only its hash.
            request.session[NEW_KEY] = key
            messages.success(request, _("已创建令牌“%(name)s”。") % {"name": token.name})
            return HttpResponseRedirect(reverse("integrations:tokens"))
    new_key = request.session.pop(NEW_KEY, "")
    page = paginate(request, selectors.tokens_for(request.user).order_by("-created_at", "-id"), 30)
    response = render(request, "api/tokens.html", {"form": form, "page": page, "new_key": new_key})
    if new_key:
        response["Cache-Control"] = "no-store"
    return response


@login_required
def token_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _require(request)
    token = get_object_or_404(selectors.tokens_for(request.user), pk=pk)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = save_through(
            form,
            lambda: services.subscription_create(
                actor=request.user, token=token, url=form.cleaned_data["url"], events=form.cleaned_data["events"]
            ),
        )
        if made is not None:
            messages.success(request, _("已添加事件订阅。签名密钥：%(secret)s（请妥善保存）") % {"secret": made.secret})
            return HttpResponseRedirect(request.path)
    context = {
        "token": token,
        "form": form,
        "subscriptions": selectors.subscriptions_of(token),
        "page": paginate(request, selectors.token_requests(token), 50),
    }
    return render(request, "api/token_detail.html", context)


@login_required
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    _require(request)
    token = get_object_or_404(selectors.tokens_for(request.user), pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("已吊销令牌“%(name)s”。") % {"name": token.name})
    return HttpResponseRedirect(reverse("integrations:token", args=[token.pk]))


@login_required
@require_POST
def subscription_disable(request: AuthedRequest, pk: int) -> HttpResponse:
    _require(request)
    subscription = get_object_or_404(selectors.subscriptions_for(request.user).select_related("token"), pk=pk)
    services.subscription_disable(actor=request.user, subscription=subscription)
    messages.success(request, _("已停用事件订阅。"))
    return HttpResponseRedirect(reverse("integrations:token", args=[subscription.token_id]))


@login_required
def delivery_list(request: AuthedRequest) -> HttpResponse:
    _require(request)
    deliveries = selectors.deliveries_for(request.user).order_by("-created_at", "-id")
    return render(request, "api/deliveries.html", {"page": paginate(request, deliveries, 50)})
