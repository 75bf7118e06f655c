"""The first page a superuser sees on a new installation: name the town committee, and the town is set up."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projectize.core.forms import StyledForm
from projectize.core.typing import AuthedRequest
from projectize.orgs.setup import needs_first_run, town_setup


class TownForm(StyledForm):
    name = forms.CharField(
        label=gettext_lazy("镇党委名称"), max_length=100, help_text=gettext_lazy("例如：新桥镇党委。它是组织树的根。")
    )
    address = forms.CharField(label=gettext_lazy("地址"), max_length=200, required=False)


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
    return render(request, "orgs/first_run.html", {"form": form})
