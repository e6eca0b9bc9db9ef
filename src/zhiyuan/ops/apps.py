from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "zhiyuan.ops"
    label = "ops"
    verbose_name = _("运行调度")

    def ready(self) -> None:
        # the staffing-gap job registers itself with the periodic scheduler on import
        from zhiyuan.ops import jobs  # noqa: F401
