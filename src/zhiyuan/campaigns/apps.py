from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "zhiyuan.campaigns"
    label = "campaigns"
    verbose_name = _("活动")

    def ready(self) -> None:
        from zhiyuan.campaigns import exports

        exports.register()  # its printed forms (附件N) in core.attachments
