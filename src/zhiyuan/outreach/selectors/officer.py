"""Scoped reads for the officers' pages and API: everything through `core.access` on the organisation the
record is filed under. Outside the scope is 404; the services answer 403 inside it without the right."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from zhiyuan.core import access
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.outreach.models import Channel, TicketClaim, TicketDonation, Venue, VenueReservation
from zhiyuan.outreach.services.common import normal_code

VIEW = Perm.OUTREACH_VIEW


def _either(user: Any, via: str) -> Q:
    """Who sees outreach records: holders of the view right, and counter staff who only hand tickets over."""
    return access.scope(user, VIEW, via=via) | access.scope(user, Perm.TICKET_COLLECT, via=via)


def channels(*, user: Any) -> QuerySet[Channel]:
    return (
        Channel.objects.filter(access.scope(user, VIEW, via="organization"))
        .select_related("organization", "campaign")
        .order_by("kind", "order", "pk")
    )


def venues(*, user: Any) -> QuerySet[Venue]:
    return (
        Venue.objects.filter(access.scope(user, VIEW, via="organization"))
        .select_related("organization")
        .annotate(
            pending=Count("reservations", filter=Q(reservations__status=VenueReservation.Status.PENDING))
        )
        .order_by("order", "pk")
    )


def reservations(*, user: Any, venue: Venue | None = None) -> QuerySet[VenueReservation]:
    qs = VenueReservation.objects.filter(access.scope(user, VIEW, via="venue__organization"))
    if venue is not None:
        qs = qs.filter(venue=venue)
    return qs.select_related("venue", "decided_by").order_by("status", "visit_date", "pk")


def donations(*, user: Any, campaign_id: int | None = None) -> QuerySet[TicketDonation]:
    qs = TicketDonation.objects.filter(_either(user, "organization"))
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    return qs.select_related("organization", "campaign", "venue").order_by("-campaign__starts_on", "pk")


def claims(*, user: Any, donation: TicketDonation | None = None, status: str = "") -> QuerySet[TicketClaim]:
    qs = TicketClaim.objects.filter(_either(user, "donation__organization"))
    if donation is not None:
        qs = qs.filter(donation=donation)
    if status in TicketClaim.Status.values:
        qs = qs.filter(status=status)
    return qs.select_related("donation", "closed_by")


def claim_get(*, user: Any, code: str) -> TicketClaim:
    return access.get_or_404(
        claims(user=user).select_related("donation__organization"), code=normal_code(code)
    )


def owners(*, user: Any) -> QuerySet[Organization]:
    """Organisations the user may file channels, venues and donations under."""
    return access.organizations(user, Perm.OUTREACH_CHANGE).order_by("path")
