from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhiyuan.hours.models import Correction, LedgerEntry, WeeklyRollup


class ReadOnly(admin.ModelAdmin):
    """The ledger is append-only: the admin shows it, services write it."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnly):
    list_display = ["volunteer", "seq", "kind", "activity", "starts_at", "hours", "source", "organization"]
    list_filter = ["kind", "source"]
    search_fields = ["volunteer__number", "activity"]
    list_select_related = ["volunteer__user", "organization"]


@admin.register(WeeklyRollup)
class WeeklyRollupAdmin(ReadOnly):
    list_display = ["volunteer", "week", "hours"]
    list_select_related = ["volunteer__user"]


@admin.register(Correction)
class CorrectionAdmin(ReadOnly):
    list_display = ["entry", "status", "reason", "decided_by", "decided_at"]
