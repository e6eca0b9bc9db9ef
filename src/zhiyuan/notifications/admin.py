from django.contrib import admin

from zhiyuan.notifications.models import Delivery, Notification, PeriodicRun


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    readonly_fields = ["channel", "status", "attempts", "last_error", "next_attempt_at", "sent_at"]
    can_delete = False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "user", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["subject", "key"]
    raw_id_fields = ["user"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Where an officer sees a failed e-mail or SMS: it stays here with its last error."""

    list_display = ["notification", "channel", "status", "attempts", "last_error", "next_attempt_at"]
    list_filter = ["status", "channel"]
    raw_id_fields = ["notification"]


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ["job", "slot", "status", "started_at", "finished_at", "result"]
    list_filter = ["job", "status"]
