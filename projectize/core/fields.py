from typing import Any

from django import forms

from projectize.core.files import DOCUMENT_KINDS, validate_upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each checked by content and size beside the field."""

    def __init__(self, *args: Any, kinds: frozenset[str] = DOCUMENT_KINDS, **kwargs: Any) -> None:
        self.kinds = kinds
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in files]
        if self.required and not cleaned:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        for upload in cleaned:
            validate_upload(upload, self.kinds)
        return cleaned
