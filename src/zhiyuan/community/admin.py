from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from zhiyuan.community.models import HelpRoute, News


@admin.register(HelpRoute)
class HelpRouteAdmin(admin.ModelAdmin):
    """The routing table is configured here: 薪资 → 市人社局, 法律援助 → 法律援助志愿服务支队 …"""

    list_display = ["kind", "organization"]
    autocomplete_fields = ["organization"]


@admin.register(News)
class NewsAdmin(SimpleHistoryAdmin):
    list_display = ["title", "source_label", "published_at", "unpublished_at"]
    search_fields = ["title"]
