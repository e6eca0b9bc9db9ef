from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhiyuan.seeds.demo import DEMO_LOGINS, load_demo


class Command(BaseCommand):
    help = "load_seeds plus clearly fictitious people, logins, contacts and a grid network (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.ZHIYUAN_PRODUCTION:
            # the demo's logins share one password, one of them a city officer who may reveal ID numbers
            raise CommandError(
                "load_demo refuses to run in the production profile (ZHIYUAN_PROFILE=production)"
            )
        tally, password = load_demo()
        self.stdout.write(
            f"demo: {tally.created} created, {tally.updated} updated, {tally.unchanged} unchanged"
        )
        logins = ", ".join(f"{username} ({org})" for username, _, org, _ in DEMO_LOGINS)
        self.stdout.write(f"demo logins, password {password}: {logins}")
