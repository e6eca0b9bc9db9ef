from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhiyuan.campaigns.exports import NotAvailable, export_attachment
from zhiyuan.campaigns.models import Campaign


class Command(BaseCommand):
    help = "Write the seed notice's attachment N (1..5) for a campaign as XLSX, filled from the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", help="campaign slug, e.g. chunyun-2019")
        parser.add_argument("number", type=int, help="attachment number 1..5")
        parser.add_argument("--output", required=True, help="FILE.xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = Campaign.objects.select_related("organizer").filter(slug=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"no campaign with slug {options['campaign']}")
        try:
            content = export_attachment(campaign, options["number"])
        except NotAvailable as exc:
            raise CommandError(str(exc)) from None
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"attachment {options['number']} of {campaign.slug} written to {options['output']}")
