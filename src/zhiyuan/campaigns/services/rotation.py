"""The concentrated-service rotation (集中志愿服务安排, attachment 5): who serves where on which day.

Responsible organisations take one day each in the given order; the places alternate; excluded days
(the 春节 holiday) are skipped without breaking the alternation; a fixed exception puts that day's
organisation somewhere else (航空港候机楼 on 2/2) and does not count as a turn of the alternation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from zhiyuan.campaigns.models import Campaign, Duty, Station
from zhiyuan.core import access, holidays
from zhiyuan.core.models import User
from zhiyuan.organizations.models import ContactCategory, Organization, UnitContact
from zhiyuan.organizations.roles import Perm


@dataclass(frozen=True)
class Turn:
    day: date
    place: str
    organization: Organization
    label: str = ""


@dataclass
class RotationSpec:
    organizations: Sequence[Organization]
    places: Sequence[str]
    start: date
    end: date | None = None  # None: as many days as there are organisations
    excluded: set[date] = field(default_factory=set)
    exceptions: dict[date, str] = field(default_factory=dict)
    labels: Sequence[str] = ()


def rotation_plan(spec: RotationSpec) -> list[Turn]:
    """The turns, without writing anything. Organisations repeat in order if the period is longer."""
    errors: dict[str, list[str]] = {}
    if not spec.organizations:
        errors["organizations"] = [_("请至少选择一个责任单位。")]
    if not spec.places:
        errors["places"] = [_("请至少选择一个地点。")]
    if spec.end is not None and spec.end < spec.start:
        errors["end"] = [_("结束日期不能早于开始日期。")]
    if errors:
        raise ValidationError(errors)
    turns: list[Turn] = []
    alternation = 0
    day = spec.start
    count = len(spec.organizations)
    while (spec.end is None and len(turns) < count) or (spec.end is not None and day <= spec.end):
        if day not in spec.excluded:
            index = len(turns) % count
            if day in spec.exceptions:
                place = spec.exceptions[day]
            else:
                place = spec.places[alternation % len(spec.places)]
                alternation += 1
            label = spec.labels[index] if index < len(spec.labels) else ""
            turns.append(Turn(day, place, spec.organizations[index], label))
        day += timedelta(days=1)
        if (day - spec.start).days > 3660:
            raise ValidationError({"end": _("排班期限过长。")})
    return turns


def _contact(organization: Organization, contacts: dict[int, UnitContact]) -> tuple[str, str]:
    contact = contacts.get(organization.pk)
    if contact is None:
        return "", ""
    return contact.name, contact.mobile or contact.office_phone


@transaction.atomic
def rotation_write(
    *, by: User | None, campaign: Campaign, turns: Iterable[Turn], content: str = "", replace: bool = True
) -> list[Duty]:
    """Write `turns` as the campaign's duties. With `replace` the planned duties go first (those done or
    filed stay as they are); without it the turns are added, e.g. one station's rotation after another's."""
    if by is not None:
        access.require(by, Perm.CAMPAIGN_CHANGE, campaign.organizer)
    turns = list(turns)
    stations: dict[str, Station] = {}
    for station in campaign.stations.order_by("order", "pk"):  # 火车站 is the first 郑州火车站 row (东广场)
        stations.setdefault(station.place.removeprefix("郑州"), station)
    # the liaison of each responsible unit is the duty's contact until someone names another (attachment 2)
    contacts = {
        c.organization_id: c
        for c in UnitContact.objects.filter(
            organization__in=[t.organization for t in turns], category=ContactCategory.LIAISON
        )
    }
    if replace:
        campaign.duties.filter(status=Duty.Status.PLANNED, filings__isnull=True).delete()
    made = []
    for order, turn in enumerate(turns):
        name, phone = _contact(turn.organization, contacts)
        made.append(
            Duty(
                campaign=campaign,
                date=turn.day,
                place=turn.place,
                station=stations.get(turn.place),
                responsible=turn.organization,
                responsible_label=turn.label,
                content=content,
                contact_name=name,
                contact_phone=phone,
                order=order,
            )
        )
    # one INSERT per batch, with the audit trail written alongside (a season is thousands of duties)
    return bulk_create_with_history(made, Duty, batch_size=1000, default_user=by)


def spring_festival_days(year: int) -> set[date]:
    """The official 春节 rest days of `year` (or the lunar estimate where none is published yet)."""
    around = holidays.spring_festival(year)
    return holidays.rest_days(
        around - timedelta(days=10), around + timedelta(days=15), name=holidays.SPRING_FESTIVAL
    )


def rotation_shifted(*, source: Campaign, year: int) -> RotationSpec:
    """The source campaign's rotation re-laid in `year`: it starts the same number of days before 春节,
    keeps its order, places and exceptions (moved with it), and skips that year's 春节 holiday."""
    duties = list(source.duties.select_related("responsible").order_by("date", "order"))
    if not duties:
        raise ValidationError({"source": _("原活动没有集中服务安排。")})
    shift = holidays.spring_festival(year) - holidays.spring_festival(duties[0].date.year)
    places: list[str] = []
    counts: dict[str, int] = {}
    for d in duties:
        counts[d.place] = counts.get(d.place, 0) + 1
    for d in duties:  # the alternating places: those used more than once, in order of first use
        if counts[d.place] > 1 and d.place not in places:
            places.append(d.place)
    exceptions = {d.date + shift: d.place for d in duties if d.place not in places}
    return RotationSpec(
        organizations=[d.responsible for d in duties],
        places=places or [duties[0].place],
        start=duties[0].date + shift,
        excluded=spring_festival_days(year),
        exceptions=exceptions,
        labels=[d.responsible_label for d in duties],
    )
