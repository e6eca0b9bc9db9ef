from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhiyuan.seeds.demo import DEMO_LOGINS, load_demo
from zhiyuan.seeds.demo_live import SIZES


class Command(BaseCommand):
    help = (
        "load_seeds plus clearly fictitious people, logins, contacts, a grid network and a living demo: "
        "a 春运 and a five-hours campaign running on --today, four weeks replayed and two laid out (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="build the demo around this date (YYYY-MM-DD); default today")
        parser.add_argument(
            "--size", choices=sorted(SIZES), default="full", help="small: fewer people and days"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.ZHIYUAN_PRODUCTION:
            # the demo's logins share one password, one of them a city officer who may reveal ID numbers
            raise CommandError(
                "load_demo refuses to run in the production profile (ZHIYUAN_PROFILE=production)"
            )
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today: YYYY-MM-DD") from None
        tally, password = load_demo(today=today, size=options["size"])
        self.stdout.write(
            f"demo: {tally.created} created, {tally.updated} updated, {tally.unchanged} unchanged"
        )
        logins = ", ".join(f"{username} ({org})" for username, _, org, _ in DEMO_LOGINS)
        self.stdout.write(f"demo logins, password {password}: {logins}")
