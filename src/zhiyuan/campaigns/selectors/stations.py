"""Reads for “文明使者” stations: the scoped list with its warnings, the 六有一落实 checklist, the 工作台账,
incidents and emergency activations.

A station is visible to whoever holds the permission over its responsible office's subtree, over any team
linked to it (attachment 1) or over its paired emergency team: the 支队 that serves at 郑州火车站东广场 sees
the station even though 火车站地区文明办 runs it. Incidents, plans and activations are visible with their
station; a person called out by an activation always sees that activation.

Every list carries its warnings as per-row subqueries (`met_count`, `low_stock_count`, `open_incidents`,
`overdue`), so a page of 50 costs the same at ten stations or ten thousand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiyuan.campaigns.models import (
    Activation,
    ActivationResponse,
    Campaign,
    Consumable,
    ContingencyPlan,
    Duty,
    EmergencyPairing,
    Incident,
    Service,
    ServiceGiven,
    Shift,
    StandardCheck,
    StandardItem,
    Station,
    StationLink,
)
from zhiyuan.core import access
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm

ITEMS = len(StandardItem.values)  # 六有 + 一落实


def _scope(user: Any, perm: str) -> Q:
    if access.is_global(user):
        return Q()
    linked = StationLink.objects.filter(station=OuterRef("pk")).filter(access.scope(user, perm, via="team"))
    paired = EmergencyPairing.objects.filter(station=OuterRef("pk")).filter(
        access.scope(user, perm, via="team")
    )
    return access.scope(user, perm, via="responsible_office") | Q(Exists(linked)) | Q(Exists(paired))


def visible_stations(user: Any, perm: str = Perm.STATION_VIEW) -> QuerySet[Station]:
    """The bare scoped queryset, for use inside other queries."""
    return Station.objects.filter(_scope(user, perm))


def _count(qs: QuerySet[Any]) -> Coalesce:
    """A per-row count as a correlated subquery: computed for the page's rows only."""
    return Coalesce(Subquery(qs.order_by().values("station").annotate(n=Count("*")).values("n")), 0)


def with_warnings(qs: QuerySet[Station]) -> QuerySet[Station]:
    here = OuterRef("pk")
    qs = qs.annotate(
        met_count=_count(StandardCheck.objects.filter(station=here, met=True)),
        low_stock_count=_count(Consumable.objects.filter(station=here, quantity__lte=F("low_threshold"))),
        open_incidents=_count(Incident.objects.filter(station=here).exclude(status=Incident.Status.RESOLVED)),
    )
    return qs.annotate(
        unmet_count=ExpressionWrapper(Value(ITEMS) - F("met_count"), output_field=IntegerField()),
        overdue=Case(
            When(Q(standard_due_on__lt=timezone.localdate(), met_count__lt=ITEMS), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def station_list(
    *,
    user: Any,
    campaign: int | None = None,
    office: int | None = None,
    not_up_to_standard: bool = False,
    search: str = "",
) -> QuerySet[Station]:
    qs = with_warnings(visible_stations(user))
    if campaign is not None:
        qs = qs.filter(campaign_id=campaign)
    if office is not None:
        # the office and every office below it: its id is a segment of their materialised path
        qs = qs.filter(responsible_office__path__contains=f"/{int(office)}/")
    if not_up_to_standard:
        qs = qs.filter(Q(met_count__lt=ITEMS))  # an annotation: a Q keeps the type checker out of it
    if search.strip():
        needle = search.strip()
        qs = qs.filter(Q(name__icontains=needle) | Q(place__icontains=needle))
    return (
        qs.select_related("campaign", "responsible_office")
        .prefetch_related(Prefetch("links", queryset=StationLink.objects.select_related("team")))
        .order_by("campaign_id", "order", "name", "pk")
    )


def station_get(*, user: Any, pk: Any) -> Station:
    return access.get_or_404(station_list(user=user), pk=pk)


def standards_overview(
    *, user: Any, campaign: int | None = None, office: int | None = None
) -> QuerySet[Station]:
    """Stations not yet up to standard, the most urgent due date first (no date last)."""
    qs = station_list(user=user, campaign=campaign, office=office, not_up_to_standard=True)
    return qs.order_by(F("standard_due_on").asc(nulls_last=True), "name", "pk")


def filter_choices(*, user: Any) -> dict[str, list[tuple[int, str]]]:
    """The campaigns and offices the user's stations belong to, for the list's filters (two queries)."""
    stations = visible_stations(user)
    campaigns = Campaign.objects.filter(pk__in=stations.values("campaign_id")).order_by("-starts_on")
    offices = Organization.objects.filter(pk__in=stations.values("responsible_office_id")).order_by("path")
    return {
        "campaigns": list(campaigns.values_list("pk", "title")),
        "offices": list(offices.values_list("pk", "name")),
    }


# --- who may do what at a station --------------------------------------------------------------------------


def linked_teams(station: Station) -> list[Organization]:
    cache = getattr(station, "_prefetched_objects_cache", {})
    if "links" in cache:
        return [link.team for link in station.links.all()]
    return list(Organization.objects.filter(station_links__station=station).order_by("station_links__order"))


@dataclass(frozen=True)
class Rights:
    manage: bool  # 管理组织 at the responsible office: the station itself, its checklist, its plan
    operate: bool  # + linked team leaders: services given, stock, incidents
    report: bool  # + members of a linked team: incidents


def rights(user: Any, station: Station) -> Rights:
    manage = access.can(user, Perm.STATION_CHANGE, station.responsible_office)
    teams = linked_teams(station)
    operate = manage or any(access.can(user, Perm.STATION_OPERATE, t) for t in teams)
    report = operate or any(access.can(user, Perm.STATION_VIEW, t) for t in teams)
    return Rights(manage, operate, report)


# --- the checklist -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StandardRow:
    item: str
    label: str
    check: StandardCheck | None

    @property
    def met(self) -> bool:
        return bool(self.check and self.check.met)


def standards(station: Station) -> list[StandardRow]:
    """All seven items in the standard's order; an item nobody has checked yet is not met."""
    checks = {c.item: c for c in StandardCheck.objects.filter(station=station).select_related("checked_by")}
    return [StandardRow(item, str(label), checks.get(item)) for item, label in StandardItem.choices]


def missing_items(stations: list[Station]) -> dict[int, list[str]]:
    """For each station, the labels of the items not yet met (one query for a whole page)."""
    met: dict[int, set[str]] = {s.pk: set() for s in stations}
    done = StandardCheck.objects.filter(station__in=stations, met=True).values_list("station_id", "item")
    for station_id, item in done:
        met[station_id].add(item)
    return {
        pk: [str(label) for item, label in StandardItem.choices if item not in ok] for pk, ok in met.items()
    }


def standard_check_get(*, user: Any, pk: Any) -> StandardCheck:
    qs = StandardCheck.objects.filter(station__in=visible_stations(user)).select_related("station")
    return access.get_or_404(qs, pk=pk)


# --- 工作台账 ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    kind: str  # duty / shift / service / incident
    kind_label: str
    day: date
    at: datetime | None
    title: str
    detail: str
    status: str
    object_id: int


LEDGER_KINDS = {
    "duty": gettext_lazy("集中服务"),
    "shift": gettext_lazy("班次"),
    "service": gettext_lazy("服务记录"),
    "incident": gettext_lazy("突发情况"),
}


def _sort_key(row: LedgerRow) -> tuple[date, time, int, int]:
    # what happened at a known time sorts by Beijing wall-clock time; a whole day's entry closes its day
    at = timezone.localtime(row.at).time() if row.at else time.max
    return (row.day, at, list(LEDGER_KINDS).index(row.kind), row.object_id)


def ledger(*, station: Station, since: date | None = None, until: date | None = None) -> list[LedgerRow]:
    """Duties, shifts, services given and incidents at the station, newest first: four queries at any size."""

    def days(field: str) -> Q:
        q = Q()
        if since:
            q &= Q(**{f"{field}__gte": since})
        if until:
            q &= Q(**{f"{field}__lte": until})
        return q

    label = {k: str(v) for k, v in LEDGER_KINDS.items()}
    services = dict(Service.choices)
    rows = [
        LedgerRow(
            "duty", label["duty"], d.date, None, d.content or d.place,
            d.responsible_label or d.responsible.name, d.get_status_display(), d.pk,
        )
        for d in Duty.objects.filter(days("date"), station=station).select_related("responsible")
    ]  # fmt: skip
    rows += [
        LedgerRow(
            "shift", label["shift"], timezone.localdate(s.starts_at), s.starts_at, s.title,
            _("%(org)s · 已报名 %(n)d/%(cap)d 人") % {"org": s.organization.name, "n": s.accepted_count, "cap": s.capacity},
            "", s.pk,
        )
        for s in Shift.objects.filter(days("starts_at__date"), station=station).select_related("organization")
    ]  # fmt: skip
    rows += [
        LedgerRow(
            "service", label["service"], g.day, None,
            _("%(service)s %(n)d 次") % {"service": services.get(g.service, g.service), "n": g.count},
            g.note or g.recorded_by.display_name, "", g.pk,
        )
        for g in ServiceGiven.objects.filter(days("day"), station=station).select_related("recorded_by")
    ]  # fmt: skip
    rows += [
        LedgerRow(
            "incident", label["incident"], timezone.localdate(i.created_at), i.created_at,
            f"{i.kind}（{i.get_severity_display()}）", i.description[:100], i.get_status_display(), i.pk,
        )
        for i in Incident.objects.filter(days("created_at__date"), station=station)
    ]  # fmt: skip
    return sorted(rows, key=_sort_key, reverse=True)


# --- incidents and emergencies -----------------------------------------------------------------------------


def incident_list(*, user: Any, station: Station | None = None, status: str = "") -> QuerySet[Incident]:
    qs = Incident.objects.filter(station__in=visible_stations(user))
    if station is not None:
        qs = qs.filter(station=station)
    if status == "open":
        qs = qs.exclude(status=Incident.Status.RESOLVED)
    elif status:
        qs = qs.filter(status=status)
    return qs.select_related("station__responsible_office", "reported_by").order_by("-created_at", "-pk")


def incident_get(*, user: Any, pk: Any) -> Incident:
    return access.get_or_404(incident_list(user=user), pk=pk)


def pairing_for(station: Station) -> EmergencyPairing | None:
    return (
        EmergencyPairing.objects.filter(station=station)
        .select_related("team")
        .prefetch_related(Prefetch("plans", queryset=ContingencyPlan.objects.order_by("pk")))
        .first()
    )


def plan_get(*, user: Any, pk: Any) -> ContingencyPlan:
    qs = ContingencyPlan.objects.filter(pairing__station__in=visible_stations(user)).select_related(
        "pairing__team", "pairing__station__responsible_office"
    )
    return access.get_or_404(qs, pk=pk)


def open_activation(plan: ContingencyPlan) -> Activation | None:
    return Activation.objects.filter(plan=plan, closed_at__isnull=True).first()


def activation_list(*, user: Any, station: Station | None = None) -> QuerySet[Activation]:
    called = ActivationResponse.objects.filter(
        activation=OuterRef("pk"), user_id=getattr(user, "pk", None) or 0
    )
    qs = Activation.objects.filter(Q(plan__pairing__station__in=visible_stations(user)) | Q(Exists(called)))
    if station is not None:
        qs = qs.filter(plan__pairing__station=station)
    total = ActivationResponse.objects.filter(activation=OuterRef("pk"))
    return (
        qs.select_related("plan__pairing__team", "plan__pairing__station__responsible_office", "activated_by")
        .annotate(
            notified_count=Coalesce(
                Subquery(total.order_by().values("activation").annotate(n=Count("*")).values("n")), 0
            ),
            confirmed_count=Coalesce(
                Subquery(
                    total.filter(confirmed_at__isnull=False)
                    .order_by()
                    .values("activation")
                    .annotate(n=Count("*"))
                    .values("n")
                ),
                0,
            ),
        )
        .order_by("-created_at", "-pk")
    )


def activation_get(*, user: Any, pk: Any) -> Activation:
    return access.get_or_404(activation_list(user=user), pk=pk)


def responses(activation: Activation) -> QuerySet[ActivationResponse]:
    """Who was called out: those still to confirm first, then by when they confirmed."""
    return (
        ActivationResponse.objects.filter(activation=activation)
        .select_related("user")
        .order_by(F("confirmed_at").asc(nulls_first=True), "user__full_name", "pk")
    )
