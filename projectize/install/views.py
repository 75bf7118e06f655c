"""The first page a superuser sees on a new installation: name the town committee, and the town is set up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from projectize.core.typing import AuthedRequest
from projectize.install.forms import TownForm
from projectize.install.selectors import needs_first_run
from projectize.install.services import town_setup


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
