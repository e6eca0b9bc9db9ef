"""签到 / 签退: scans of a station's or shift's rotating QR token, idempotent by the device's key.

A scan carries a key the phone generated; the same key twice — a retry, a re-sent offline queue, two
racing requests — returns the first record and writes nothing more. A sign-out closes the open sign-in
and writes the ledger entry for the interval.

A shift's poster signs the volunteer into that shift. A station's poster signs them into the shift at that
station they are booked on right now; without one, into an ad-hoc record at the station when its leaders
allow it (`Station.allow_adhoc`). Leaders record for others (BULK), and close a forgotten sign-out (FIX).

Time is the server's (`checkin_time`): an online scan is stamped at receipt; an offline one keeps the phone's
time only inside the booked shift and with a code valid then; anything an offline queue sends that cannot
be credited is *held* for a leader's review, never dropped. Credited time never leaves the shift's own
window (a leader's 补签 with a reason may), and a day's hours beyond the cap wait for approval (`daily_cap`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Shift, Signup, Station
from zhiyuan.campaigns.selectors.stations import rights as station_rights
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.hours.models import CheckIn, LedgerEntry
from zhiyuan.hours.services.checkin_location import (
    location_consented,
    location_flag,
    position_check,
    stored_position,
)
from zhiyuan.hours.services.checkin_time import (
    ARRIVE_EARLY,
    OFFLINE_MAX_AGE,
    Stamp,
    credited_interval,
    outside_shift,
    scan_stamp,
)
from zhiyuan.hours.services.checkin_tokens import (
    TOKEN_MAX_AGE,
    TOKEN_WINDOW,
    CodeExpired,
    poster_token,
    token_target,
)
from zhiyuan.hours.services.daily_cap import credit_capped
from zhiyuan.hours.services.ledger import recording_deadline
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer

__all__ = [
    "ARRIVE_EARLY",
    "OFFLINE_MAX_AGE",
    "TOKEN_MAX_AGE",
    "TOKEN_WINDOW",
    "Where",
    "checkin_record",
    "poster_token",
]


@dataclass(frozen=True)
class Where:
    """What a scan is for: a shift (at its station, if it has one), or a station alone (ad hoc)."""

    shift: Shift | None
    station: Station | None

    @property
    def adhoc(self) -> bool:
        return self.shift is None


def _scanned(token: str, stamp: Stamp) -> tuple[Where, str]:
    """What the code names, and why it cannot count (an offline scan whose code was not valid then)."""
    if not token:
        raise Refused(_("请扫描现场的二维码签到。"))
    hold = ""
    try:
        kind, pk = token_target(token, at=stamp.at)
    except CodeExpired as expired:
        if not stamp.offline:
            raise
        kind, pk, hold = expired.kind, expired.pk, str(expired)
    if kind == "shift":
        shift = Shift.objects.select_related("organization", "station").filter(pk=pk).first()
        if shift is None:
            raise Refused(_("二维码无效。"))
        return Where(shift, shift.station), hold
    station = Station.objects.select_related("responsible_office", "campaign").filter(pk=pk).first()
    if station is None:
        raise Refused(_("二维码无效。"))
    return Where(None, station), hold


def _leader_entry(by: User, shift: Shift | None, station: Station | None) -> Where:
    """A leader records for someone else: 管理志愿者 on the shift's organisation, or the station's
    operators (its office, its linked teams' leaders) for an ad-hoc record there."""
    if shift is not None:
        if access.can(by, Perm.ATTENDANCE_CHANGE, shift.organization):
            return Where(shift, shift.station)
    elif station is not None and station_rights(by, station).operate:
        return Where(None, station)
    raise access.PermissionDenied(_("只能为自己签到；为他人签到需要管理志愿者的权限。"))


def _leader_time(at: datetime | None) -> Stamp:
    """A leader enters times after the fact, within the 10-working-day recording window."""
    now = timezone.now()
    at = at or now
    if at > now + timedelta(minutes=5):
        raise Refused(_("签到时间无效。"))
    if timezone.localdate() > recording_deadline(at):
        raise Refused(_("已超过10个工作日的记录期限（办法第十一条），请通过更正流程由记录单位补录。"))
    return Stamp(at, offline=False, received=now)


def checkin_record(
    *,
    by: User,
    volunteer: Volunteer,
    key: str,
    kind: str,
    token: str = "",
    shift: Shift | None = None,
    station: Station | None = None,
    at: datetime | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    fix_reason: str = "",
) -> tuple[CheckIn, bool]:
    """(the scan, whether it is new). A volunteer records only for themself, with a valid code; a
    leader for others (BULK), or closes a forgotten sign-out with a reason (FIX). `at` from a volunteer's
    phone is the time an offline scan was made; an online scan is stamped by the server."""
    existing = CheckIn.objects.filter(key=key).first()
    if existing is not None:
        if existing.volunteer_id != volunteer.pk:
            raise Refused(_("重复的请求标识。"))
        return existing, False
    if kind not in CheckIn.Kind.values:
        raise Refused(_("请选择签到或签退。"))
    position, hold = None, ""
    if by.pk == volunteer.user_id:
        stamp, source = scan_stamp(at), CheckIn.Source.SCAN
        where, hold = _scanned(token, stamp)
        if stamp.offline and stamp.received and stamp.received - stamp.at > OFFLINE_MAX_AGE:
            hold = _("离线扫码超过3天才同步，需队长核查。")
        position = position_check(latitude, longitude)
        if position is not None and not location_consented(volunteer):
            position = None  # no separate consent: the position is dropped, never stored
    else:
        # the leader's phone is not where the volunteer was: a position sent with it means nothing
        where = _leader_entry(by, shift, station)
        source = CheckIn.Source.FIX if fix_reason.strip() else CheckIn.Source.BULK
        if source == CheckIn.Source.FIX and kind != CheckIn.Kind.OUT:
            raise Refused(_("补签只用于补记签退。"))
        stamp = _leader_time(at)
    scan = CheckIn(
        key=key,
        volunteer=volunteer,
        kind=kind,
        source=source,
        shift=where.shift,
        station=where.station,
        at=stamp.at,
        received_at=stamp.received,
        recorded_by=by,
        note=fix_reason.strip()[:200],
    )
    if position is not None:
        scan.latitude, scan.longitude = stored_position(position)
        scan.flagged = location_flag(where.station, position)
    try:
        with transaction.atomic():
            return _record(scan, where, stamp, hold)
    except IntegrityError:
        # the same key raced in from another request: the first one stands
        first = CheckIn.objects.filter(key=key, volunteer=volunteer).first()
        if first is None:
            raise
        return first, False


def _booked_at(volunteer: Volunteer, station: Station, at: datetime) -> Shift | None:
    return (
        Shift.objects.filter(
            station=station,
            signups__volunteer=volunteer,
            signups__status=Signup.Status.ACCEPTED,
            starts_at__lte=at + ARRIVE_EARLY,
            ends_at__gt=at,
        )
        .select_related("organization", "station")
        .order_by("starts_at")
        .first()
    )


def _at_station(
    volunteer: Volunteer, where: Where, kind: str, stamp: Stamp, open_in: CheckIn | None
) -> Where:
    """A station scan: sign-out closes whatever is open here; sign-in finds the booked shift, or ad hoc
    (online only: an offline ad-hoc time has no booking to bound it)."""
    station = where.station
    assert station is not None
    if kind == CheckIn.Kind.OUT:
        if open_in is None or open_in.station_id != station.pk:
            raise Refused(_("尚未在本站点签到，不能签退。"))
        return Where(open_in.shift, station)
    shift = _booked_at(volunteer, station, stamp.at)
    if shift is not None:
        return Where(shift, station)
    if stamp.offline:
        raise Refused(_("离线扫码时间内您在本站点没有报名的班次。"))
    if not station.allow_adhoc:
        raise Refused(_("您此时没有在本站点报名的班次，本站点也未开放临时签到。"))
    return where


def _on_shift(volunteer: Volunteer, shift: Shift) -> None:
    if not Signup.objects.filter(shift=shift, volunteer=volunteer, status=Signup.Status.ACCEPTED).exists():
        raise Refused(_("您没有报名这个班次，不能签到。"))


def _flag(scan: CheckIn, reason: str) -> None:
    if reason:
        scan.flagged = " ".join(f for f in (scan.flagged, reason) if f)[:200]


def _record(scan: CheckIn, where: Where, stamp: Stamp, hold: str) -> tuple[CheckIn, bool]:
    volunteer = Volunteer.objects.select_for_update().get(pk=scan.volunteer_id)  # one person's scans in order
    duplicate = CheckIn.objects.filter(key=scan.key).first()  # the same key raced us to the lock: it stands
    if duplicate is not None:
        return duplicate, False
    _flag(scan, stamp.flag)
    try:
        if hold:
            raise Refused(hold)
        with transaction.atomic():  # a refusal below undoes whatever was written before it
            _credit(scan, volunteer, where, stamp)
            return scan, True
    except (Refused, ValidationError) as refused:
        if not stamp.offline:
            raise
        # an offline scan the server cannot credit is kept for a leader, with the reason, never dropped
        reason = str(refused) if isinstance(refused, Refused) else "；".join(refused.messages)
        scan.pk, scan.held, scan.paired_with, scan.ledger_entry = None, True, None, None
        _flag(scan, reason)
        scan.save()
        return scan, True


def _credit(scan: CheckIn, volunteer: Volunteer, where: Where, stamp: Stamp) -> None:
    open_in = (
        CheckIn.objects.filter(volunteer=volunteer, kind=CheckIn.Kind.IN, held=False, closing__isnull=True)
        .select_related("shift__organization", "station__responsible_office", "station__campaign")
        .order_by("-at")
        .first()
    )
    if where.adhoc:
        where = _at_station(volunteer, where, scan.kind, stamp, open_in)
        scan.shift = where.shift
    if where.shift is not None and not (open_in and open_in.shift_id == where.shift.pk):
        _on_shift(volunteer, where.shift)
    if where.shift is not None and scan.source == CheckIn.Source.SCAN:
        outside = outside_shift(where.shift, stamp.at)
        if outside and (stamp.offline or scan.kind == CheckIn.Kind.IN or stamp.at < where.shift.starts_at):
            raise Refused(outside)
        if outside:  # an online sign-out after the shift: it closes the record at the shift's end
            _flag(scan, _("签退晚于班次结束，按班次结束时间计。"))
    if scan.kind == CheckIn.Kind.IN:
        if open_in is not None:
            raise Refused(
                _("您已签到（%(t)s），请先签退。") % {"t": timezone.localtime(open_in.at).strftime("%H:%M")}
            )
        scan.save()
        return
    if open_in is None or not _same_place(open_in, where):
        raise Refused(_("尚未签到，不能签退。") + _held_hint(volunteer, where))
    if stamp.at <= open_in.at:
        raise Refused(_("签退时间须晚于签到时间。"))
    starts_at, ends_at = open_in.at, stamp.at
    if scan.source != CheckIn.Source.FIX:  # only a leader's 补签, with its reason, may leave the shift
        starts_at, ends_at = credited_interval(where.shift, starts_at, ends_at)
        if ends_at <= starts_at:
            raise Refused(_("签到和签退都在班次开始之前，没有可记录的服务时间。"))
    scan.paired_with = open_in
    scan.save()
    entry = _ledger_for(scan, volunteer, where, starts_at, ends_at)
    if entry is not None:
        scan.ledger_entry = entry
        scan.save(update_fields=["ledger_entry", "updated_at"])


def _held_hint(volunteer: Volunteer, where: Where) -> str:
    held = CheckIn.objects.filter(volunteer=volunteer, kind=CheckIn.Kind.IN, held=True)
    held = held.filter(shift=where.shift) if where.shift is not None else held.filter(station=where.station)
    if held.exists():
        return _("您的签到不在班次时间内，已交队长核查。")
    return ""


def _same_place(open_in: CheckIn, where: Where) -> bool:
    if where.shift is not None:
        return open_in.shift_id == where.shift.pk
    return open_in.shift_id is None and where.station is not None and open_in.station_id == where.station.pk


def _ledger_for(
    scan: CheckIn, volunteer: Volunteer, where: Where, starts_at: datetime, ends_at: datetime
) -> LedgerEntry | None:
    if where.shift is not None:
        organization, activity = where.shift.organization, where.shift.title
    else:
        # an ad-hoc record: organised by the station's office, named for its campaign and the station
        station = where.station
        assert station is not None
        organization = station.responsible_office
        campaign = station.campaign
        activity = f"{campaign.title} · {station.name}" if campaign is not None else station.name
    by = scan.recorded_by
    entry, _approvals = credit_capped(
        volunteer=volunteer,
        organization=organization,
        activity=activity,
        starts_at=starts_at,
        ends_at=ends_at,
        source=LedgerEntry.Source.SCAN if scan.source == CheckIn.Source.SCAN else LedgerEntry.Source.BULK,
        by=by,
        checkout=scan,
        shift=where.shift,
        station=where.station,
        place=str(where.station) if where.station else "",
        responsible_name=by.display_name,
        reason=_("补签：%(r)s") % {"r": scan.note} if scan.note else "",
    )
    return entry
