"""The scoreboard's and the campaign exports' pages, included by reporting/urls.py under /app/reports/."""

from django.urls import path

from zhiyuan.reporting.views import scoreboard, scoreboard_campaign

urlpatterns = [
    path("scoreboard/", scoreboard.page, name="scoreboard"),
    path("scoreboard/export.xlsx", scoreboard.export, name="scoreboard_export"),
    path("campaigns/<slug:slug>/summary.pdf", scoreboard_campaign.summary_pdf, name="campaign_summary_pdf"),
    path("campaigns/<slug:slug>/attachment-4.xlsx", scoreboard_campaign.attachment_4, name="attachment_4"),
]
