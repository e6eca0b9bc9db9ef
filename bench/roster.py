"""Bench case: importing a generated 100,000-row roster against a bare openpyxl read-only parse of the
same file; and the import's peak Python memory against the parse's."""

from __future__ import annotations

import json
import os
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROWS = 100_000


def _measure(fn: Callable[[], object]) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of `fn`, run in a forked child so each case starts from the
    same process image and its peak is its own."""
    from django.db import connections

    connections.close_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        connections.close_all()
        os.write(write, json.dumps([elapsed, peak_mb]).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not payload:
        raise RuntimeError("bench child failed")
    elapsed, peak = json.loads(payload)
    return elapsed, peak


def cases(rows: int = ROWS) -> list[tuple[str, float, float, str]]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook
    from tests.people_helpers import roster_row, roster_xlsx

    from zhiyuan.core.models import User
    from zhiyuan.organizations.models import Organization
    from zhiyuan.people.models import RosterImport
    from zhiyuan.people.services.roster_import import roster_import_process

    path = Path(tempfile.mkdtemp(prefix="zhiyuan-bench-roster-")) / "roster.xlsx"
    roster_xlsx(path, [roster_row(i) for i in range(1, rows + 1)])
    office = Organization.objects.create(name="基准导入文明办", kind="office")
    admin = User.objects.create(username="bench-importer", is_superuser=True)
    job = RosterImport.objects.create(
        organization=office,
        file=SimpleUploadedFile("roster.xlsx", path.read_bytes()),
        original_name="roster.xlsx",
        consent_evidence="基准",
        created_by=admin,
    )

    def parse() -> None:
        book = load_workbook(path, read_only=True)
        for _ in book.worksheets[0].iter_rows(values_only=True):
            pass
        book.close()

    def run_import() -> None:
        result = roster_import_process(job=job)
        if result.errors or result.created_volunteers != rows:
            raise RuntimeError(f"bench import failed: {result.errors[:3]}")

    parse_s, parse_mb = _measure(parse)
    import_s, import_mb = _measure(run_import)
    return [
        (f"roster_import_{rows // 1000}k_vs_openpyxl_parse", import_s, parse_s, "s"),
        (f"roster_import_{rows // 1000}k_peak_mb_vs_parse", import_mb, parse_mb, "MB"),
    ]
