from django import forms
from django.utils.translation import gettext_lazy

from projectize.core.forms import StyledForm


class TownForm(StyledForm):
    name = forms.CharField(
        label=gettext_lazy("镇党委名称"), max_length=100, help_text=gettext_lazy("例如：新桥镇党委。它是组织树的根。")
    )
    address = forms.CharField(label=gettext_lazy("地址"), max_length=200, required=False)
