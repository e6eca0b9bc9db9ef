import os
import secrets
from typing import Any

from django.core.management.base import BaseCommand

from zhiyuan.config.env import VAR_DIR
from zhiyuan.core.models import User


class Command(BaseCommand):
    help = "Create the demo superuser `admin` once (password in var/admin_password) and print the login."

    def handle(self, *args: Any, **options: Any) -> None:
        username = os.environ.get("ZHIYUAN_ADMIN_USER", "admin")
        password_file = VAR_DIR / "admin_password"
        user = User.objects.filter(username=username).first()
        if user is None or not password_file.exists():
            password = os.environ.get("ZHIYUAN_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password)
            password_file.chmod(0o600)
            user = user or User(username=username, full_name="平台管理员", is_staff=True, is_superuser=True)
            user.set_password(password)
            user.is_active = user.is_staff = user.is_superuser = True
            user.save()
        port = os.environ.get("PORT", "8000")
        self.stdout.write(
            f"\n  zhiyuan: http://127.0.0.1:{port}/   admin login: {username} / {password_file.read_text().strip()}\n"
        )
