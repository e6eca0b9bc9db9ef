from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhiyuan.hours.services.ledger import rollup_differences, verify_all


class Command(BaseCommand):
    help = (
        "Check every volunteer's hour-ledger hash chain and re-derive the weekly rollups from the ledger; "
        "report the first broken link of each chain and every rollup that differs. Repairs nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--rollups", action="store_true", help="only compare the rollups with the ledger")
        which.add_argument("--chains", action="store_true", help="only check the hash chains")

    def handle(self, *args: Any, **options: Any) -> None:
        breaks = [] if options["rollups"] else verify_all()
        for b in breaks:
            self.stdout.write(f"BROKEN volunteer {b.volunteer_id} at entry #{b.seq}: {b.problem}")
        differences = [] if options["chains"] else rollup_differences()
        for vid, week, kept, derived in differences[:100]:
            self.stdout.write(f"ROLLUP volunteer {vid} week {week}: kept {kept}, ledger says {derived}")
        if len(differences) > 100:
            self.stdout.write(f"… and {len(differences) - 100} more rollup difference(s)")
        if breaks or differences:
            raise CommandError(f"{len(breaks)} broken chain(s), {len(differences)} rollup difference(s)")
        said = [] if options["rollups"] else ["every chain intact"]
        said += [] if options["chains"] else ["rollups match"]
        self.stdout.write("ledger ok: " + ", ".join(said))
