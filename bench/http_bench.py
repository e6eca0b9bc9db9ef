"""`make bench` over HTTP (`python -m bench.http_bench`) (issue 19 item 1): the production server (gunicorn, the same worker count as
`make serve`) on a throw-away database, a hello-world view served by the same server in the same run as
the baseline, and a closed-loop client at 1, 4 and 16 connections.

Each case prints `case clients value baseline ratio p50 p99 errors queries`: value and baseline in
requests per second, ratio = case / hello-world (higher is better; a slow machine slows both alike),
p50/p99 in milliseconds, queries per request from the server's X-Bench-Queries header.

SQLite by default (a file in a temporary directory); PostgreSQL when BENCH_DATABASE_URL names a scratch
database (it is flushed). BENCH_SECONDS (default 4) is the time per case and concurrency.
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = tempfile.mkdtemp(prefix="zhiyuan-http-bench-")
ENV = {
    **os.environ,
    "ZHIYUAN_VAR_DIR": VAR,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    "DEBUG": "0",
    "SECRET_KEY": "bench-" + "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
}
ENV.pop("DATABASE_URL", None)
if os.environ.get("BENCH_DATABASE_URL"):
    ENV["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))

from bench.http_data import Case, build  # noqa: E402

CLIENTS = (1, 4, 16)
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))
WORKERS = os.environ.get("WEB_CONCURRENCY", "2")


@dataclass
class Result:
    done: int = 0
    errors: int = 0
    queries: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(port: int) -> subprocess.Popen[bytes]:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "zhiyuan.config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += [
        "--workers",
        WORKERS,
        "--threads",
        os.environ.get("GUNICORN_THREADS", "4"),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=ENV, cwd=ROOT)
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/hello")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def _loop(port: int, case: Case, offset: int, stop: float, out: Result, lock: threading.Lock) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = offset
    while time.perf_counter() < stop:
        path = case.path(i) if callable(case.path) else case.path
        body = case.body(i)
        headers = {"Host": "127.0.0.1", **case.headers(i)}
        if body is not None:
            headers["Content-Type"] = "application/json"
        start = time.perf_counter()
        try:
            conn.request(case.method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status, queries = response.status, int(response.getheader("X-Bench-Queries") or 0)
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            status, queries = 0, 0
        elapsed = time.perf_counter() - start
        with lock:
            out.latencies.append(elapsed)
            out.queries.append(queries)
            out.done += 1
            if status not in case.ok:
                out.errors += 1
        i += 1_000_000  # each client walks its own stride of ids (one volunteer per sign-up)
    conn.close()


def run_case(port: int, case: Case, clients: int) -> Result:
    out, lock = Result(), threading.Lock()
    stop = time.perf_counter() + SECONDS
    threads = [threading.Thread(target=_loop, args=(port, case, n, stop, out, lock)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def _ms(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> int:
    cases = build()
    port = _free_port()
    server = _serve(port)
    hello = Case("hello", "GET", "/bench/hello")
    print(
        f"{'case':28} {'clients':>7} {'req/s':>9} {'hello':>9} {'ratio':>6} {'p50ms':>7} {'p99ms':>7} {'err':>5} {'q/req':>6}"
    )
    try:
        for clients in CLIENTS:
            base = run_case(port, hello, clients)
            base_rate = base.done / SECONDS
            for case in cases:
                r = run_case(port, case, clients)
                rate = r.done / SECONDS
                print(
                    f"{case.name:28} {clients:7d} {rate:9.1f} {base_rate:9.1f} {rate / base_rate:6.1%} "
                    f"{_ms(r.latencies, 0.5):7.1f} {_ms(r.latencies, 0.99):7.1f} {r.errors:5d} "
                    f"{statistics.mean(r.queries or [0]):6.1f}",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
