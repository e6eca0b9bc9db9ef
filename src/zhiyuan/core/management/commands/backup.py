from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhiyuan.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write the database (pg_dump custom format, or SQLite's online backup) and the uploaded media to one "
        "file. The ID-number key is not in it: keep ZHIYUAN_ID_KEY apart (see KEYS.txt inside)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, type=Path, help="the backup file to write")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = backup_write(output=options["output"], alias=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"backup written: {outcome.path} ({outcome.engine}, {outcome.media_files} media files). "
            "Keep ZHIYUAN_ID_KEY apart from it: without the key its ID numbers cannot be read."
        )
