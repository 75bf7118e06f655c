"""The first page a superuser sees on a new installation (name the town committee, and the town is set up),
and the district staff's page that adds a town under their district."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from projectize.core.forms import save_through
from projectize.core.typing import AuthedRequest
from projectize.install.forms import NewTownForm, TownForm
from projectize.install.selectors import districts_run_by, needs_first_run
from projectize.install.services import ImportRefused, NewTown, town_onboard, town_setup

# The new town's one-time password is shown once, on the page the creation leads to.
NEW_TOWN_KEY = "install_new_town"


@login_required
def first_run(request: AuthedRequest) -> HttpResponse:
    if not needs_first_run(request.user):
        raise Http404
    form = TownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        root = town_setup(name=form.cleaned_data["name"], address=form.cleaned_data["address"], admin=request.user)
        messages.success(
            request,
            _("已建立“%(name)s”，并设好默认的需求类别、评分标准和预警规则。请用 Excel 模板导入组织和人员。")
            % {"name": root.name},
        )
        return HttpResponseRedirect(reverse("orgs:detail", args=[root.pk]))
    return render(request, "install/first_run.html", {"form": form})


@login_required
def town_new(request: AuthedRequest) -> HttpResponse:
    """District staff add a town: its committee, brand, first admin, defaults and organizations at once."""
    if not request.user.has_perm("install.add_town"):
        raise PermissionDenied
    districts = districts_run_by(request.user)
    if not districts.exists():
        raise PermissionDenied(_("您不是任何区委的工作人员，不能新建镇。"))
    form = NewTownForm(request.POST or None, request.FILES or None, districts=districts)
    rows: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def onboard() -> NewTown:
            try:
                return town_onboard(
                    actor=request.user,
                    district=data["district"],
                    name=data["name"],
                    kind=data["kind"],
                    address=data["address"],
                    slug=data["slug"],
                    brand_name=data["brand_name"],
                    code_prefix=data["code_prefix"],
                    admin_username=data["admin_username"],
                    admin_last_name=data["admin_last_name"],
                    admin_first_name=data["admin_first_name"],
                    admin_mobile=data["admin_mobile"],
                    organizations=data["organizations"],
                )
            except ImportRefused as refused:
                rows.extend(refused.rows)  # shown row by row under the form
                raise

        created: NewTown | None = save_through(form, onboard)
        if created is not None:
            request.session[NEW_TOWN_KEY] = {
                "town": created.town.pk,
                "name": created.town.name,
                "admin": created.admin.username,
                "password": created.password,
                "categories": created.copied.categories,
                "rubrics": created.copied.rubrics,
                "rules": created.copied.rules,
                "tiers": created.copied.tiers,
                "imported": created.imported,
            }
            return HttpResponseRedirect(reverse("install:town_done"))
    return render(request, "install/town_new.html", {"form": form, "rows": [row for row in rows if row.errors]})


@login_required
def town_done(request: AuthedRequest) -> HttpResponse:
    """What was set up, and the admin's one-time password: shown once, then gone from the session."""
    if not request.user.has_perm("install.add_town"):
        raise PermissionDenied
    created = request.session.pop(NEW_TOWN_KEY, None)
    if created is None:
        return HttpResponseRedirect(reverse("install:town_new"))
    return render(request, "install/town_done.html", {"created": created})
