"""Drafts from data: a daily brief or weekly summary starts from what the unit's subtree did in that day or
week, so the liaison edits instead of writing from scratch; an attachment-4 report starts from its duty,
an attachment-2 sheet from the unit's registered contacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Duty, Incident, Service, ServiceGiven, Shift, Station
from zhiyuan.hours.models import LedgerEntry
from zhiyuan.organizations.models import Organization, UnitContact
from zhiyuan.reporting.models import Form
from zhiyuan.reporting.services.deadlines import SHANGHAI, beijing

MAX_PHOTOS = 9


@dataclass
class Draft:
    text: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    # (image field, caption, source) of photos to copy onto the draft
    photos: list[tuple[Any, str, str]] = field(default_factory=list)


@dataclass
class Activity:
    duties_done: int = 0
    duties_cancelled: int = 0
    duties_planned: int = 0
    shifts: int = 0
    places: int = 0
    signed_up: int = 0
    short_shifts: int = 0
    volunteers: int = 0
    hours: Decimal = Decimal(0)
    services: list[tuple[str, int]] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    duty_lines: list[str] = field(default_factory=list)


def activity(organization: Organization, first: date, last: date) -> Activity:
    """What the organisation's subtree did between two Beijing dates (inclusive)."""
    start, end = beijing(first, time(0)), beijing(last + timedelta(days=1), time(0))
    path = organization.path
    out = Activity()
    duties = list(
        Duty.objects.filter(responsible__path__startswith=path, date__range=(first, last)).order_by(
            "date", "order"
        )
    )
    for d in duties:
        if d.status == Duty.Status.DONE:
            out.duties_done += 1
        elif d.status in (Duty.Status.CANCELLED, Duty.Status.POSTPONED):
            out.duties_cancelled += 1
        else:
            out.duties_planned += 1
        out.duty_lines.append(f"{d.date:%m-%d} {d.place} {d.content} （{d.get_status_display()}）".strip())
    shifts = Shift.objects.filter(
        organization__path__startswith=path, starts_at__gte=start, starts_at__lt=end
    )
    agg = shifts.aggregate(
        n=Count("pk"),
        places=Sum("capacity"),
        signed=Sum("accepted_count"),
        short=Count("pk", filter=Q(accepted_count__lt=F("minimum"))),
    )
    out.shifts, out.places, out.signed_up, out.short_shifts = (
        agg["n"] or 0,
        agg["places"] or 0,
        agg["signed"] or 0,
        agg["short"] or 0,
    )
    ledger = LedgerEntry.objects.filter(
        organization__path__startswith=path, starts_at__gte=start, starts_at__lt=end
    )
    led = ledger.aggregate(hours=Sum("hours"), people=Count("volunteer", distinct=True))
    out.hours, out.volunteers = led["hours"] or Decimal(0), led["people"] or 0
    stations = Station.objects.filter(
        Q(responsible_office__path__startswith=path) | Q(links__team__path__startswith=path)
    ).values("pk")
    given = (
        ServiceGiven.objects.filter(station__in=stations, day__range=(first, last))
        .values("service")
        .annotate(total=Sum("count"))
        .order_by("-total")
    )
    labels = dict(Service.choices)
    out.services = [(str(labels.get(g["service"], g["service"])), g["total"]) for g in given]
    out.incidents = list(
        Incident.objects.filter(station__in=stations, created_at__gte=start, created_at__lt=end)
        .select_related("station")
        .order_by("created_at")
    )
    return out


def summary_text(org: Organization, a: Activity, heading: str) -> str:
    lines = [heading, ""]
    lines.append(
        _("集中志愿服务：完成 %(done)d 场，取消或顺延 %(cancelled)d 场，未标记完成 %(planned)d 场。")
        % {"done": a.duties_done, "cancelled": a.duties_cancelled, "planned": a.duties_planned}
    )
    lines += [f"  · {line}" for line in a.duty_lines[:20]]
    lines.append(
        _("班次：%(n)d 个，需 %(places)d 人，已报名 %(signed)d 人；%(short)d 个班次未达最少人数。")
        % {"n": a.shifts, "places": a.places, "signed": a.signed_up, "short": a.short_shifts}
    )
    lines.append(
        _("参与志愿者 %(people)d 人，服务时长 %(hours)s 小时。")
        % {"people": a.volunteers, "hours": f"{Decimal(a.hours):.1f}"}
    )
    if a.services:
        lines.append(
            _("服务群众：") + "，".join(f"{label} {total} 人次" for label, total in a.services) + "。"
        )
    else:
        lines.append(_("服务群众：暂无记录。"))
    if a.incidents:
        lines.append(_("突发情况 %(n)d 起：") % {"n": len(a.incidents)})
        lines += [
            f"  · {i.station.name} {i.kind}：{i.description[:80]}（{i.get_status_display()}）"
            for i in a.incidents
        ]
    else:
        lines.append(_("突发情况：无。"))
    return "\n".join(lines)


def _photos(a: Activity) -> list[tuple[Any, str, str]]:
    return [(i.photo, f"{i.station.name} {i.kind}", f"incident-{i.pk}") for i in a.incidents if i.photo][
        :MAX_PHOTOS
    ]


def draft_for(
    *, form: str, organization: Organization, first: date | None, last: date | None, duty: Duty | None
) -> Draft:
    if form == Form.DAILY_BRIEF and first:
        a = activity(organization, first, first)
        heading = _("%(org)s %(day)s 志愿服务简报") % {"org": organization.name, "day": first.isoformat()}
        return Draft(text=summary_text(organization, a, heading), photos=_photos(a))
    if form == Form.WEEKLY_SUMMARY and first and last:
        a = activity(organization, first, last)
        heading = _("%(org)s 本周（%(a)s 至 %(b)s）志愿服务总结") % {
            "org": organization.name,
            "a": first.isoformat(),
            "b": last.isoformat(),
        }
        nxt = activity_plan(organization, last + timedelta(days=1), last + timedelta(days=7))
        return Draft(
            fields={"summary": summary_text(organization, a, heading), "next_week_plan": nxt},
            photos=_photos(a),
        )
    if form == Form.ACTIVITY_REPORT and duty is not None:
        return Draft(fields=activity_report_fields(duty))
    if form == Form.CONTACTS:
        return Draft(fields=contact_fields(organization))
    return Draft()


def activity_plan(organization: Organization, first: date, last: date) -> str:
    """下周计划 starts from the duties and shifts already planned for next week."""
    lines = []
    for d in (
        Duty.objects.filter(responsible__path__startswith=organization.path, date__range=(first, last))
        .exclude(status=Duty.Status.CANCELLED)
        .order_by("date", "order")
    ):
        lines.append(f"· {d.date:%m-%d} {d.place} {d.content}".rstrip())
    start, end = beijing(first, time(0)), beijing(last + timedelta(days=1), time(0))
    for s in Shift.objects.filter(
        organization__path__startswith=organization.path, starts_at__gte=start, starts_at__lt=end
    ).order_by("starts_at")[:30]:
        local = timezone.localtime(s.starts_at, SHANGHAI)
        lines.append(f"· {local:%m-%d %H:%M} {s.title}（{s.capacity} 人）")
    return "\n".join(lines) or _("（下周暂无已排的活动，请补充计划。）")


def activity_report_fields(duty: Duty) -> dict[str, Any]:
    """组织单位, 活动时间, 活动地点, 活动内容 of attachment 4, from the duty."""
    shifts = list(duty.shifts.order_by("starts_at").values_list("starts_at", "ends_at"))
    when = duty.date.isoformat()
    if shifts:
        first = timezone.localtime(shifts[0][0], SHANGHAI)
        last = timezone.localtime(max(e for _, e in shifts), SHANGHAI)
        when = f"{duty.date.isoformat()} {first:%H:%M}–{last:%H:%M}"
    place = duty.place
    if duty.station_id and duty.station and duty.station.sub_location:
        place = f"{duty.place}{duty.station.sub_location}"
    values = {
        "organizer": duty.responsible_label or duty.responsible.name,
        "activity_time": when,
        "place": place,
        "content": duty.content,
    }
    return {k: v for k, v in values.items() if v}


def contact_fields(organization: Organization) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for c in UnitContact.objects.filter(organization=organization):
        for attr in ("name", "title", "office_phone", "mobile"):
            value = getattr(c, attr)
            if value:
                values[f"{c.category}_{attr}"] = value
    return values
