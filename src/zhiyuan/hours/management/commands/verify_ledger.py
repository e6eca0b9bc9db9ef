from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhiyuan.hours.services.ledger import rollup_differences, verify_all


class Command(BaseCommand):
    help = "Check every volunteer's hour-ledger hash chain (and the weekly rollups); report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        breaks = verify_all()
        for b in breaks:
            self.stdout.write(f"BROKEN volunteer {b.volunteer_id} at entry #{b.seq}: {b.problem}")
        differences = rollup_differences()
        for vid, week, kept, derived in differences[:100]:
            self.stdout.write(f"ROLLUP volunteer {vid} week {week}: kept {kept}, ledger says {derived}")
        if breaks or differences:
            raise CommandError(f"{len(breaks)} broken chain(s), {len(differences)} rollup difference(s)")
        self.stdout.write("ledger ok: every chain intact, rollups match")
