"""The API's contract (docs/api.md), checked over every operation, so operations added later fall under it."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest
from django.test import Client

from tests.api_models import used_models
from tests.conftest import Api
from zhiyuan.config.api import api as ninja_api
from zhiyuan.core.api_errors import chinese_message

# ninja's own per-operation parameter containers: flattened into the operation, never components
NINJA_CONTAINERS = {
    "NinjaResponseSchema",
    "QueryParams",
    "PathParams",
    "BodyParams",
    "FormParams",
    "FileParams",
}
NINJA_CONTAINERS |= {"HeaderParams", "CookieParams"}


def spec() -> dict[str, Any]:
    return json.loads(json.dumps(ninja_api.get_openapi_schema(path_prefix="/api/v1/")))


def every_operation() -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in spec()["paths"].items() for method, op in item.items()]


def test_no_two_schemas_share_a_name():
    # ninja keeps one of two same-named schemas in components and points both operations at it: the
    # document then lies for one of them. Two classes may share a name only if their schemas are equal.
    by_name: dict[str, list[tuple[type, set[str]]]] = defaultdict(list)
    for model, where in used_models().items():
        if model.__name__ not in NINJA_CONTAINERS:
            by_name[model.__name__].append((model, where))
    clashes = []
    for name, models in by_name.items():
        schemas = {
            json.dumps(m.model_json_schema(), sort_keys=True)
            for m, _ in models
            if hasattr(m, "model_json_schema")
        }
        if len(models) > 1 and (
            len(schemas) > 1 or any(not hasattr(m, "model_json_schema") for m, _ in models)
        ):
            clashes.append(f"{name}: " + "; ".join(f"{m.__module__} ({sorted(w)[0]})" for m, w in models))
    assert not clashes, "schema names used twice:\n" + "\n".join(clashes)


def test_every_operation_documents_its_errors_with_the_one_error_body():
    missing = []
    for path, method, op in every_operation():
        codes = {int(c) for c in op["responses"]}
        has_input = bool(op.get("parameters")) or "requestBody" in op
        wanted = ({401, 403} if op.get("security") else set()) | ({404, 422} if has_input else set())
        if method != "get":
            wanted |= {409}
        if not wanted <= codes:
            missing.append(f"{method.upper()} {path}: {sorted(wanted - codes)}")
        for code, response in op["responses"].items():
            if int(code) >= 400:
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ValidationErrors" if int(code) == 422 else "/Error"), (path, code)
    assert not missing, "\n".join(missing)


def test_every_list_is_paginated_with_bounded_limit_and_offset():
    bare, unbounded = [], []
    for path, method, op in every_operation():
        for code, response in op["responses"].items():
            schema = response.get("content", {}).get("application/json", {}).get("schema", {})
            if code.startswith("2") and schema.get("type") == "array":
                bare.append(f"{method.upper()} {path}")
        for param in op.get("parameters", []):
            if param["name"] == "limit" and not 1 <= param["schema"].get("maximum", 10**9) <= 200:
                unbounded.append(f"{path} limit")
            if param["name"] in ("limit", "offset") and "maximum" not in param["schema"]:
                unbounded.append(f"{path} {param['name']}")
    assert not bare, "lists must be {items, count}: " + ", ".join(bare)
    assert not unbounded, ", ".join(unbounded)


def test_operation_ids_are_unique():
    ids = [op["operationId"] for _, _, op in every_operation()]
    assert len(ids) == len(set(ids))


# ---- the error body, for every kind of error --------------------------------------------------------


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert body["message"] and not body["message"].isascii()  # Chinese
    return body


def test_unknown_api_path_is_a_json_404(client, db):
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error(client.get("/api/v2/organizations"), 404, "not_found")


def test_wrong_method_is_a_json_405(world):
    response = Api(world.admin).client.put("/api/v1/healthz")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_missing_token_is_a_json_401(client, db):
    assert_error(client.get("/api/v1/organizations"), 401, "unauthorized")


def test_unknown_object_is_a_json_404_in_chinese(world):
    assert_error(Api(world.admin).get("/organizations/999999"), 404, "not_found")


def test_a_crash_is_a_json_500_and_is_logged(world, monkeypatch, caplog):
    from zhiyuan.organizations import selectors

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "organization_list", broken)
    body = assert_error(Api(world.admin).get("/organizations"), 500, "server_error")
    assert "boom" not in json.dumps(body)  # nothing internal leaks
    assert any("boom" in str(r.exc_info) for r in caplog.records if r.exc_info)


def test_framework_validation_is_in_chinese_with_loc_as_documented(world):
    response = Api(world.admin).post("/organizations", {"kind": "team", "extra": 1})
    body = assert_error(response, 422, "validation_error")
    by_loc = {tuple(e["loc"]): e for e in body["detail"]}
    # the document shows the payload itself as the body, so the loc has no "payload" in it
    assert by_loc[("body", "name")]["msg"] == "必填项"
    assert by_loc[("body", "extra")]["msg"] == "不允许的字段"


def test_query_validation_names_the_parameter(world):
    body = assert_error(Api(world.admin).get("/organizations?limit=100000"), 422, "validation_error")
    assert body["detail"][0]["loc"] == ["query", "limit"]
    assert body["detail"][0]["msg"] == "须小于或等于 200"


def test_an_unreadable_body_is_a_json_400(world):
    client = Api(world.admin)
    response = client.client.post(
        "/api/v1/organizations",
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {client.token}",
    )
    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize(
    ("error", "text"),
    [
        ({"type": "missing"}, "必填项"),
        ({"type": "string_too_long", "ctx": {"max_length": 30}}, "最多 30 个字符"),
        ({"type": "greater_than_equal", "ctx": {"ge": 1}}, "须大于或等于 1"),
        ({"type": "enum", "ctx": {"expected": "'a', 'b' or 'c'"}}, "须为以下之一：'a', 'b'、'c'"),
        ({"type": "value_error", "ctx": {"error": "手机号码格式不正确"}}, "手机号码格式不正确"),
        ({"type": "something_new"}, "取值无效"),
    ],
)
def test_pydantic_errors_read_in_chinese(error, text):
    assert chinese_message(error) == text


def test_list_positions_are_integers(world):
    # a bad item in a list is reported at its position, as an integer (the schema allows str | int)
    client = Client()
    response = client.post("/api/v1/register", data={"x": 1}, content_type="application/json")
    assert response.status_code == 422
    for error in response.json()["detail"]:
        assert all(isinstance(p, (str, int)) for p in error["loc"])


def test_every_request_body_is_strict():
    # Strict: unknown fields and values of another JSON type are 422, naive date-times are Beijing time
    from tests.api_models import operations
    from zhiyuan.core.api import Strict

    loose = set()
    for name, operation in operations():
        for model in operation.models:
            if model.__ninja_param_source__ == "body":
                for field in model.model_fields.values():
                    kind = field.annotation
                    if isinstance(kind, type) and not issubclass(kind, Strict):
                        loose.add(f"{name}: {kind.__name__}")
    assert not loose, loose


def test_values_of_another_json_type_are_refused(world):
    api = Api(world.admin)
    body = assert_error(api.post("/organizations", {"name": 5, "kind": "team"}), 422, "validation_error")
    assert body["detail"][0]["loc"] == ["body", "name"]


def test_a_time_of_day_is_documented_as_sent():
    import re

    from zhiyuan.core.json_types import TIME_PATTERN

    text = json.dumps(spec())
    assert '"format": "time"' not in text
    assert re.match(TIME_PATTERN, "15:30:00") and re.match(TIME_PATTERN, "15:30")
    assert not re.match(TIME_PATTERN, "15:30:00+08:00")
