from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from zhiyuan.reporting.models import ReportRule, Submission


@admin.register(ReportRule)
class ReportRuleAdmin(SimpleHistoryAdmin):
    """Rules are configuration: an officer sets them up here (or `load_seeds` does)."""

    list_display = ["title", "campaign", "form", "deadline_kind", "due_at", "due_time", "weekday"]
    list_filter = ["campaign", "form", "deadline_kind"]
    filter_horizontal = ["organizations"]
    raw_id_fields = ["applies_to"]


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    """Reports are written through the services (revisions, deadlines, review): read-only here."""

    list_display = ["rule", "organization", "period", "status", "on_time", "submitted_at"]
    list_filter = ["status", "rule"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
