"""Reads for 求助: the officers' queue (scoped by the routed organisation), the public status look-up."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from zhiyuan.campaigns.models import Station
from zhiyuan.community import codes
from zhiyuan.community.models import HelpRequest, HelpRequestNote
from zhiyuan.community.services.help import last4_matches
from zhiyuan.core import access
from zhiyuan.organizations.roles import Perm


def help_queue(*, user: Any, status: str = "open", kind: str = "") -> QuerySet[HelpRequest]:
    """`status`: "open" (not resolved, the default), a status value, or "" for all."""
    qs = HelpRequest.objects.filter(access.scope(user, Perm.COMMUNITY_VIEW, via="organization"))
    if status == "open":
        qs = qs.exclude(status=HelpRequest.Status.RESOLVED)
    elif status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("station", "organization", "filed_by")


def help_get(*, user: Any, pk: object) -> HelpRequest:
    qs = help_queue(user=user, status="").prefetch_related(
        Prefetch("notes", queryset=HelpRequestNote.objects.select_related("by"))
    )
    return access.get_or_404(qs, pk=pk)


def help_lookup(*, code: str, last4: str) -> HelpRequest | None:
    """The one request with this code, if the phone's last four digits match; None otherwise (the caller
    cannot tell a wrong code from wrong digits)."""
    found = (
        HelpRequest.objects.filter(code=codes.normalise(code))
        .select_related("station", "organization")
        .prefetch_related(Prefetch("notes", queryset=HelpRequestNote.objects.order_by("created_at", "pk")))
        .first()
    )
    if found is None or not last4_matches(found, last4.strip()):
        return None
    return found


def public_stations() -> QuerySet[Station]:
    """Stations a person can name as where they are."""
    return (
        Station.objects.select_related("campaign")
        .only("pk", "name", "place", "sub_location", "campaign__title", "campaign__starts_on")
        .order_by("place", "order", "name")
    )
