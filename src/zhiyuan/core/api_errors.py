"""One JSON error body for everything under /api/: `{"code", "message", "detail"}`.

`code` is a stable machine word (`not_found`, `validation_error`, …), `message` is Chinese for a person,
`detail` is the message again or, for a 422, the list of field errors (`loc`, `msg`, `type`) with `loc`
naming the field as the OpenAPI document does (`["body", "name"]`, `["query", "limit"]`, list positions as
integers). Errors raised inside an operation are turned into this body by the handlers installed on the
NinjaAPI; what never reaches ninja (an unknown `/api/v1/...` path, a 405, a crash in a middleware) is
rewritten by `ApiErrorMiddleware`, so a client never sees an HTML page or plain text.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from zhiyuan.core import access
from zhiyuan.core.errors import Refused, field_errors

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"

# status → the machine code a client switches on (never translated, never changed once published)
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "server_error",
}


def default_message(status: int) -> str:
    messages = {
        400: _("请求无效。"),
        401: _("请先登录，或在 Authorization 头中提供有效的令牌（Bearer <token>）。"),
        403: _("没有权限。"),
        404: _("未找到。"),
        405: _("不支持该请求方法。"),
        409: _("当前状态不允许这样做。"),
        413: _("请求内容太大。"),
        415: _("不支持的内容类型。"),
        422: _("提交的数据有误，请检查标出的字段。"),
        429: _("请求过于频繁，请稍后再试。"),
        500: _("服务器出错了，请稍后再试；问题已记录。"),
    }
    return messages.get(status, _("请求无法完成。"))


class ApiError(HttpError):
    """An error an operation answers on purpose: `raise ApiError(429, message)`; the body is built here."""

    def __init__(self, status_code: int, message: str = "", *, code: str = "") -> None:
        super().__init__(status_code, message or default_message(status_code))
        self.code = code or CODES.get(status_code, "error")


def error_body(status: int, message: str = "", *, code: str = "") -> dict[str, Any]:
    message = message or default_message(status)
    return {"code": code or CODES.get(status, "error"), "message": message, "detail": message}


def validation_body(detail: list[dict[str, Any]]) -> dict[str, Any]:
    return {"code": CODES[422], "message": default_message(422), "detail": detail}


# pydantic error type → Chinese, with the error's ctx values filled in; unknown types fall back to 取值无效
def _pydantic_messages() -> dict[str, str]:
    return {
        "missing": _("必填项"),
        "extra_forbidden": _("不允许的字段"),
        "string_type": _("须为字符串"),
        "string_too_short": _("至少 {min_length} 个字符"),
        "string_too_long": _("最多 {max_length} 个字符"),
        "string_pattern_mismatch": _("格式不正确"),
        "string_unicode": _("须为有效的文本"),
        "int_type": _("须为整数"),
        "int_parsing": _("须为整数"),
        "int_from_float": _("须为整数"),
        "int_parsing_size": _("数值太大"),
        "float_type": _("须为数字"),
        "float_parsing": _("须为数字"),
        "finite_number": _("须为有限的数字"),
        "decimal_type": _("须为数字"),
        "decimal_parsing": _("须为数字"),
        "decimal_max_digits": _("位数太多"),
        "decimal_max_places": _("小数位太多"),
        "bool_type": _("须为 true 或 false"),
        "bool_parsing": _("须为 true 或 false"),
        "greater_than": _("须大于 {gt}"),
        "greater_than_equal": _("须大于或等于 {ge}"),
        "less_than": _("须小于 {lt}"),
        "less_than_equal": _("须小于或等于 {le}"),
        "multiple_of": _("须为 {multiple_of} 的倍数"),
        "date_type": _("须为日期（YYYY-MM-DD）"),
        "date_parsing": _("须为日期（YYYY-MM-DD）"),
        "date_from_datetime_parsing": _("须为日期（YYYY-MM-DD）"),
        "date_from_datetime_inexact": _("须为日期（YYYY-MM-DD）"),
        "date_past": _("须为过去的日期"),
        "date_future": _("须为将来的日期"),
        "datetime_type": _("须为日期时间（如 2027-01-23T08:00:00+08:00）"),
        "datetime_parsing": _("须为日期时间（如 2027-01-23T08:00:00+08:00）"),
        "datetime_from_date_parsing": _("须为日期时间（如 2027-01-23T08:00:00+08:00）"),
        "datetime_object_invalid": _("须为日期时间（如 2027-01-23T08:00:00+08:00）"),
        "timezone_naive": _("不能带时区"),
        "timezone_aware": _("须带时区（如 +08:00）"),
        "time_type": _("须为时间（HH:MM 或 HH:MM:SS）"),
        "time_parsing": _("须为时间（HH:MM 或 HH:MM:SS）"),
        "time_delta_type": _("须为时长"),
        "time_delta_parsing": _("须为时长"),
        "enum": _("须为以下之一：{expected}"),
        "literal_error": _("须为以下之一：{expected}"),
        "list_type": _("须为列表"),
        "tuple_type": _("须为列表"),
        "set_type": _("须为列表"),
        "too_short": _("至少 {min_length} 项"),
        "too_long": _("最多 {max_length} 项"),
        "dict_type": _("须为对象"),
        "model_type": _("须为对象"),
        "model_attributes_type": _("须为对象"),
        "dataclass_type": _("须为对象"),
        "json_invalid": _("不是有效的 JSON"),
        "json_type": _("不是有效的 JSON"),
        "uuid_type": _("须为 UUID"),
        "uuid_parsing": _("须为 UUID"),
        "url_type": _("须为网址"),
        "url_parsing": _("须为网址"),
        "url_scheme": _("网址协议不正确"),
        "value_error": _("取值无效"),
        "assertion_error": _("取值无效"),
        "union_tag_invalid": _("取值无效"),
        "none_required": _("须为空"),
        "is_instance_of": _("取值无效"),
        "bytes_type": _("须为文件"),
        "bytes_too_long": _("文件太大"),
    }


def _format(template: str, ctx: dict[str, Any]) -> str:
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template


def chinese_message(error: dict[str, Any]) -> str:
    """The Chinese text for one pydantic error. A validator's own ValueError keeps its (Chinese) text."""
    kind = error.get("type", "")
    ctx = dict(error.get("ctx") or {})
    own = str(error.get("msg", ""))
    if own and not own.isascii() and not own.startswith("Value error"):  # our validators speak Chinese
        return own.removeprefix("Value error, ")
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    if kind == "assertion_error" and ctx.get("error"):
        return str(ctx["error"])
    if kind in ("enum", "literal_error") and "expected" in ctx:
        ctx["expected"] = str(ctx["expected"]).replace(" or ", "、")
    template = _pydantic_messages().get(kind)
    if template is None:
        return _("取值无效")
    return _format(template, ctx)


def _location(loc: tuple[Any, ...] | list[Any]) -> list[str | int]:
    return [p if isinstance(p, int) else str(p) for p in loc]


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(NinjaValidationError)
    def ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        detail = [
            {
                "loc": _location(error.get("loc", ())),
                "msg": chinese_message(error),
                "type": str(error.get("type", "value_error")),
            }
            for error in exc.errors
        ]
        return respond(request, 422, validation_body(detail))

    @api.exception_handler(DjangoValidationError)
    def django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        detail = [
            {"loc": ["body", field], "msg": message, "type": "value_error"}
            for field, messages in field_errors(exc).items()
            for message in messages
        ]
        return respond(request, 422, validation_body(detail))

    @api.exception_handler(access.PermissionDenied)
    def denied(request: HttpRequest, exc: access.PermissionDenied) -> HttpResponse:
        return respond(request, 403, error_body(403, str(exc)))

    @api.exception_handler(Refused)
    def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
        return respond(request, 409, error_body(409, str(exc), code=getattr(exc, "code", "") or "refused"))

    @api.exception_handler(ProtectedError)
    def protected(request: HttpRequest, exc: ProtectedError) -> HttpResponse:
        return respond(request, 409, error_body(409, still_referred_message(exc), code="still_referred"))

    @api.exception_handler(RestrictedError)
    def restricted(request: HttpRequest, exc: RestrictedError) -> HttpResponse:
        return respond(request, 409, error_body(409, still_referred_message(exc), code="still_referred"))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        text = str(exc)
        # Django's own texts ("No X matches the given query.") are English and name models: use ours
        if not text or text.isascii():
            text = default_message(404)
        return respond(request, 404, error_body(404, text))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, error_body(401))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        message = str(exc)
        if not message or message.isascii():  # ninja's own English ("Too many requests.")
            message = default_message(status)
        return respond(request, status, error_body(status, message, code=getattr(exc, "code", "")))

    @api.exception_handler(OverflowError)
    @api.exception_handler(DataError)
    def out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
        # a number no column can hold (an id of 2^70 in a query string): the caller's input, not our crash
        detail = [{"loc": ["query"], "msg": _("数值超出范围。"), "type": "int_range"}]
        return respond(request, 422, validation_body(detail))

    @api.exception_handler(Exception)
    def crashed(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return respond(request, 500, error_body(500))


def still_referred_message(exc: ProtectedError | RestrictedError) -> str:
    """ "仍被引用，不能删除：场馆「…」、渠道「…」" — which objects point here, so the officer knows what to move first."""
    names: list[str] = []
    for obj in list(exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects)[:5]:
        kind = str(getattr(obj._meta, "verbose_name", obj._meta.model_name))
        names.append(f"{kind}「{obj}」")
    return _("仍被其他记录引用，不能删除：{names}。请先移除或改挂这些记录。").format(names="、".join(names))


class ApiErrorMiddleware:
    """Under /api/, anything that is not already JSON becomes the error body.

    This covers what ninja never sees: Django's 404 for an unknown `/api/v1/...` path, the 405 ninja's
    path view answers in plain text, a 500 from a crash outside an operation, and a CSRF 403.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        replaced = JsonResponse(
            error_body(response.status_code),
            status=response.status_code,
            json_dumps_params={"ensure_ascii": False},
        )
        if response.has_header("Allow"):
            replaced["Allow"] = response["Allow"]
        return replaced

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX) or isinstance(exception, Http404):
            return None
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exception)
        return JsonResponse(error_body(500), status=500, json_dumps_params={"ensure_ascii": False})


def is_error_body(content: bytes) -> bool:
    """For tests: the body parses as the shared error envelope."""
    try:
        body = json.loads(content)
    except ValueError:
        return False
    return isinstance(body, dict) and {"code", "message", "detail"} <= body.keys()
