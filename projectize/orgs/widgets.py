"""A type-to-search field for one organization (`OrganizationAutocomplete`), for choices too many to list.

It renders a text box the person types in and a hidden input with the chosen organization's number; the
script (`js/autocomplete.js`) asks `orgs:options` as they type and shows at most 20 matches. The field stays a
`ModelChoiceField`: its queryset is the scope, and a number outside it is refused beside the field.
"""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.http import urlencode

from projectize.orgs.models import Organization


class OrganizationAutocomplete(forms.Widget):
    template_name = "orgs/widgets/autocomplete.html"

    class Media:
        js = ["js/autocomplete.js"]
        css = {"all": ["css/autocomplete.css"]}

    def __init__(self, *, kind: str, within: Organization | None = None, attrs: dict[str, Any] | None = None):
        super().__init__(attrs)
        self.kind = kind
        self.within = within

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = None
        if value not in (None, "") and str(value).isdigit():
            queryset = getattr(getattr(self, "choices", None), "queryset", None)
            if queryset is not None:
                chosen = queryset.filter(pk=value).only("name").first()
        query = urlencode({"kind": self.kind, "within": self.within.pk if self.within else ""})
        context["widget"].update(
            {
                "label": chosen.name if chosen else "",
                "chosen": chosen.pk if chosen else "",
                "url": f"{reverse('orgs:options')}?{query}",
            }
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)
