"""Reads for 需求摸排: visits in the user's scope, and the aggregates by district and city.

A visit is visible to whoever holds community.view over the visiting unit or over the district it was in
(属地: 区文明办 sees every visit made on its ground, whoever made it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from zhiyuan.community.models import NeedRecord, SiteVisit
from zhiyuan.core import access
from zhiyuan.organizations.roles import Perm

N = NeedRecord


def _scope(user: Any) -> Q:
    return access.scope(user, Perm.COMMUNITY_VIEW, via="organization") | access.scope(
        user, Perm.COMMUNITY_VIEW, via="district"
    )


def visit_list(*, user: Any, district: int | None = None) -> QuerySet[SiteVisit]:
    qs = SiteVisit.objects.filter(_scope(user))
    if district is not None:
        qs = qs.filter(district_id=district)
    return (
        qs.select_related("organization", "district")
        .annotate(need_count=Count("needs"))
        .order_by("-visited_on", "-pk")
    )


def visit_get(*, user: Any, pk: object) -> SiteVisit:
    return access.get_or_404(
        SiteVisit.objects.filter(_scope(user)).select_related("organization", "district"), pk=pk
    )


def need_get(*, user: Any, pk: object) -> NeedRecord:
    qs = NeedRecord.objects.filter(visit__in=SiteVisit.objects.filter(_scope(user))).select_related(
        "visit__organization", "visit__district"
    )
    return access.get_or_404(qs, pk=pk)


def needs_of(visit: SiteVisit) -> QuerySet[NeedRecord]:
    return NeedRecord.objects.filter(visit=visit).order_by("pk")


def ticket_queue(*, user: Any) -> QuerySet[NeedRecord]:
    """People who asked for ticket-booking help and are not booked yet, earliest return first."""
    return (
        NeedRecord.objects.filter(visit__in=SiteVisit.objects.filter(_scope(user)), ticket=N.Ticket.WANTED)
        .select_related("visit__district")
        .order_by("return_on", "pk")
    )


# --- aggregates ---------------------------------------------------------------------------------------------

METRICS = (
    "visits",
    "people",
    "records",
    "returning",
    "staying",
    "unpaid",
    "owed",
    "tickets_wanted",
    "tickets_booked",
)


@dataclass
class Totals:
    name: str
    visits: int = 0
    people: int = 0
    records: int = 0
    returning: int = 0
    staying: int = 0
    unpaid: int = 0
    owed: Decimal = Decimal(0)
    tickets_wanted: int = 0
    tickets_booked: int = 0

    def add(self, other: Totals) -> None:
        for m in METRICS:
            setattr(self, m, getattr(self, m) + getattr(other, m))


@dataclass
class CityTotals(Totals):
    districts: list[Totals] = field(default_factory=list)


def _per_visit(condition: Q, value: Any = None) -> Any:
    """One number per visit, summed over the group: a correlated subquery, so the people met at a visit
    are not multiplied by its records as a join would."""
    rows = NeedRecord.objects.filter(condition, visit=OuterRef("pk")).order_by().values("visit")
    if value is None:
        out = rows.annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(out, output_field=IntegerField()), Value(0))
    out = rows.annotate(n=Sum(value)).values("n")
    dec = DecimalField(max_digits=14, decimal_places=2)
    return Coalesce(Subquery(out, output_field=dec), Value(Decimal(0)), output_field=dec)


def needs_aggregate(*, user: Any, start: date | None = None, end: date | None = None) -> list[CityTotals]:
    """Visits, people met, returning / staying, unpaid (count and total owed), ticket help wanted (every
    request for help, whatever became of it) and booked — per district, rolled up per city (the district
    文明办's parent). One query: a GROUP BY over the visits in scope."""
    qs = SiteVisit.objects.filter(_scope(user))
    if start:
        qs = qs.filter(visited_on__gte=start)
    if end:
        qs = qs.filter(visited_on__lte=end)
    wanted = ~Q(ticket=N.Ticket.NOT_NEEDED)
    rows = (
        qs.order_by()
        .values("district_id", "district__name", "district__parent_id", "district__parent__name")
        .annotate(
            visits=Count("pk"),
            people=Coalesce(Sum("people_met"), 0),
            records=Coalesce(Sum(_per_visit(Q())), 0),
            returning=Coalesce(Sum(_per_visit(Q(plan=N.Plan.RETURN))), 0),
            staying=Coalesce(Sum(_per_visit(Q(plan=N.Plan.STAY))), 0),
            unpaid=Coalesce(Sum(_per_visit(Q(wages=N.Wages.OWED))), 0),
            owed=Coalesce(
                Sum(_per_visit(Q(wages=N.Wages.OWED), "owed_amount")),
                Value(Decimal(0)),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
            tickets_wanted=Coalesce(Sum(_per_visit(wanted)), 0),
            tickets_booked=Coalesce(Sum(_per_visit(Q(ticket=N.Ticket.BOOKED))), 0),
        )
        .order_by("district__parent__name", "district__name")
    )
    cities: dict[Any, CityTotals] = {}
    for found in rows:
        row: dict[str, Any] = dict(found)
        city_key = row["district__parent_id"] or row["district_id"]
        city_name = row["district__parent__name"] or row["district__name"]
        city = cities.setdefault(city_key, CityTotals(name=city_name))
        district = Totals(name=row["district__name"], **{m: row[m] for m in METRICS})
        district.owed = Decimal(district.owed).quantize(Decimal("0.01"))
        city.districts.append(district)
        city.add(district)
    return list(cities.values())
