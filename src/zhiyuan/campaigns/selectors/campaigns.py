"""Reads for campaigns and their rotation. A campaign is visible to anyone who may view its organiser's
subtree or who is responsible for one of its duties or linked to one of its stations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Campaign, Duty, Phase, Shift, StationLink
from zhiyuan.core import access
from zhiyuan.organizations.roles import Perm


def campaign_list(*, user: Any, perm: str = Perm.CAMPAIGN_VIEW) -> QuerySet[Campaign]:
    if access.is_global(user):
        qs = Campaign.objects.all()
    else:
        duties = Duty.objects.filter(campaign=OuterRef("pk")).filter(
            access.scope(user, perm, via="responsible")
        )
        links = StationLink.objects.filter(station__campaign=OuterRef("pk")).filter(
            access.scope(user, perm, via="team")
        )
        qs = Campaign.objects.filter(
            access.scope(user, perm, via="organizer") | Q(Exists(duties)) | Q(Exists(links))
        )
    return (
        qs.select_related("organizer")
        .annotate(station_count=Count("stations", distinct=True), duty_count=Count("duties", distinct=True))
        .order_by("-starts_on")
    )


def campaign_get(*, user: Any, slug: str) -> Campaign:
    return access.get_or_404(campaign_list(user=user), slug=slug)


@dataclass
class Standing:
    phase: Phase | None
    days_left: int
    days_done: int
    duties_total: int
    duties_done: int
    duties_filed: int
    next_duty: Duty | None
    shifts: int = 0
    places: int = 0
    filled: int = 0
    understaffed: int = 0


def campaign_standing(*, campaign: Campaign, today: date) -> Standing:
    """Where the campaign stands today: its phase, days left, and the rotation's progress."""
    phase = campaign.phases.filter(starts_on__lte=today, ends_on__gte=today).first()
    counts = campaign.duties.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=Duty.Status.DONE)),
        filed=Count("pk", filter=Q(status__in=[Duty.Status.CANCELLED, Duty.Status.POSTPONED])),
    )
    upcoming = (
        campaign.duties.filter(date__gte=today, status=Duty.Status.PLANNED)
        .select_related("responsible")
        .first()
    )
    elapsed = min(max((today - campaign.starts_on).days + 1, 0), campaign.days)
    # staffing: the campaign's shifts (its own or at its stations), places and how many are taken
    staffing = Shift.objects.filter(Q(campaign=campaign) | Q(station__campaign=campaign)).aggregate(
        shifts=Count("pk"),
        places=Sum("capacity"),
        filled=Sum("accepted_count"),
        understaffed=Count("pk", filter=Q(accepted_count__lt=F("minimum"))),
    )
    return Standing(
        phase,
        campaign.days_left(today),
        elapsed,
        counts["total"],
        counts["done"],
        counts["filed"],
        upcoming,
        staffing["shifts"],
        staffing["places"] or 0,
        staffing["filled"] or 0,
        staffing["understaffed"],
    )


def duty_list(
    *,
    user: Any,
    campaign: Campaign,
    start: date | None = None,
    end: date | None = None,
    place: str = "",
    organization: int | None = None,
) -> QuerySet[Duty]:
    """The rotation table. Everyone who may see the campaign sees its whole rotation: it is a public plan."""
    qs = campaign.duties.all()
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    if place:
        qs = qs.filter(place=place)
    if organization:
        qs = qs.filter(responsible_id=organization)
    return qs.select_related("responsible", "station").prefetch_related("filings").order_by("date", "order")


def duty_get(*, user: Any, pk: int) -> Duty:
    duties = Duty.objects.filter(campaign__in=campaign_list(user=user)).select_related(
        "campaign__organizer", "responsible", "station"
    )
    return access.get_or_404(duties, pk=pk)


def _field_label(name: str) -> str:
    return str(getattr(Campaign._meta.get_field(name), "verbose_name", name))


def campaign_changes(*, campaign: Campaign, limit: int = 200) -> list[dict[str, Any]]:
    """Who changed the campaign when, and which fields (django-simple-history), newest first. Each record
    is compared with the one before it in the same list, so the page costs two queries, not one a row."""
    records = list(campaign.history.select_related("history_user").order_by("-history_date")[: limit + 1])
    changes = []
    for i, record in enumerate(records[:limit]):
        previous = records[i + 1] if i + 1 < len(records) else None
        fields = [c.field for c in record.diff_against(previous).changes] if previous else []
        changes.append(
            {
                "at": record.history_date,
                "by": record.history_user.display_name if record.history_user else _("系统"),
                "kind": record.history_type,
                "fields": fields,
                "labels": [_field_label(f) for f in fields],
            }
        )
    return changes
