"""The NinjaAPI the project serves, with the contract rules every operation follows (docs/api.md).

- Every operation documents its error answers: the rules below add the statuses an operation can answer
  (401/403 when it needs a login, 404/422 when it takes input, 400 for an unreadable body, 409 for writes,
  429 for anonymous writes), all with the one error body of `core.api_errors`; an operation's own
  declarations are kept and pointed at the same body.
- A 422's `loc` names a field the way the document does: ninja's `body.payload.name` becomes `body.name`,
  since the document shows the payload itself as the request body.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.errors import ValidationError, ValidationErrorContext
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema

from zhiyuan.core import json_types
from zhiyuan.core.api import Error, ValidationErrors
from zhiyuan.core.api_errors import ApiErrorMiddleware, default_message, install_error_handlers

__all__ = ["ApiErrorMiddleware", "ContractAPI"]

WRITE_METHODS = {"post", "put", "patch", "delete"}


def _documented_errors(method: str, operation: dict[str, Any]) -> set[int]:
    params = operation.get("parameters") or []
    has_input = bool(params) or "requestBody" in operation
    statuses: set[int] = set()
    if operation.get("security"):
        statuses |= {401, 403}
    if has_input:
        statuses |= {404, 422}
    if "requestBody" in operation:
        statuses.add(400)
    if method in WRITE_METHODS:
        statuses |= {404, 409}
        if not operation.get("security"):
            statuses.add(429)  # public writes are rate-limited per IP and per phone
    return statuses


def _error_response(status: int) -> dict[str, Any]:
    name = ValidationErrors.__name__ if status == 422 else Error.__name__
    return {
        "description": str(default_message(status)),
        "content": {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model=name)}}},
    }


def document_times(node: Any) -> None:
    """A time of day is a Beijing wall-clock "HH:MM[:SS]"; JSON Schema's `format: time` would demand an
    offset (RFC 3339), so the document says what is sent and accepted with a pattern instead."""
    if isinstance(node, dict):
        if node.get("format") == "time":
            del node["format"]
            node["pattern"] = json_types.TIME_PATTERN
            node.setdefault("description", "北京时间 HH:MM 或 HH:MM:SS")
        for value in node.values():
            document_times(value)
    elif isinstance(node, list):
        for value in node:
            document_times(value)


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Give every operation its error answers, each with the shared error body."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (Error, ValidationErrors):
        generated = model.model_json_schema(
            ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode="serialization"
        )
        components.update(generated.pop("$defs", {}))
        components[model.__name__] = generated
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = {int(s): r for s, r in operation.get("responses", {}).items()}
            wanted = _documented_errors(method, operation) | {s for s in responses if s >= 400}
            for status in wanted:
                responses[status] = _error_response(status)
            operation["responses"] = dict(sorted(responses.items()))
    return schema


class ContractAPI(NinjaAPI):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        install_error_handlers(self)
        self._openapi_cache: dict[str, OpenAPISchema] = {}

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        key = f"{path_prefix}|{path_params}"
        if key not in self._openapi_cache:
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            document_errors(schema)
            document_times(schema)
            self._openapi_cache[key] = schema
        return self._openapi_cache[key]

    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext]
    ) -> ValidationError:
        error = super().validation_error_from_error_contexts(error_contexts)
        body_params: set[str] = set()
        for context in error_contexts:
            model = context.model
            # one body parameter: the document shows its schema as the whole body (ninja's remove_level)
            if model.__ninja_param_source__ == "body" and len(model.model_fields) == 1:
                body_params |= set(model.model_fields)
        for item in error.errors:
            loc = list(item.get("loc", ()))
            if len(loc) >= 2 and loc[0] == "body" and loc[1] in body_params:
                item["loc"] = (loc[0], *loc[2:])
        return error
