"""Whose clock a scan is on: the server's.

An online scan is stamped when the server receives it; the phone's `at` is evidence, not the record. A scan
sent later from an offline queue carries the time the phone recorded it: that time is used only when it lies
inside the booked shift (with the arrival and leave tolerances) and the code scanned was valid then; a scan
synced long after it was made is flagged for a leader to look at, one outside the shift is held for review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Shift
from zhiyuan.core.errors import Refused

CLOCK_TOLERANCE = timedelta(minutes=2)  # a phone this close to the server is online: the server's time counts
ARRIVE_EARLY = timedelta(minutes=30)  # a sign-in this long before a shift starts counts for it
LEAVE_LATE = timedelta(minutes=30)  # an offline sign-out this long after the shift ends still counts
OFFLINE_FLAG_AFTER = timedelta(minutes=30)  # a scan synced later than this is shown to a leader
OFFLINE_MAX_AGE = timedelta(days=3)  # older than this, an offline scan is held, whatever it says


@dataclass(frozen=True)
class Stamp:
    """The time a scan is recorded at, whether it came from an offline queue, and why a leader should look."""

    at: datetime
    offline: bool
    flag: str = ""
    received: datetime | None = None


def scan_stamp(claimed: datetime | None, now: datetime | None = None) -> Stamp:
    now = now or timezone.now()
    if claimed is None or abs(claimed - now) <= CLOCK_TOLERANCE:
        return Stamp(now, offline=False, received=now)
    if claimed > now:
        raise Refused(_("签到时间无效：手机时间晚于服务器时间，请校准手机时间后重试。"))
    late = now - claimed
    flag = ""
    if late > OFFLINE_FLAG_AFTER:
        flag = _("离线扫码，%(h)s小时后才同步。") % {"h": f"{late.total_seconds() / 3600:.1f}"}
    return Stamp(claimed, offline=True, flag=flag, received=now)


def shift_window(shift: Shift) -> tuple[datetime, datetime]:
    """When a scan may count for `shift`: from the arrival tolerance before it to the leave tolerance after."""
    return shift.starts_at - ARRIVE_EARLY, shift.ends_at + LEAVE_LATE


def outside_shift(shift: Shift, at: datetime) -> str:
    """Why `at` cannot count for `shift` ("" when it can)."""
    opens, closes = shift_window(shift)
    if opens <= at <= closes:
        return ""
    local = timezone.localtime
    return _("扫码时间%(at)s不在班次时间（%(s)s—%(e)s）内。") % {
        "at": local(at).strftime("%m-%d %H:%M"),
        "s": local(shift.starts_at).strftime("%m-%d %H:%M"),
        "e": local(shift.ends_at).strftime("%H:%M"),
    }


def credited_interval(
    shift: Shift | None, starts_at: datetime, ends_at: datetime
) -> tuple[datetime, datetime]:
    """The part of a sign-in … sign-out stretch that counts: never beyond the shift's own times."""
    if shift is None:
        return starts_at, ends_at
    return max(starts_at, shift.starts_at), min(ends_at, shift.ends_at)
