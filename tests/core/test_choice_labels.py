"""`get_<field>_display()` of the application's models says what Django's own says, for every choice."""

import pytest
from django.apps import apps
from django.db import models
from django.utils.translation import override

from projectize.core.models import TimeStampedModel

MODELS = [model for model in apps.get_models() if issubclass(model, TimeStampedModel)]
# Django's own implementation, which the application's models replace.
django_display = models.Model._get_FIELD_display  # type: ignore[attr-defined]
FIELDS = [(model, field) for model in MODELS for field in model._meta.concrete_fields if field.choices]


def test_there_are_labelled_fields_to_compare():
    assert len(FIELDS) > 20


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_label_is_django_s(language):
    with override(language):
        for model, field in FIELDS:
            for value in [*(choice for choice, _label in field.flatchoices), "no-such-choice", None]:
                obj = model()
                setattr(obj, field.attname, value)
                ours = getattr(obj, f"get_{field.name}_display")()
                expected = django_display(obj, field)
                assert ours == expected and type(ours) is type(expected), (model, field.name, value)
