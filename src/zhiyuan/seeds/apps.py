from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeedsConfig(AppConfig):
    name = "zhiyuan.seeds"
    label = "seeds"
    verbose_name = _("种子数据")
