"""What every API router shares: token auth, error shapes, and translating domain errors to HTTP."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.security import HttpBearer, django_auth
from pydantic import ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from zhiyuan.core import json_types
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
    """An input schema: an unknown field is a 422, not silently ignored (a typo must not lose data); a value
    of another JSON type than the field's is a 422 too (core.json_types), and a date-time without an
    offset is Beijing time, and null for a text field means empty text."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _as_documented(cls, value: Any, info: ValidationInfo) -> Any:
        annotation = cls.model_fields[info.field_name or ""].annotation
        if value is None and json_types.json_kinds(annotation) == {str, type(None)}:
            return ""  # an explicit null for a text field clears it (text columns hold "" for nothing)
        if json_types.wrong_json_type(annotation, value):
            raise PydanticCustomError(
                "wrong_json_type", _("类型不对：应为 {expected}"), {"expected": _kinds(annotation)}
            )
        if json_types.is_time_of_day(annotation) and json_types.bad_time_text(value):
            raise PydanticCustomError("time_parsing", _("须为时间（HH:MM 或 HH:MM:SS，北京时间）"))
        bound = _int_bound(info.field_name or "")
        if _out_of_range(value, bound):
            raise PydanticCustomError(
                "int_range", _("数值超出范围（绝对值须不大于 {bound}）"), {"bound": bound}
            )
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _beijing(cls, value: Any) -> Any:
        if isinstance(value, datetime) and timezone.is_naive(value):
            return timezone.make_aware(value)  # settings.TIME_ZONE: Asia/Shanghai
        return value


# A number the database cannot hold must be a 422, not an OverflowError (SQLite) or DataError (PostgreSQL):
# ids are 64-bit (BigAutoField), every other integer column is at most a 32-bit integer.
_ID_BOUND = 2**63 - 1
_INT_BOUND = 2**31 - 1


def _int_bound(field: str) -> int:
    return _ID_BOUND if field.endswith(("_id", "_ids")) or field == "id" else _INT_BOUND


def _out_of_range(value: Any, bound: int) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(isinstance(v, int) and not isinstance(v, bool) and abs(v) > bound for v in values)


def _kinds(annotation: Any) -> str:
    names = {bool: "true/false", int: _("整数"), float: _("数字"), str: _("字符串"), list: _("列表")}
    names |= {dict: _("对象"), type(None): "null"}
    return "、".join(
        str(names.get(k, k.__name__)) for k in sorted(json_types.json_kinds(annotation) or (), key=str)
    )


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
