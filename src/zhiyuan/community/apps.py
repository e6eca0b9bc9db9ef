from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "zhiyuan.community"
    label = "community"
    verbose_name = _("外来务工人员关爱")
