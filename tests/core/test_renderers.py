"""Select boxes written in Python are the markup Django's templates write, byte for byte."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from projectize.core.renderers import FormRenderer
from projectize.orgs.models import Organization
from tests.factories import make_org, make_root

CHOICES = [
    ("", "全部"),
    (1, "新桥居民区党总支"),
    ("a&b", 'Tom & "Jerry" <script>'),
    ("safe", mark_safe("<b>已加粗</b>")),
    (2026, 2026),
    ("day", datetime.date(2026, 12, 3)),
    ("when", datetime.datetime(2026, 12, 3, 1, 30, tzinfo=datetime.UTC)),
    ("lazy", _("草稿")),
]
GROUPED = [("", "—"), ("第一组", [(1, "一"), (2, "二")]), (_("第二组"), [(3, "<三>")])]


def both(widget: forms.Widget, name: str, value: object) -> tuple[str, str]:
    return (
        widget.render(name, value, renderer=DjangoTemplates()),
        widget.render(name, value, renderer=FormRenderer()),
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.Select(choices=CHOICES), None),
        (forms.Select(choices=CHOICES, attrs={"class": "form-select", "data-x": 'a"b', "required": True}), 1),
        (forms.Select(choices=CHOICES, attrs={"disabled": True, "hidden": False, "aria-label": _("组织")}), "a&b"),
        (forms.Select(choices=GROUPED), 3),
        (forms.SelectMultiple(choices=CHOICES), ["a&b", 2026]),
        (forms.NullBooleanSelect(), True),
        (forms.Select(choices=[]), None),
    ],
)
def test_a_select_box_is_the_markup_of_django_s_templates(widget, value, language):
    with override(language):
        django_html, ours = both(widget, "field", value)
    assert ours == django_html


@pytest.mark.django_db
def test_a_model_choice_select_is_the_same(db):
    root = make_root()
    make_org(root, "春申<居民区>党总支")
    field = forms.ModelChoiceField(Organization.objects.order_by("path"), empty_label="全部组织")
    django_html, ours = both(field.widget, "organization", root.pk)
    assert ours == django_html and "selected>" in ours


def test_an_option_with_a_template_of_its_own_is_rendered_by_it():
    class Marked(forms.Select):
        option_template_name = "django/forms/widgets/input.html"

    django_html, ours = both(Marked(choices=CHOICES), "field", 1)
    assert ours == django_html and "<input" in ours


def test_forms_use_this_renderer():
    assert isinstance(get_default_renderer(), FormRenderer)
