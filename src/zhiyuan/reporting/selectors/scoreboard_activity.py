"""What each unit's subtree did in the window: duties held, volunteers active and hours served.

One query for any number of units: each figure is a correlated subquery over the unit's subtree (the
materialised path makes that an indexed prefix match), so the database does the rolling-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    F,
    Field,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from zhiyuan.campaigns.models import Duty, ServiceGiven
from zhiyuan.hours.models import LedgerEntry
from zhiyuan.organizations.models import Organization
from zhiyuan.reporting.selectors.scoreboard_window import Window

CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Activity:
    duties_done: int = 0
    volunteers: int = 0
    hours: Decimal = Decimal(0)


class _Count(Func):
    function = "COUNT"
    output_field = IntegerField()


class _CountDistinct(Func):
    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


class _Sum(Func):
    function = "SUM"
    output_field = DecimalField(max_digits=14, decimal_places=2)


def _scalar(qs: QuerySet[Any], expression: Func, output: Field[Any, Any]) -> Coalesce:
    return Coalesce(Subquery(qs.annotate(v=expression).values("v")[:1]), Value(0), output_field=output)


def activity_by_unit(
    unit_ids: Iterable[int], window: Window, *, campaign_id: int | None = None
) -> dict[int, Activity]:
    """{unit id: Activity} for the units' whole subtrees. Hours are the ledger's net (reversals count
    negative); a volunteer is active when one of their credits in the window still stands."""
    ids = list(unit_ids)
    if not ids:
        return {}
    duties = Duty.objects.filter(
        responsible__path__startswith=OuterRef("path"),
        status=Duty.Status.DONE,
        date__range=(window.first, window.last),
    )
    if campaign_id:
        duties = duties.filter(campaign_id=campaign_id)
    ledger = LedgerEntry.objects.filter(
        organization__path__startswith=OuterRef("path"),
        starts_at__gte=window.start,
        starts_at__lt=window.end,
    )
    standing = ledger.filter(kind=LedgerEntry.Kind.CREDIT, reversed_by__isnull=True)
    integer, money = IntegerField(), DecimalField(max_digits=14, decimal_places=2)
    rows = (
        Organization.objects.filter(pk__in=ids)
        .annotate(
            s_duties=_scalar(duties.order_by(), _Count(F("pk")), integer),
            s_volunteers=_scalar(standing.order_by(), _CountDistinct(F("volunteer_id")), integer),
            s_hours=_scalar(ledger.order_by(), _Sum(F("hours")), money),
        )
        .values_list("pk", "s_duties", "s_volunteers", "s_hours")
    )
    return {pk: Activity(int(d), int(v), Decimal(h or 0).quantize(CENTS)) for pk, d, v, h in rows}


def services_given(unit: Organization, window: Window, *, campaign_id: int | None = None) -> int:
    """Services recorded at stations the unit's subtree is responsible for (热水、咨询 …)."""
    qs = ServiceGiven.objects.filter(
        station__responsible_office__path__startswith=unit.path, day__range=(window.first, window.last)
    )
    if campaign_id:
        qs = qs.filter(station__campaign_id=campaign_id)
    total = qs.aggregate(n=Sum("count"))["n"]
    return int(total or 0)
