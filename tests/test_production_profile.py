"""The production profile (`make serve` = scripts/serve-production.sh) as an operator starts it: gunicorn
behind a TLS proxy, with the task worker and the scheduler, no demo data, and refusing to start without
its environment or with a `check --deploy` warning."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# these run real processes on a SQLite file of their own, whatever the suite's database: once per CI run
own_database = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs in the SQLite pass"
)
SCRIPT = ROOT / "scripts" / "serve-production.sh"
HOST = "zhiyuan.example.cn"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (tests/e2e/conftest.py) is theirs, never a server's
    dropped = {"DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        ZHIYUAN_VAR_DIR=str(tmp_path / "var"),
        ZHIYUAN_ID_KEY=secrets.token_urlsafe(32),
        ZHIYUAN_BEHIND_TLS="1",
        PORT=str(_free_port()),
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="1",
    )
    env.update(extra)
    return env


def _get(port: int, path: str, *, https: bool = True) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": HOST}
    if https:
        headers["X-Forwarded-Proto"] = "https"  # what the reverse proxy adds
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    return response


@pytest.fixture
def served(tmp_path: Path, migrated_sqlite: Path) -> Iterator[tuple[dict[str, str], subprocess.Popen[bytes]]]:
    env = _env(tmp_path)
    (tmp_path / "db.sqlite3").write_bytes(migrated_sqlite.read_bytes())  # `make serve` migrates what is left
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        ["bash", str(SCRIPT)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 240
        while True:
            if proc.poll() is not None:
                pytest.fail(f"serve exited {proc.returncode}:\n{(tmp_path / 'serve.log').read_text()}")
            try:
                if _get(int(env["PORT"]), "/healthz").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"serve never answered:\n{(tmp_path / 'serve.log').read_text()[-3000:]}")
            time.sleep(0.5)
        yield env, proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


@own_database
def test_serve_answers_through_gunicorn_behind_tls_with_csp_hsts_and_no_demo(
    served: tuple[dict[str, str], subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    env, proc = served
    port = int(env["PORT"])
    # given the profile started as docs/deploy.md says, when the proxy forwards an https request
    health = _get(port, "/healthz")
    # then gunicorn answers it with the security headers a browser enforces
    assert health.status == 200
    assert "gunicorn" in (health.getheader("Server") or "")
    assert health.getheader("Strict-Transport-Security", "").startswith("max-age=31536000")
    page = _get(port, "/accounts/login/")
    assert page.status == 200
    csp = page.getheader("Content-Security-Policy") or ""
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "secure" in (page.getheader("Set-Cookie") or "").lower()  # the CSRF cookie only over https
    # plain http (no proxy header) is sent to https, except the proxy's own health check
    plain = _get(port, "/accounts/login/", https=False)
    assert plain.status == 301 and plain.getheader("Location", "").startswith(f"https://{HOST}/")
    assert _get(port, "/healthz", https=False).status == 200
    # the scheduler and the task worker run beside gunicorn
    ps = subprocess.run(["ps", "-o", "args=", "--ppid", str(proc.pid)], capture_output=True, text=True).stdout
    assert "db_worker" in ps and "scheduler" in ps and "gunicorn" in ps
    # no demo data: none of the demo logins exists, no demo password was written
    db = sqlite3.connect(tmp_path / "db.sqlite3")
    try:
        users = [row[0] for row in db.execute("select username from core_user")]
        cache_table = db.execute("select name from sqlite_master where name = 'zhiyuan_cache'").fetchall()
    finally:
        db.close()
    assert users == []
    assert cache_table  # the shared rate-limit cache lives in the database without REDIS_URL
    assert not (tmp_path / "var" / "demo_password").exists()


@own_database
@pytest.mark.parametrize("unset", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"])
def test_serve_refuses_to_start_without_its_environment(tmp_path: Path, unset: str) -> None:
    env = _env(tmp_path)
    del env[unset]
    result = subprocess.run(
        ["bash", str(SCRIPT)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert unset in result.stderr
    assert not (tmp_path / "db.sqlite3").exists()  # nothing migrated, nothing started


@own_database
def test_serve_refuses_to_start_on_a_deploy_warning(tmp_path: Path) -> None:
    # given everything but TLS: `check --deploy` warns about HSTS, the redirect and the cookies
    env = _env(tmp_path, ZHIYUAN_BEHIND_TLS="0")
    result = subprocess.run(
        ["bash", str(SCRIPT)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 3
    assert "security.W004" in result.stderr + result.stdout
    assert not (tmp_path / "db.sqlite3").exists()


def test_check_deploy_is_clean_with_the_production_environment(tmp_path: Path) -> None:
    env = _env(tmp_path, DEBUG="0", ZHIYUAN_PROFILE="production")
    result = subprocess.run(
        [sys.executable, "-m", "zhiyuan.manage", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr and "issues" not in result.stdout.replace("no issues", "")


def test_the_demo_cannot_be_loaded_in_the_production_profile(tmp_path: Path) -> None:
    env = _env(tmp_path, ZHIYUAN_PROFILE="production")
    result = subprocess.run(
        [sys.executable, "-m", "zhiyuan.manage", "load_demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "production" in result.stderr


@pytest.mark.parametrize(
    ("extra", "backend"),
    [
        ({"REDIS_URL": "redis://cache.internal:6379/0", "ZHIYUAN_PROFILE": "production"}, "RedisCache"),
        ({"ZHIYUAN_PROFILE": "production"}, "DatabaseCache"),
        ({}, "LocMemCache"),  # the demo: one runserver process
    ],
)
def test_the_rate_limit_cache_is_shared_in_production(
    tmp_path: Path, extra: dict[str, str], backend: str
) -> None:
    env = {k: v for k, v in _env(tmp_path, **extra).items() if k not in {"ZHIYUAN_PROFILE", "ZHIYUAN_CACHE"}}
    env.update(extra)
    code = "from django.core.cache import caches; print(type(caches['default']).__name__)"
    result = subprocess.run(
        [sys.executable, "-m", "zhiyuan.manage", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == backend
