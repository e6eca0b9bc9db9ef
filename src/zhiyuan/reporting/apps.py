from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "zhiyuan.reporting"
    label = "reporting"
    verbose_name = _("上报")

    def ready(self) -> None:
        from zhiyuan.reporting import exports

        exports.register()  # its printed forms (附件N) in core.attachments
