"""Every migration can be rolled back: each app down to zero and the whole schema up again, on a scratch
SQLite file in a child process (the test database of this run is left alone)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import django
django.setup()
from django.apps import apps
from django.core.management import call_command
from pathlib import Path

ours = sorted(
    c.label for c in apps.get_app_configs()
    if c.name.startswith("zhiyuan.") and (Path(c.path) / "migrations").is_dir()
)
assert len(ours) >= 9, ours
call_command("migrate", verbosity=0)
for label in reversed(ours):  # Django first unapplies whatever depends on the app, so any order works
    call_command("migrate", label, "zero", verbosity=0)
call_command("migrate", verbosity=0)
print("ok", len(ours))
"""


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the check runs on its own SQLite file; once per suite run is enough",
)
def test_every_app_migrates_down_to_zero_and_up_again(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'm.sqlite3'}",
        "ZHIYUAN_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "zhiyuan.config.settings",
    }
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("ok")
