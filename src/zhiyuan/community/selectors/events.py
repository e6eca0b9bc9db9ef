"""Reads for community events: the public programme and the organisers' view of sign-ups."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from zhiyuan.community.models import CommunityEvent, EventSignup
from zhiyuan.core import access
from zhiyuan.organizations.roles import Perm


def public_events(*, include_past: bool = False) -> QuerySet[CommunityEvent]:
    qs = CommunityEvent.objects.filter(published=True)
    if not include_past:
        qs = qs.filter(ends_at__gte=timezone.now())
    return qs.select_related("organization").order_by("starts_at", "pk")


def public_event_get(*, pk: object) -> CommunityEvent:
    return access.get_or_404(
        CommunityEvent.objects.filter(published=True).select_related("organization"), pk=pk
    )


def event_list(*, user: Any) -> QuerySet[CommunityEvent]:
    qs = CommunityEvent.objects.filter(access.scope(user, Perm.COMMUNITY_VIEW, via="organization"))
    return (
        qs.select_related("organization", "shift")
        .annotate(signup_count=Count("signups"))
        .order_by("-starts_at", "-pk")
    )


def event_get(*, user: Any, pk: object) -> CommunityEvent:
    return access.get_or_404(event_list(user=user), pk=pk)


def signups_of(event: CommunityEvent) -> QuerySet[EventSignup]:
    return EventSignup.objects.filter(event=event).order_by("pk")


def attendance_of(event: CommunityEvent) -> dict[str, int]:
    row = EventSignup.objects.filter(event=event, attended=True).aggregate(
        people=Sum("party_size"), n=Count("pk")
    )
    return {"signups": row["n"] or 0, "people": row["people"] or 0}


def signup_get(*, user: Any, pk: object) -> EventSignup:
    qs = EventSignup.objects.filter(
        event__in=CommunityEvent.objects.filter(access.scope(user, Perm.COMMUNITY_VIEW, via="organization"))
    ).select_related("event__organization")
    return access.get_or_404(qs, pk=pk)
