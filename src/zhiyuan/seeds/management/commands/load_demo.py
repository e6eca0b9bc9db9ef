from typing import Any

from django.core.management.base import BaseCommand

from zhiyuan.seeds.demo import DEMO_LOGINS, load_demo


class Command(BaseCommand):
    help = "load_seeds plus clearly fictitious people, logins, contacts and a grid network (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        tally, password = load_demo()
        self.stdout.write(
            f"demo: {tally.created} created, {tally.updated} updated, {tally.unchanged} unchanged"
        )
        logins = ", ".join(f"{username} ({org})" for username, _, org, _ in DEMO_LOGINS)
        self.stdout.write(f"demo logins, password {password}: {logins}")
