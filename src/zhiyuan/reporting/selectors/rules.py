"""Reads of a campaign's deadline rules: visible to whoever sees the campaign (campaigns.selectors)."""

from __future__ import annotations

from django.db.models import QuerySet

from zhiyuan.campaigns.models import Campaign
from zhiyuan.reporting.models import ReportRule


def campaign_rules(campaign: Campaign) -> QuerySet[ReportRule]:
    """The rules of a campaign the caller already fetched through `campaign_get` (so scoped)."""
    return (
        ReportRule.objects.filter(campaign=campaign)
        .select_related("campaign", "applies_to", "receiver")
        .prefetch_related("organizations")
        .order_by("pk")
    )
