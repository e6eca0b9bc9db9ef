"""`zhiyuan scheduler`: claims and enqueues due periodic job slots (see notifications.periodic); the
db_worker runs them. Each tick also sweeps tasks whose worker died (core.leases). Safe to run more than
once at a time; `--once` for system cron."""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from zhiyuan.core import leases
from zhiyuan.notifications import periodic


class Command(BaseCommand):
    help = "Enqueue periodic jobs (reminders, escalation, …) when their slot comes round."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between ticks")
        parser.add_argument("--once", action="store_true", help="tick once and exit")

    def handle(self, *, interval: float, once: bool, **options: Any) -> None:
        self.running = True

        def stop(signum: int, frame: FrameType | None) -> None:
            self.running = False

        if not once:
            signal.signal(signal.SIGINT, stop)
            signal.signal(signal.SIGTERM, stop)
            self.stdout.write(f"scheduler: {', '.join(sorted(periodic.REGISTRY))} every {interval:g}s")
        while True:
            close_old_connections()
            for run in periodic.tick():
                if options["verbosity"] > 0:
                    self.stdout.write(f"queued {run.job} @ {run.slot}")
            # here, not as a queued job: the sweep is what must work while no worker is alive
            for lost in leases.tasks_sweep():
                self.stdout.write(f"lost {lost.task_path} {lost.task_id}: {lost.reason}")
            if once or not self.running:
                return
            slept = 0.0
            while self.running and slept < interval:
                time.sleep(min(1.0, interval - slept))
                slept += 1.0
            if not self.running:
                return
