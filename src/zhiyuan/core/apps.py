from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhiyuan.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from zhiyuan.core import leases

        leases.connect()  # workers hold a lease per running task (the scheduler's sweep reads them)
