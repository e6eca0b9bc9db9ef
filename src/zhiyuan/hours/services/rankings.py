"""Rankings for the annual commendation (表彰): volunteers by verified hours in a period, per team or unit
(an organisation's subtree) or per campaign, with their star level and awards.

Hours come from the ledger, reversals and replacements included, so a corrected record counts as
corrected. The weekly rollups cannot answer this: they are kept per volunteer, not per recording
organisation or campaign, and "谁记录谁证明" means a unit ranks the hours it recorded. The ledger's
(organization, starts_at) index serves the organisation case; star levels (lifetime hours) do come from
the rollups.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, DecimalField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.expressions import Window
from django.db.models.functions import Coalesce, Rank
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Campaign
from zhiyuan.core import access
from zhiyuan.hours.models import Award, LedgerEntry, StarThreshold, WeeklyRollup
from zhiyuan.hours.services.ledger import SHANGHAI
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer

MAX_PERIOD_DAYS = 366 * 3  # a commendation looks back a year, or a term of a few years
DETAILS_CHUNK = 2000  # volunteer ids per query when the whole ranking is read (the spreadsheet)


@dataclass(frozen=True)
class RankRow:
    rank: int
    volunteer_id: int
    number: str
    name: str
    home: str
    hours: Decimal
    total_hours: Decimal
    stars: int
    awards: int


def period_check(start: date | None, end: date | None) -> tuple[date, date]:
    errors: dict[str, list[str]] = {}
    if start is None:
        errors.setdefault("start", []).append(_("请填写起始日期。"))
    if end is None:
        errors.setdefault("end", []).append(_("请填写截止日期。"))
    if start is not None and end is not None:
        if end < start:
            errors.setdefault("end", []).append(_("截止日期不能早于起始日期。"))
        elif (end - start).days > MAX_PERIOD_DAYS:
            errors.setdefault("end", []).append(_("统计期间不能超过三年。"))
    if errors:
        raise ValidationError(errors)
    assert start is not None and end is not None
    return start, end


def _entries(
    *, user: Any, organization: Organization | None, campaign: Campaign | None, start: date, end: date
) -> QuerySet[LedgerEntry]:
    begins = datetime.combine(start, time.min, tzinfo=SHANGHAI)
    ends = datetime.combine(end + timedelta(days=1), time.min, tzinfo=SHANGHAI)
    entries = LedgerEntry.objects.filter(starts_at__gte=begins, starts_at__lt=ends)
    if organization is not None:
        access.require(user, Perm.HOURS_VIEW, organization)
        # a semi-join on the subtree's ids: the ledger's (organization, starts_at) index, no join per row
        subtree = Organization.objects.filter(path__startswith=organization.path).values("pk")
        entries = entries.filter(organization_id__in=subtree)
    if campaign is not None:
        if not access.holds_any(user, [Perm.HOURS_VIEW]):
            raise access.PermissionDenied(_("您无权查看志愿者排名。"))
        # within a campaign each officer ranks the hours recorded in their own part of the tree
        entries = entries.filter(Q(shift__campaign=campaign) | Q(station__campaign=campaign)).filter(
            access.scope(user, Perm.HOURS_VIEW, via="organization")
        )
    anonymised = Volunteer.objects.filter(status=Volunteer.Status.ANONYMISED).values("pk")
    return entries.exclude(volunteer_id__in=anonymised)


def _grouped(entries: QuerySet[LedgerEntry]) -> QuerySet[Any]:
    """(volunteer_id, period_hours, rank), most hours first. Grouped by the volunteer alone: anything per
    volunteer is read afterwards for the page's rows only, not once per ledger row."""
    return (
        entries.order_by()
        .values("volunteer_id")
        .annotate(period_hours=Sum("hours"))
        .filter(period_hours__gt=0)  # fully reversed records leave nothing to rank
        .annotate(
            rank=Window(Rank(), order_by=F("period_hours").desc()),
            ranked=Window(Count("*")),  # the count comes with the page instead of aggregating twice
        )
        .order_by("-period_hours", "volunteer_id")
    )


def _details(ids: list[int], start: date, end: date) -> dict[int, dict[str, Any]]:
    """Name, home area, lifetime hours (from the rollups) and awards in the period, per volunteer."""
    lifetime = (
        WeeklyRollup.objects.filter(volunteer_id=OuterRef("pk"))
        .order_by()
        .values("volunteer_id")
        .annotate(t=Sum("hours"))
        .values("t")
    )
    awards = (
        Award.objects.filter(volunteer_id=OuterRef("pk"), date__gte=start, date__lte=end)
        .order_by()
        .values("volunteer_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found: dict[int, Any] = {}
    for first in range(0, len(ids), DETAILS_CHUNK):
        rows = (
            Volunteer.objects.filter(pk__in=ids[first : first + DETAILS_CHUNK])
            .annotate(
                lifetime=Coalesce(Subquery(lifetime), Value(Decimal(0)), output_field=DecimalField()),
                award_count=Coalesce(Subquery(awards), Value(0), output_field=IntegerField()),
            )
            .values(
                "pk",
                "number",
                "user__full_name",
                "home_organization__name",
                "home_organization__path",
                "lifetime",
                "award_count",
            )
        )
        found.update({r["pk"]: r for r in rows})
    return found


def _thresholds_by_path(paths: set[str]) -> dict[str, dict[int, Decimal]]:
    """star thresholds for each home-organisation path, read in one query (cf. compliance.star_thresholds)."""
    ids = access.path_ids(paths)
    rows = list(
        StarThreshold.objects.filter(Q(organization__isnull=True) | Q(organization_id__in=ids)).values_list(
            "organization_id", "stars", "hours"
        )
    )
    found: dict[str, dict[int, Decimal]] = {}
    for path in paths:
        depth = {int(p): i for i, p in enumerate(path.strip("/").split("/")) if p}
        chosen: dict[int, tuple[int, Decimal]] = {}
        for org_id, stars, hours in rows:
            if org_id is not None and org_id not in depth:
                continue
            rank = -1 if org_id is None else depth[org_id]
            if stars not in chosen or rank > chosen[stars][0]:
                chosen[stars] = (rank, Decimal(hours))
        found[path] = {stars: hours for stars, (_, hours) in chosen.items()}
    return found


def ranking(
    *,
    user: Any,
    start: date | None,
    end: date | None,
    organization: Organization | None = None,
    campaign: Campaign | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[RankRow], int]:
    """(rows, how many volunteers are ranked). Ties share a rank (1, 1, 3). Four queries for a page, whatever
    the size: the count, the ranked page, the page's volunteers, the star thresholds."""
    start, end = period_check(start, end)
    if (organization is None) == (campaign is None):
        raise ValidationError({"organization": [_("请选择一个组织或一个活动。")]})
    grouped = _grouped(
        _entries(user=user, organization=organization, campaign=campaign, start=start, end=end)
    )
    ranked = list(grouped[offset : offset + limit] if limit is not None else grouped[offset:])
    count = ranked[0]["ranked"] if ranked else (grouped.count() if offset else 0)
    details = _details([r["volunteer_id"] for r in ranked], start, end)
    thresholds = _thresholds_by_path({d["home_organization__path"] for d in details.values()})
    rows = []
    for r in ranked:
        d = details[r["volunteer_id"]]
        lifetime = Decimal(d["lifetime"])
        levels = thresholds[d["home_organization__path"]]
        rows.append(
            RankRow(
                rank=r["rank"],
                volunteer_id=r["volunteer_id"],
                number=d["number"],
                name=d["user__full_name"],
                home=d["home_organization__name"],
                hours=Decimal(r["period_hours"]),
                total_hours=lifetime,
                stars=max((s for s, h in levels.items() if lifetime >= h), default=0),
                awards=d["award_count"],
            )
        )
    return rows, count
