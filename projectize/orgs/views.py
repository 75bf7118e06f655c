"""Pages for the organization tree, the Excel import, and people with their roles."""

from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from projectize.core.exports import xlsx_response
from projectize.core.forms import save_through
from projectize.core.models import Job, JobStatus
from projectize.core.pagecache import cached_page
from projectize.core.typing import AuthedRequest
from projectize.orgs import imports, policy, selectors, services
from projectize.orgs.forms import (
    CommitteeProfileForm,
    GrantForm,
    ImportForm,
    MoveForm,
    NewUserForm,
    OrganizationFilterForm,
    OrganizationForm,
    PasswordChangeForm,
    SetPasswordForm,
    TokenForm,
    UserForm,
)
from projectize.orgs.models import CommitteeProfile, Organization, RoleGrant, User


def _organization(request: AuthedRequest, pk: int, *, change: bool = False) -> Organization:
    """The organization, if the user may see it (404 otherwise) and change it when asked (403)."""
    organization = get_object_or_404(Organization.objects.select_related("secretary"), pk=pk)
    if not request.user.has_perm("orgs.view_organization", organization):
        raise Http404
    if change and not request.user.has_perm("orgs.change_organization", organization):
        raise PermissionDenied(_("只有镇党委管理员可以修改组织。"))
    return organization


def _apply_errors(form: BaseForm, error: ValidationError, field: str | None = None) -> None:
    """Put a service's refusal next to the field it concerns (or above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(field, error)


# Tree, list, detail ----------------------------------------------------------------------------


@login_required
@cached_page
def tree(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    roots = selectors.tree_roots(request.user)
    if not roots and not request.user.is_superuser:
        raise PermissionDenied(_("您没有可查看的组织。"))
    context: dict[str, Any] = {"query": query, "can_manage": request.user.has_perm("orgs.manage_organizations")}
    if query:
        context["matches"] = selectors.search_organizations(request.user, query)
    else:
        # The top level and the level below it are open; deeper levels load on demand.
        context["nodes"] = [(root, _children_page(root, 1)) for root in roots]
    return render(request, "orgs/tree.html", context)


def _children_page(parent: Organization, number: Any) -> Any:
    # One level read in order by its index; the page's secretaries by their ids (joined, a large tree's
    # accounts would be read whole).
    children = selectors.children_of(parent).select_related(None).prefetch_related("secretary")
    return Paginator(children, selectors.CHILDREN_PAGE_SIZE).get_page(number)


@login_required
def children(request: AuthedRequest, pk: int) -> HttpResponse:
    """One level of the tree, for htmx to insert under a node (100 at a time)."""
    parent = _organization(request, pk)
    return render(
        request, "orgs/_tree_children.html", {"parent": parent, "page": _children_page(parent, request.GET.get("page"))}
    )


@login_required
def suggest(request: AuthedRequest) -> HttpResponse:
    """Options for the organization input's datalist: full paths of matching organizations."""
    # htmx sends the input under its own name (new_parent, organization ...): take whichever came.
    values = [value.strip() for key in request.GET for value in request.GET.getlist(key)]
    query = next((value for value in values if value), "")
    matches = selectors.search_organizations(request.user, query, limit=20) if query else []
    return render(request, "orgs/_suggestions.html", {"matches": matches})


@login_required
def organization_list(request: AuthedRequest) -> HttpResponseBase:
    if not selectors.tree_roots(request.user) and not request.user.is_superuser:
        raise PermissionDenied(_("您没有可查看的组织。"))
    form = OrganizationFilterForm(request.GET or None)
    subtree = None
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        if data.get("subtree"):
            subtree = _organization(request, data["subtree"])
        filters = {"name": data["name"].strip(), "kind": data["kind"], "active": form.active_value()}
    found = selectors.filter_organizations(request.user, subtree=subtree, **filters)
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                o.name,
                o.get_kind_display(),
                o.secretary or "",
                o.contact_name,
                o.contact_phone,
                o.address,
                _("在用") if o.is_active else _("已归档"),
            )
            for o in found.select_related("secretary").iterator()
        )
        headers = [_("名称"), _("类型"), _("书记"), _("联系人"), _("联系电话"), _("地址"), _("状态")]
        return xlsx_response("organizations.xlsx", [(_("组织列表"), headers, rows)])
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    selectors.with_ancestors(page.object_list)
    return render(request, "orgs/list.html", {"form": form, "page": page, "subtree": subtree})


@login_required
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    organization = _organization(request, pk)
    selectors.with_ancestors([organization])
    children_page = _children_page(organization, 1)
    grants = selectors.role_holders(organization)
    can_change = request.user.has_perm("orgs.change_organization", organization)
    return render(
        request,
        "orgs/detail.html",
        {
            "org": organization,
            "children_page": children_page,
            "grants": grants,
            "can_change": can_change,
            "has_secretary_grant": any(g.role == "secretary" for g in grants),
        },
    )


# Changes ---------------------------------------------------------------------------------------


@login_required
def create(request: AuthedRequest, pk: int) -> HttpResponse:
    parent = _organization(request, pk, change=True)
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organization = services.organization_create(
                actor=request.user,
                parent=parent,
                name=data["name"],
                kind=data["kind"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                address=data["address"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("已新建“%(org)s”。") % {"org": organization})
            return HttpResponseRedirect(organization.get_absolute_url())
    selectors.with_ancestors([parent])
    return render(request, "orgs/form.html", {"form": form, "parent": parent, "org": None})


@login_required
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    organization = _organization(request, pk, change=True)
    form = OrganizationForm(request.POST or None, instance=Organization.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.organization_update(actor=request.user, organization=organization, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return HttpResponseRedirect(organization.get_absolute_url())
    selectors.with_ancestors([organization])
    return render(request, "orgs/form.html", {"form": form, "org": organization})


@login_required
def profile(request: AuthedRequest, pk: int) -> HttpResponse:
    """A committee's public site and brand, set by its own admins."""
    organization = _organization(request, pk, change=True)
    if not organization.is_committee:
        raise Http404
    saved = CommitteeProfile.objects.filter(organization=organization)
    # The form writes what was typed into its instance; the page shows the saved profile from its own copy.
    current = saved.first()
    form = CommitteeProfileForm(
        request.POST or None,
        request.FILES or None,
        instance=saved.first() or CommitteeProfile(organization=organization),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        logo = data["logo"]
        try:
            services.committee_profile_save(
                actor=request.user,
                organization=organization,
                slug=data["slug"],
                brand_name=data["brand_name"],
                brand_colour=data["brand_colour"],
                accent_colour=data["accent_colour"],
                code_prefix=data["code_prefix"],
                logo=logo if isinstance(logo, UploadedFile) else None,
                remove_logo=data.get("remove_logo", False),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("已保存。公开网站首页最多一分钟后显示新的品牌。"))
            return HttpResponseRedirect(organization.get_absolute_url())
    selectors.with_ancestors([organization])
    return render(request, "orgs/profile.html", {"form": form, "org": organization, "profile": current})


@login_required
def move(request: AuthedRequest, pk: int) -> HttpResponse:
    organization = _organization(request, pk, change=True)
    candidates = selectors.administered_organizations(request.user).filter(is_active=True)
    form = MoveForm(request.POST or None, queryset=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_move(
                actor=request.user, organization=organization, new_parent=form.cleaned_data["new_parent"]
            )
        except ValidationError as error:
            _apply_errors(form, error, "new_parent")
        else:
            messages.success(request, _("已移动“%(org)s”。") % {"org": organization})
            return HttpResponseRedirect(organization.get_absolute_url())
    selectors.with_ancestors([organization])
    return render(request, "orgs/move.html", {"form": form, "org": organization})


@login_required
@require_POST
def set_active(request: AuthedRequest, pk: int, active: bool) -> HttpResponse:
    organization = _organization(request, pk, change=True)
    try:
        count = services.organization_set_active(actor=request.user, organization=organization, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = _("已恢复 %(n)d 个组织。") if active else _("已归档 %(n)d 个组织。")
        messages.success(request, done % {"n": count})
    return HttpResponseRedirect(organization.get_absolute_url())


# Excel import ----------------------------------------------------------------------------------


def _require_manager(request: AuthedRequest) -> None:
    if not request.user.has_perm("orgs.manage_organizations"):
        raise PermissionDenied(_("只有镇党委管理员可以导入组织。"))


@login_required
def import_template(request: AuthedRequest) -> HttpResponse:
    _require_manager(request)
    response = HttpResponse(
        imports.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="organizations-template.xlsx"'
    return response


@login_required
def import_upload(request: AuthedRequest) -> HttpResponse:
    _require_manager(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        # The file is only measured here; a background job reads and checks its rows.
        job = imports.import_start(actor=request.user, upload=form.cleaned_data["file"])
        return HttpResponseRedirect(job.get_absolute_url())
    return render(request, "orgs/import.html", {"form": form})


@login_required
def import_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    """Every row of a finished import job with its errors; confirming queues the job that writes them."""
    _require_manager(request)
    job = get_object_or_404(Job, pk=pk, owner=request.user, kind=imports.IMPORT_JOB, status=JobStatus.DONE)
    rows = imports.checked_rows(job)
    error_count = sum(1 for row in rows if row.errors)
    created = job.params.get("created")
    if request.method == "POST":
        if "cancel" in request.POST:
            messages.info(request, _("已取消导入，未写入任何数据。"))
            return HttpResponseRedirect(reverse("orgs:import"))
        if created is None and not error_count:
            writing = imports.import_confirm(actor=request.user, job=job)
            return HttpResponseRedirect(writing.get_absolute_url())
        messages.error(request, _("有错误的行，未写入任何数据。"))
    page = Paginator(rows, 200).get_page(request.GET.get("page"))
    context = {
        "rows": rows,
        "page": page,
        "error_count": error_count,
        "created": created,
        "file_name": job.params["name"],
        "form": ImportForm(),
    }
    return render(request, "orgs/import_preview.html", context)


# People and roles ------------------------------------------------------------------------------


def _require_user_manager(request: AuthedRequest) -> None:
    if not request.user.has_perm("orgs.manage_users"):
        raise PermissionDenied(_("只有镇党委管理员可以管理用户。"))


def _account(request: AuthedRequest, pk: int, *, change: bool = False) -> User:
    _require_user_manager(request)
    account = get_object_or_404(selectors.visible_users(request.user), pk=pk)
    if change and not request.user.has_perm("orgs.change_user", account):
        raise PermissionDenied(_("该用户在您管理范围之外也有角色，您不能修改。"))
    return account


@login_required
def user_list(request: AuthedRequest) -> HttpResponseBase:
    _require_user_manager(request)
    query = request.GET.get("q", "")
    found: QuerySet[User] = selectors.search_users(request.user, query).prefetch_related("grants__organization")
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                u.username,
                u.get_full_name(),
                u.mobile or "",
                u.email,
                "；".join(f"{g.organization} · {g.get_role_display()}" for g in u.grants.all()),
                _("在用") if u.is_active else _("已停用"),
            )
            for u in found.iterator(chunk_size=2000)
        )
        headers = [_("用户名"), _("姓名"), _("手机号码"), _("电子邮箱"), _("角色"), _("状态")]
        return xlsx_response("users.xlsx", [(_("用户"), headers, rows)])
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "orgs/user_list.html", {"page": page, "query": query})


@login_required
def user_create(request: AuthedRequest) -> HttpResponse:
    _require_user_manager(request)
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.user_create(
                actor=request.user,
                username=data["username"],
                last_name=data["last_name"],
                first_name=data["first_name"],
                mobile=data["mobile"],
                email=data["email"],
                is_active=data["is_active"],
                password=data["password1"],
            )
        except ValidationError as error:
            _apply_errors(form, error, "password1")
        else:
            messages.success(request, _("已新建用户“%(user)s”，请为其授予角色。") % {"user": account})
            return HttpResponseRedirect(reverse("orgs:user_detail", args=[account.pk]))
    return render(request, "orgs/user_form.html", {"form": form, "account": None})


@login_required
def user_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    form = GrantForm(
        request.POST or None,
        queryset=selectors.administered_organizations(request.user).filter(is_active=True),
    )
    can_change = request.user.has_perm("orgs.change_user", account)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("该用户在您管理范围之外也有角色，您不能修改。"))
        if form.is_valid():
            try:
                services.role_grant(
                    actor=request.user,
                    account=account,
                    role=form.cleaned_data["role"],
                    organization=form.cleaned_data["organization"],
                )
            except ValidationError as error:
                _apply_errors(form, error, "organization")
            else:
                messages.success(request, _("已授予角色。"))
                return HttpResponseRedirect(reverse("orgs:user_detail", args=[account.pk]))
    grants = selectors.user_grants(account)
    context = {
        "account": account,
        "grants": grants,
        "form": form,
        "can_change": can_change,
        "has_authenticator": policy.has_authenticator(account),
    }
    return render(request, "orgs/user_detail.html", context)


@login_required
def user_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    account = _account(request, pk, change=True)
    form = UserForm(request.POST or None, instance=User.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, account=account, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return HttpResponseRedirect(reverse("orgs:user_detail", args=[account.pk]))
    return render(request, "orgs/user_form.html", {"form": form, "account": account})


@login_required
def user_password(request: AuthedRequest, pk: int) -> HttpResponse:
    account = _account(request, pk, change=True)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(actor=request.user, account=account, password=form.cleaned_data["password1"])
        except ValidationError as error:
            _apply_errors(form, error, "password1")
        else:
            messages.success(request, _("已为“%(user)s”设置新密码。") % {"user": account})
            return HttpResponseRedirect(reverse("orgs:user_detail", args=[account.pk]))
    return render(request, "orgs/user_password.html", {"form": form, "account": account})


@login_required
@require_POST
def user_set_active(request: AuthedRequest, pk: int, active: bool) -> HttpResponse:
    account = _account(request, pk, change=True)
    try:
        services.user_set_active(actor=request.user, account=account, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已启用该用户。") if active else _("已停用该用户，其不能再登录。"))
    return HttpResponseRedirect(reverse("orgs:user_detail", args=[account.pk]))


@login_required
@require_POST
def user_totp_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    account = _account(request, pk, change=True)
    services.user_totp_reset(actor=request.user, account=account)
    messages.success(request, _("已重置两步验证，原来的验证器不再有效；该用户可在下次登录后重新设置。"))
    return HttpResponseRedirect(reverse("orgs:user_detail", args=[account.pk]))


@login_required
@require_POST
def grant_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_user_manager(request)
    grant = get_object_or_404(RoleGrant.objects.select_related("user", "organization"), pk=pk)
    if not request.user.has_perm("orgs.change_organization", grant.organization):
        raise Http404
    try:
        services.role_revoke(actor=request.user, grant=grant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已撤销角色。"))
    return HttpResponseRedirect(reverse("orgs:user_detail", args=[grant.user_id]))


# --- One's own account: password change, the authenticator (second factor) ---

OTP_SETUP_KEY = "otp-setup-key"


def _next_page(request: AuthedRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("core:home")


@login_required
def password_change(request: AuthedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(user=request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        policy.step_done(request, "password_change")
        return HttpResponseRedirect(reverse("password_change_done"))
    expired = policy.next_step(request) == "password_change"
    return render(
        request,
        "registration/password_change_form.html",
        {"form": form, "expired": expired, "max_age_days": settings.PASSWORD_MAX_AGE_DAYS},
    )


@login_required
def otp_setup(request: AuthedRequest) -> HttpResponse:
    """Show a new key as a QR code for the authenticator app; its first code turns the second factor on."""
    key = request.session.get(OTP_SETUP_KEY) or random_hex(20)
    request.session[OTP_SETUP_KEY] = key
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        device = save_through(form, lambda: services.totp_enable(user=request.user, key=key, token=token))
        if device is not None:
            del request.session[OTP_SETUP_KEY]
            otp_login(request, device)
            policy.step_done(request, "otp_setup")
            messages.success(request, _("已开启两步验证。以后每次登录，输入密码后还要输入验证器里的验证码。"))
            return HttpResponseRedirect(_next_page(request))
    device = TOTPDevice(user=request.user, key=key)
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": policy.next_step(request) == "otp_setup",
        "enabled": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
        "next": _next_page(request),
    }
    return render(request, "registration/otp_setup.html", context)


@login_required
def otp_verify(request: AuthedRequest) -> HttpResponse:
    """The second step of signing in: the code the person's authenticator app shows now."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        device = save_through(form, lambda: services.totp_verify(user=request.user, token=token))
        if device is not None:
            otp_login(request, device)
            policy.step_done(request, "otp_verify")
            return HttpResponseRedirect(_next_page(request))
    return render(request, "registration/otp_verify.html", {"form": form, "next": _next_page(request)})
