"""What every API router shares: token auth, error shapes, and translating domain errors to HTTP."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.security import HttpBearer, django_auth
from pydantic import ConfigDict

from zhiyuan.core import access
from zhiyuan.core.errors import Refused, field_errors
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
    detail: str


class FieldError(Schema):
    loc: list[str]
    msg: str
    type: str


class ValidationErrors(Schema):
    detail: list[FieldError]


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        detail = [
            {"loc": ["body", field], "msg": message, "type": "value_error"}
            for field, messages in field_errors(exc).items()
            for message in messages
        ]
        return api.create_response(request, {"detail": detail}, status=422)

    @api.exception_handler(access.PermissionDenied)
    def denied(request: HttpRequest, exc: access.PermissionDenied) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc)}, status=403)

    @api.exception_handler(Refused)
    def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc)}, status=409)
