from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhiyuan.core.models import ApiToken, User


class Command(BaseCommand):
    help = "Print a new API token for a user (shown once; only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="username")
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no such user: {options['user']}")
        if not user.is_active:
            raise CommandError(f"user {user.username} is inactive")
        _, token = ApiToken.issue(user=user, name=options["name"])
        self.stdout.write(token)
