"""Domain errors that every edge (page, API, command) translates the same way."""

from django.core.exceptions import ValidationError


class Refused(Exception):
    """A valid request the rules refuse (e.g. deleting an organisation that still has members): HTTP 409."""


def field_errors(exc: ValidationError) -> dict[str, list[str]]:
    """{"field": ["message", …]}; errors not tied to a field come under "__all__"."""
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}
