from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from projectize.core.fields import MultipleFileField
from projectize.core.files import IMAGE_KINDS
from projectize.core.forms import StyledForm, StyledModelForm
from projectize.orgs.models import Organization, Role, User
from projectize.projects import selectors as project_selectors
from projectize.reviews import selectors as review_selectors
from projectize.reviews.models import Purpose
from projectize.showcase.models import LEVEL_ORDER, AwardLevelKind, Showcase
from projectize.showcase.selectors import ancestor_paths


class ShowcaseForm(StyledModelForm):
    class Meta:
        model = Showcase
        fields = [
            "year",
            "title",
            "theme",
            "description",
            "nomination_opens",
            "nomination_closes",
            "voting_opens",
            "voting_closes",
            "jury_weight",
            "public_weight",
            "rubric",
            "jury",
        ]
        widgets = {
            "nomination_opens": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "nomination_closes": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "voting_opens": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "voting_closes": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "jury": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, committee: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = review_selectors.active_rubrics(  # type: ignore[attr-defined]
            purpose=Purpose.SHOWCASE, organization_paths=ancestor_paths(committee.path)
        )
        self.fields["jury"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                grants__role__in=[Role.REVIEWER, Role.LEADER], grants__organization__path__startswith=committee.path
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        levels = {level.level: level for level in self.instance.levels.all()} if self.instance.pk else {}
        # Four fixed rows: count and reward for each award level.
        for kind in LEVEL_ORDER:
            label = AwardLevelKind(kind).label
            level = levels.get(kind)
            self.fields[f"{kind}_count"] = forms.IntegerField(
                label=_("%(level)s名额") % {"level": label},
                min_value=0,
                max_value=200,
                initial=level.count if level else 0,
            )
            self.fields[f"{kind}_amount"] = forms.DecimalField(
                label=_("%(level)s奖励（元/项）") % {"level": label},
                min_value=Decimal("0"),
                max_digits=14,
                decimal_places=2,
                initial=level.reward_amount if level else Decimal("0"),
                help_text=_("从专项奖励经费中列支；为 0 时不生成经费记录。"),
            )
            # StyledFormMixin styled the fields that existed before these were added.
            self.fields[f"{kind}_count"].widget.attrs["class"] = "form-control"
            self.fields[f"{kind}_amount"].widget.attrs["class"] = "form-control"

    def levels(self) -> list[tuple[str, int, Decimal]]:
        return [(kind, self.cleaned_data[f"{kind}_count"], self.cleaned_data[f"{kind}_amount"]) for kind in LEVEL_ORDER]


class NominationForm(StyledForm):
    project: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("推荐项目"), queryset=project_selectors.all_projects().none(), empty_label=_("请选择项目")
    )
    summary = forms.CharField(
        label=_("项目简介"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("200 字左右，说明项目做了什么、解决了什么问题、惠及了多少人。"),
    )
    highlights = forms.CharField(
        label=_("特色亮点"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一条，例如“首创楼组议事会，破解停车难题”。"),
    )
    photos = MultipleFileField(
        label=_("项目照片"),
        kinds=IMAGE_KINDS,
        help_text=_("JPEG 或 PNG，可多选，将在公众投票页展示。"),
    )

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]
