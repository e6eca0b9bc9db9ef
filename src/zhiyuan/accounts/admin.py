from django.contrib import admin

from zhiyuan.accounts.models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "channel", "sent_count", "last_sent_at", "accepted_at")
    list_filter = ("channel",)
    raw_id_fields = ("user", "organization", "invited_by")
    search_fields = ("user__full_name", "organization__name")
