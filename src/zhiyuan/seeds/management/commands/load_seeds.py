from typing import Any

from django.core.management.base import BaseCommand

from zhiyuan.seeds.loader import load_seeds


class Command(BaseCommand):
    help = "Load the organisations and people of both seed documents (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        tally = load_seeds()
        self.stdout.write(
            f"seeds: {tally.created} created, {tally.updated} updated, {tally.unchanged} unchanged"
        )
