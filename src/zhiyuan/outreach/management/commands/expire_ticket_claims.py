from typing import Any

from django.core.management.base import BaseCommand

from zhiyuan.outreach.tasks import ticket_claims_expire


class Command(BaseCommand):
    help = "Queue (or with --now run) the task that returns expired ticket claims to stock; for cron."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="run here instead of queueing for the worker")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            self.stdout.write(f"returned {ticket_claims_expire.call()} tickets")
        else:
            ticket_claims_expire.enqueue()
            self.stdout.write("queued")
