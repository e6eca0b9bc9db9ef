from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "zhiyuan.outreach"
    label = "outreach"
    verbose_name = _("公众服务资源")

    def ready(self) -> None:
        from zhiyuan.outreach import exports

        exports.register()  # its printed forms (附件N) in core.attachments
