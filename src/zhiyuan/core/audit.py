"""Audit trail, kept by django-simple-history: who changed what, when.

Services call `attribute` before saving so the change is signed by the acting user also outside a web
request (commands, tasks, the API).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model


def attribute(instance: Model, by: Any, reason: str = "") -> Model:
    if by is not None and getattr(by, "is_authenticated", False):
        instance._history_user = by  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]
    return instance


def changed_fields(record: Any) -> list[str]:
    """Names of the fields that differ from the previous historical record."""
    previous = record.prev_record
    if previous is None:
        return []
    return [change.field for change in record.diff_against(previous).changes]
