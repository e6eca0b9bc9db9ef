"""What every API router shares: token auth, error shapes, and translating domain errors to HTTP."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.security import HttpBearer, django_auth
from pydantic import ConfigDict

from zhiyuan.core.models import ApiToken, User


class AuthedRequest(HttpRequest):
    """What an endpoint receives: ninja puts the authenticated user on `request.auth`."""

    auth: User


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.authenticate(token)
        if user is not None:
            # so the audit trail (simple-history reads request.user) signs API changes too
            request.user = user
        return user


AUTH = [BearerToken(), django_auth]


class Strict(Schema):
    """An input schema: an unknown field is a 422, not silently ignored (a typo must not lose data)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Error(Schema):
    """Every error under /api/ (core.api_errors): `detail` repeats `message` for clients that read it."""

    code: str = Field(description="stable machine code, e.g. not_found, refused, rate_limited")
    message: str = Field(description="中文说明")
    detail: str


class FieldError(Schema):
    loc: list[str | int] = Field(
        description='where, as the document names it: ["body", "name"], ["query", "limit"]'
    )
    msg: str = Field(description="中文说明")
    type: str


class ValidationErrors(Schema):
    """A 422: every bad field at once."""

    code: str = Field(description="validation_error")
    message: str
    detail: list[FieldError]
