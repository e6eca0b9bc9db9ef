"""Schemathesis over every operation of the OpenAPI document, against the WSGI app, on the demo data.

Each operation gets a few valid and a few invalid requests (deterministic, so a failure repeats), as the
demo's city officer with a bearer token and, for the public operations, anonymously. A request passes when
the server does not fail (no 5xx), the answer matches the documented schema and status, and an invalid
request is refused (4xx). Operations added later are covered without touching this file.

The demo is loaded once into an open transaction that is rolled back at the end, and every request runs
in a savepoint of its own, so nothing here leaks into the rest of the suite.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api_models import KeepConnection
from zhiyuan.config.api import api as ninja_api
from zhiyuan.core.models import ApiToken, User

# Per operation and per run; CI time grows linearly with it (about 200 operations).
EXAMPLES = int(os.environ.get("ZHIYUAN_FUZZ_EXAMPLES", "6"))
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, negative_data_rejection]

CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)


def _document() -> dict[str, Any]:
    import json

    return json.loads(json.dumps(ninja_api.get_openapi_schema(path_prefix="/api/v1/")))


schema = schemathesis.openapi.from_dict(_document(), config=CONFIG)
schema.app = WSGIHandler()
public = schema.include(func=lambda ctx: not ctx.operation.definition.raw.get("security"))

HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)


@dataclass
class Demo:
    officer_token: str


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Demo]:
    with django_db_blocker.unblock(), KeepConnection():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", size="small", verbosity=0)
            _, token = ApiToken.issue(user=User.objects.get(username="officer"))
            yield Demo(officer_token=token)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _call_and_check(case: Any, headers: dict[str, str]) -> None:
    with transaction.atomic():
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        finally:
            transaction.set_rollback(True)


@pytest.mark.fuzz
@pytest.mark.django_db
@schema.parametrize()
@HYPOTHESIS
def test_every_operation_as_the_city_officer(case: Any, demo: Demo) -> None:
    _call_and_check(case, {"Authorization": f"Bearer {demo.officer_token}"})


@pytest.mark.fuzz
@pytest.mark.django_db
@public.parametrize()
@HYPOTHESIS
def test_public_operations_anonymously(case: Any, demo: Demo) -> None:
    _call_and_check(case, {})
