from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhiyuan.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a `zhiyuan backup` file into an empty database and put its media back; then run "
        "`zhiyuan migrate` (if the code is newer) and `zhiyuan verify_ledger`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the backup file")
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument(
            "--other-key",
            action="store_true",
            help="restore although the configured ZHIYUAN_ID_KEY is not the backup's (ID numbers unreadable)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["file"].is_file():
            raise CommandError(f"no such file: {options['file']}")
        try:
            outcome = backup_restore(
                source=options["file"], alias=options["database"], other_key=options["other_key"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored {outcome.engine} database and {outcome.media_files} media files from {outcome.path}; "
            "next: zhiyuan migrate, then zhiyuan verify_ledger"
        )
