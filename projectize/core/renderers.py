"""The form renderer: Django's, with plain select boxes written in Python.

Django writes each option of a select box through two template includes, about 25 µs an option. The lists'
filters offer hundreds of organizations and people, which made their select boxes a quarter of a list
page's work. `select_html` writes the same markup as Django's templates (tests/core/test_renderers.py
compares the two) in an eighth of the time. Widgets with templates of their own render as before.
"""

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Select
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # missing from the stubs

OPTION_TEMPLATE = Select.option_template_name


class FormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if template_name == Select.template_name and widget is not None and plain_options(widget):
            return select_html(widget)
        return super().render(template_name, context, request)


def plain_options(widget: dict[str, Any]) -> bool:
    options = (option for _group, group_options, _index in widget["optgroups"] for option in group_options)
    return all(option["template_name"] == OPTION_TEMPLATE for option in options)


def select_html(widget: dict[str, Any]) -> SafeString:
    """django/forms/widgets/select.html, select_option.html and attrs.html, byte for byte."""
    parts = [f'<select name="{text(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{text(group_name)}">')
        for option in options:
            value, label = formatted(option["value"]), text(option["label"])
            parts.append(f'\n  <option value="{value}"{attrs_html(option["attrs"])}>{label}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # the renderer strips the template's final newline
    return mark_safe("".join(parts))


def attrs_html(attrs: dict[str, Any]) -> str:
    return "".join(
        f" {text(name)}" if value is True else f' {text(name)}="{formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def text(value: Any) -> str:
    """A value as `{{ value }}` prints it: in local time, localized, then escaped unless already safe."""
    return str(conditional_escape(localize(template_localtime(value))))


def formatted(value: Any) -> str:
    """A value as `{{ value|stringformat:'s' }}` prints it (the filter keeps a safe value safe)."""
    string = "%s" % (str(value) if isinstance(value, tuple) else value)
    return string if isinstance(value, SafeData) else str(escape(string))
