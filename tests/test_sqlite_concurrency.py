"""DESIGN.md §4: concurrent writers on the SQLite default must wait for the lock, never fail with
"database is locked". Runs the real settings (WAL, BEGIN IMMEDIATE, busy timeout) against a file database
in a child process, with eight threads writing at once."""

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import os, threading
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    call_command("migrate", verbosity=0)
    from zhiyuan.organizations.models import Organization
    root = Organization.objects.create(name="并发测试市文明办", kind="office")
    errors = []

    def writer(n):
        try:
            for i in range(25):
                with transaction.atomic():
                    # read-then-write inside one transaction: the pattern that deadlocks under DEFERRED
                    Organization.objects.filter(parent=root).count()
                    Organization.objects.create(name=f"队{n}-{i}", kind="team", parent=root)
        except Exception as exc:  # reported to the parent, which fails the test with it
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads: t.start()
    for t in threads: t.join()
    print("journal", connection.cursor().execute("PRAGMA journal_mode").fetchone()[0])
    print("errors", len(errors), errors[:3])
    print("rows", Organization.objects.filter(parent=root).count())
    """
)


def test_eight_threads_write_to_sqlite_without_database_is_locked(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ZHIYUAN_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="zhiyuan.config.settings")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in result.stdout.strip().splitlines())
    assert lines["journal"] == "wal"
    assert lines["errors"].startswith("0 "), lines["errors"]
    assert lines["rows"] == "200"
