"""A client generated from openapi.json by a tool nobody here wrote (openapi-python-client, offline) decides
a self-report exactly as the document describes: the request body it builds is the one the server wants."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from django.core.handlers.wsgi import WSGIHandler

from tests.api_models import KeepConnection
from tests.test_self_reports import report, volunteer  # noqa: F401 - the fixture
from zhiyuan.config.api import api as ninja_api
from zhiyuan.core.models import ApiToken
from zhiyuan.hours.models import SelfReport

TOOL = Path(sys.executable).with_name("openapi-python-client")


def generate(tmp_path: Path) -> Any:
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(ninja_api.get_openapi_schema(path_prefix="/api/v1/")))
    config = tmp_path / "config.yml"
    config.write_text("post_hooks: []\n")  # no formatter needed: the code only has to run
    out = tmp_path / "zhiyuan_client"
    command = [str(TOOL), "generate", "--path", str(spec), "--output-path", str(out), "--meta", "none"]
    done = subprocess.run(
        [*command, "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module("zhiyuan_client")
    finally:
        sys.path.remove(str(tmp_path))


def test_a_generated_client_decides_a_self_report_as_documented(world, volunteer, tmp_path):  # noqa: F811
    pending = report(world, volunteer)
    package = generate(tmp_path)
    decide = importlib.import_module("zhiyuan_client.api.hours.zhiyuan_hours_api_hours_decide_self_report")
    models = importlib.import_module("zhiyuan_client.models")
    _, token = ApiToken.issue(user=world.east_officer)
    client = package.AuthenticatedClient(
        base_url="http://testserver",
        token=token,
        httpx_args={"transport": httpx.WSGITransport(app=WSGIHandler())},
    )
    with KeepConnection():
        answer = decide.sync_detailed(
            pending.pk, client=client, body=models.SelfReportDecisionIn(approve=True, reason="")
        )
    assert answer.status_code == 200, answer.content
    assert isinstance(answer.parsed, models.SelfReportOut)
    pending.refresh_from_db()
    assert pending.status == SelfReport.Status.APPROVED
    # the errors it documents parse too: deciding it again is refused with the error body
    with KeepConnection():
        again = decide.sync_detailed(
            pending.pk, client=client, body=models.SelfReportDecisionIn(approve=True)
        )
    assert again.status_code == 409 and isinstance(again.parsed, models.Error)
    assert again.parsed.code and again.parsed.message
