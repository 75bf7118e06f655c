from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from projectize.core.workflow import TransitionError


class StyledFormMixin:
    """Gives every widget its Bootstrap class and marks fields with errors for screen readers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else ""
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                widget = self.fields[name].widget  # type: ignore[attr-defined]
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"
                widget.attrs["aria-invalid"] = "true"


class StyledForm(StyledFormMixin, forms.Form):
    pass


class RowsFormSet(forms.BaseFormSet):
    """A table of rows whose errors speak of the table's rows, never of Django's "forms". A table that
    needs a row says what is missing in its own words (override "too_few_forms")."""

    default_error_messages = {
        "missing_management_form": _("表格数据不完整，请刷新页面后重新填写。"),
        "too_many_forms": _("行数过多，请删去多余的行后再提交。"),
        "too_few_forms": _("请至少填写一行。"),
    }


class YearFilterField(forms.IntegerField):
    """The year filter of lists. A text box, not a number box: a wrong value stays in sight beside its
    error (a number box would blank it)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("年度"))
        kwargs.setdefault("error_messages", {"invalid": _("请填写四位数的年度，例如 2026。")})
        widget = forms.TextInput(attrs={"placeholder": _("全部年度"), "inputmode": "numeric", "size": 6})
        super().__init__(required=False, min_value=2000, max_value=2100, widget=widget, **kwargs)


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass


def save_through(form: forms.BaseForm, write: Callable[[], Any]) -> Any:
    """Run the service call behind a bound form. Its refusals land beside the fields at fault (or
    above the form when they concern no single field); returns None when refused."""
    try:
        return write()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            form.add_error(None, error)
    except TransitionError as error:
        form.add_error(None, str(error))
    return None
