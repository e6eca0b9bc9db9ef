"""Running a service from a form: the service's ValidationError lands on the form's fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError

from zhiyuan.core.errors import field_errors

T = TypeVar("T")


def submit(form: forms.BaseForm, service: Callable[..., T], **kwargs: Any) -> T | None:
    """Call `service`; on a ValidationError attach every message to its field and return None."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        for field, messages in field_errors(exc).items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
        return None


class PhoneInput(forms.TextInput):
    input_type = "tel"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "tel", "autocomplete": "tel", **(attrs or {})})
