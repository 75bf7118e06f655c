from typing import Any

from django import forms

from projectize.core.forms import StyledModelForm
from projectize.programmes.models import Programme, Section, Target

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ProgrammeForm(StyledModelForm):
    class Meta:
        model = Programme
        fields = ["year", "title", "description", "claim_opens", "claim_closes", "notice_days"]
        widgets = {"claim_opens": DATETIME, "claim_closes": DATETIME, "description": forms.Textarea(attrs={"rows": 3})}


class SectionForm(StyledModelForm):
    class Meta:
        model = Section
        fields = ["title", "order", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class TargetForm(StyledModelForm):
    class Meta:
        model = Target
        fields = [
            "section",
            "order",
            "title",
            "description",
            "expected_outcomes",
            "resources_required",
            "support_funds",
            "max_units",
            "requirements",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("description", "expected_outcomes", "resources_required", "requirements")
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = programme.sections.all()  # type: ignore[attr-defined]
        self.instance.programme = programme
