from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "zhiyuan.notifications"
    label = "notifications"
    verbose_name = _("通知与提醒")

    def ready(self) -> None:
        # the built-in periodic jobs register themselves on import (periodic.register)
        from zhiyuan.notifications import jobs  # noqa: F401
