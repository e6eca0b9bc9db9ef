"""Writing and checking the hour ledger. Every write goes through `ledger_append`, which locks the
volunteer's row so that a chain grows one link at a time, and updates the weekly rollup in the same
transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import access, holidays
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.hours.models import LedgerEntry, WeeklyRollup
from zhiyuan.hours.services.ledger_hash import current_key, entry_hash, entry_hash_matches
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer

GENESIS = "0" * 64
MAX_INTERVAL = timedelta(hours=16)  # longer than any sane single stretch of service: refuse, do not guess
RECORDING_WINDOW_WORKING_DAYS = 10  # 办法 Art. 11
SHANGHAI = ZoneInfo("Asia/Shanghai")  # a named zone: SQLite's date functions mis-handle a bare +0800 offset
TWO = Decimal("0.01")


def hours_between(starts_at: datetime, ends_at: datetime) -> Decimal:
    return (Decimal((ends_at - starts_at).total_seconds()) / Decimal(3600)).quantize(TWO, ROUND_HALF_UP)


def week_of(moment: datetime) -> date:
    """The Monday of the Beijing week `moment` falls in."""
    day = timezone.localtime(moment, SHANGHAI).date()
    return day - timedelta(days=day.weekday())


def recording_deadline(ended: datetime) -> date:
    """The last day an activity may be recorded through the ordinary channels (10 working days after)."""
    return holidays.add_working_days(
        timezone.localtime(ended, SHANGHAI).date(), RECORDING_WINDOW_WORKING_DAYS
    )


def _live_credits(volunteer: Volunteer) -> Any:
    return LedgerEntry.objects.filter(
        volunteer=volunteer, kind=LedgerEntry.Kind.CREDIT, reversed_by__isnull=True
    )


def _check_interval(
    volunteer: Volunteer,
    starts_at: datetime,
    ends_at: datetime,
    errors: dict[str, list[str]],
    ignore: LedgerEntry | None = None,
) -> None:
    if ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("结束时间须晚于开始时间。"))
        return
    if ends_at - starts_at > MAX_INTERVAL:
        errors.setdefault("ends_at", []).append(_("单次服务时间不能超过16小时，请分段记录。"))
    if ends_at > timezone.now() + timedelta(minutes=5):
        errors.setdefault("ends_at", []).append(_("不能记录尚未结束的服务。"))
    overlapping = _live_credits(volunteer).filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    if ignore is not None:
        overlapping = overlapping.exclude(pk=ignore.pk)
    clash = overlapping.first()
    if clash is not None:
        errors.setdefault("starts_at", []).append(
            _("与已记录的服务时间重叠：%(a)s（%(s)s）。")
            % {
                "a": clash.activity,
                "s": timezone.localtime(clash.starts_at, SHANGHAI).strftime("%Y-%m-%d %H:%M"),
            }
        )


@transaction.atomic
def ledger_append(
    *,
    volunteer: Volunteer,
    organization: Organization,
    activity: str,
    starts_at: datetime,
    ends_at: datetime,
    source: str,
    by: User,
    kind: str = LedgerEntry.Kind.CREDIT,
    reverses: LedgerEntry | None = None,
    reason: str = "",
    late_allowed: bool = False,
    **details: Any,
) -> LedgerEntry:
    """Add one link to the volunteer's chain and to their weekly rollup. Credits are checked: a sane
    interval, no overlap with other live credits, and recorded within 10 working days unless this is the
    correction flow (`late_allowed`)."""
    # the volunteer's row is the chain's lock: appends for one person happen one at a time
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    # to the second, as the hash covers them: what is stored is what any copy of the database restores
    starts_at, ends_at = starts_at.replace(microsecond=0), ends_at.replace(microsecond=0)
    if volunteer.status == Volunteer.Status.ANONYMISED and kind == LedgerEntry.Kind.CREDIT:
        raise Refused(_("该志愿者的信息已匿名化，不能再记录服务时长。"))
    if kind == LedgerEntry.Kind.CREDIT:
        errors: dict[str, list[str]] = {}
        if not activity.strip():
            errors["activity"] = [_("请填写活动名称。")]
        _check_interval(volunteer, starts_at, ends_at, errors)
        if (
            not late_allowed
            and "ends_at" not in errors
            and timezone.localdate() > recording_deadline(ends_at)
        ):
            errors.setdefault("ends_at", []).append(
                _("已超过10个工作日的记录期限（办法第十一条），请通过更正流程由记录单位补录。")
            )
        if errors:
            raise ValidationError(errors)
        hours = hours_between(starts_at, ends_at)
    else:
        assert reverses is not None
        hours = -reverses.hours
    last = LedgerEntry.objects.filter(volunteer=volunteer).order_by("-seq").only("seq", "hash").first()
    key_id, key = current_key()
    entry = LedgerEntry(
        volunteer=volunteer,
        key_id=key_id,
        seq=(last.seq + 1) if last else 1,
        kind=kind,
        organization=organization,
        activity=activity.strip()[:200],
        starts_at=starts_at,
        ends_at=ends_at,
        hours=hours,
        source=source,
        recorded_by=by,
        reverses=reverses,
        reason=reason.strip()[:200],
        prev_hash=last.hash if last else GENESIS,
        created_at=timezone.now().replace(microsecond=0),
        **details,
    )
    entry.hash = entry_hash(entry, key)
    entry.save()
    _rollup_add(volunteer.pk, week_of(starts_at), hours)
    return entry


def _rollup_add(volunteer_id: int, week: date, hours: Decimal) -> None:
    updated = WeeklyRollup.objects.filter(volunteer_id=volunteer_id, week=week).update(
        hours=F("hours") + hours, updated_at=timezone.now()
    )
    if not updated:  # the volunteer row lock makes this first insert race-free
        WeeklyRollup.objects.create(volunteer_id=volunteer_id, week=week, hours=hours)


@transaction.atomic
def ledger_correct(
    *,
    by: User,
    entry: LedgerEntry,
    reason: str,
    new_starts_at: datetime | None = None,
    new_ends_at: datetime | None = None,
) -> tuple[LedgerEntry, LedgerEntry | None]:
    """Reverse `entry` and, when new times are given, record the replacement — only by the recording
    organisation (办法 Art. 13), always with a reason. Returns (reversal, replacement)."""
    if not access.can(by, Perm.HOURS_APPROVE, entry.organization):
        raise access.PermissionDenied(_("只有记录单位可以更正服务记录。"))
    if not reason.strip():
        raise ValidationError({"reason": [_("更正须说明原因。")]})
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.kind != LedgerEntry.Kind.CREDIT or LedgerEntry.objects.filter(reverses=entry).exists():
        raise Refused(_("该记录已被更正或本身是冲销记录。"))
    if (new_starts_at is None) != (new_ends_at is None):
        raise ValidationError({"new_ends_at": [_("请同时填写更正后的开始和结束时间。")]})
    common: dict[str, Any] = dict(
        volunteer=entry.volunteer,
        organization=entry.organization,
        activity=entry.activity,
        by=by,
        source=LedgerEntry.Source.CORRECTION,
        reason=reason,
        shift=entry.shift,
        station=entry.station,
        place=entry.place,
        content=entry.content,
        responsible_name=entry.responsible_name,
    )
    reversal = ledger_append(
        kind=LedgerEntry.Kind.REVERSAL,
        reverses=entry,
        starts_at=entry.starts_at,
        ends_at=entry.ends_at,
        **common,
    )
    replacement = None
    if new_starts_at is not None and new_ends_at is not None:
        replacement = ledger_append(starts_at=new_starts_at, ends_at=new_ends_at, late_allowed=True, **common)
    return reversal, replacement


@dataclass(frozen=True)
class Break:
    volunteer_id: int
    seq: int
    problem: str


def verify_chain(volunteer_id: int) -> Break | None:
    """The first broken link of one volunteer's chain, or None when it is intact."""
    previous_hash, expected_seq = GENESIS, 1
    for entry in (
        LedgerEntry.objects.filter(volunteer_id=volunteer_id).order_by("seq").iterator(chunk_size=2000)
    ):
        if entry.seq != expected_seq:
            return Break(volunteer_id, expected_seq, "missing entry")
        if entry.prev_hash != previous_hash:
            return Break(volunteer_id, entry.seq, "prev_hash does not match the previous entry")
        problem = entry_hash_matches(entry)
        if problem:
            return Break(volunteer_id, entry.seq, problem)
        previous_hash, expected_seq = entry.hash, expected_seq + 1
    return None


def verify_all() -> list[Break]:
    volunteer_ids = LedgerEntry.objects.order_by().values_list("volunteer_id", flat=True).distinct()
    return [b for vid in volunteer_ids.iterator() if (b := verify_chain(vid)) is not None]


def rollups_derived() -> dict[tuple[int, date], Decimal]:
    """Weekly hours computed afresh from the ledger, in the database."""
    rows = (
        LedgerEntry.objects.annotate(week=TruncWeek("starts_at", tzinfo=SHANGHAI))
        .values("volunteer_id", "week")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    return {(r["volunteer_id"], _as_date(r["week"])): Decimal(r["total"]).quantize(TWO) for r in rows}


def _as_date(value: Any) -> date:
    # TruncWeek with a tzinfo gives Monday 00:00 Beijing as an aware datetime; its date is Beijing's
    return timezone.localtime(value, SHANGHAI).date() if isinstance(value, datetime) else value


def rollup_differences() -> list[tuple[int, date, Decimal, Decimal]]:
    """(volunteer, week, kept, derived) wherever the maintained rollup disagrees with the ledger."""
    derived = rollups_derived()
    kept = {(r.volunteer_id, r.week): Decimal(r.hours).quantize(TWO) for r in WeeklyRollup.objects.all()}
    keys = set(derived) | {k for k, v in kept.items() if v}
    return sorted(
        (vid, week, kept.get((vid, week), Decimal(0)), derived.get((vid, week), Decimal(0)))
        for vid, week in keys
        if kept.get((vid, week), Decimal(0)) != derived.get((vid, week), Decimal(0))
    )


def volunteer_week(volunteer: Volunteer, day: date | None = None) -> Decimal:
    day = day or timezone.localdate()
    monday = day - timedelta(days=day.weekday())
    row = WeeklyRollup.objects.filter(volunteer=volunteer, week=monday).first()
    return Decimal(row.hours) if row else Decimal(0)


def volunteer_total(volunteer: Volunteer) -> Decimal:
    return Decimal(WeeklyRollup.objects.filter(volunteer=volunteer).aggregate(t=Sum("hours"))["t"] or 0)
