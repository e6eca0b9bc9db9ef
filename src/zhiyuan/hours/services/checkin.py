"""签到 / 签退: scans of a station's or shift's rotating QR token, idempotent by the device's key.

A scan carries a key the phone generated; the same key twice — a retry, a re-sent offline queue, two
racing requests — returns the first record and writes nothing more. A sign-out closes the open sign-in
and writes the ledger entry for the interval.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Shift, Signup
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.hours.models import CheckIn, LedgerEntry
from zhiyuan.hours.services.ledger import ledger_append
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer

TOKEN_WINDOW = timedelta(minutes=5)  # a poster's code changes every five minutes …
TOKEN_MAX_AGE = timedelta(minutes=15)  # … and a scanned code stays good for a queue to sync
OFFLINE_MAX_AGE = timedelta(hours=24)  # an offline scan older than this is refused, not guessed
_SALT = "zhiyuan.checkin"


def poster_token(*, shift: Shift, now: datetime | None = None) -> str:
    """The signed token a shift's QR poster shows now."""
    now = now or timezone.now()
    window = int(now.timestamp() // TOKEN_WINDOW.total_seconds())
    return signing.TimestampSigner(salt=_SALT).sign(f"shift:{shift.pk}:{window}")


def _shift_from_token(token: str) -> int:
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise Refused(_("二维码已过期，请重新扫描现场的二维码。")) from None
    except signing.BadSignature:
        raise Refused(_("二维码无效。")) from None
    kind, pk, window = value.split(":")
    if kind != "shift":
        raise Refused(_("二维码无效。"))
    # the window, not just the signature's age: a photo of an old poster code is as stale as its window
    current = int(timezone.now().timestamp() // TOKEN_WINDOW.total_seconds())
    if current - int(window) > TOKEN_MAX_AGE / TOKEN_WINDOW:
        raise Refused(_("二维码已过期，请重新扫描现场的二维码。"))
    return int(pk)


def _on_shift(volunteer: Volunteer, shift: Shift) -> None:
    if not Signup.objects.filter(shift=shift, volunteer=volunteer, status=Signup.Status.ACCEPTED).exists():
        raise Refused(_("您没有报名这个班次，不能签到。"))


def checkin_record(
    *,
    by: User,
    volunteer: Volunteer,
    key: str,
    kind: str,
    token: str = "",
    shift: Shift | None = None,
    at: datetime | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
) -> tuple[CheckIn, bool]:
    """(the scan, whether it is new). A leader (管理志愿者 on the shift's organisation) may record for
    others, e.g. a group without phones; a volunteer only for themself, with a valid token."""
    existing = CheckIn.objects.filter(key=key).first()
    if existing is not None:
        if existing.volunteer_id != volunteer.pk:
            raise Refused(_("重复的请求标识。"))
        return existing, False
    source = CheckIn.Source.SCAN
    if by.pk == volunteer.user_id:
        if not token:
            raise Refused(_("请扫描现场的二维码签到。"))
        shift = Shift.objects.select_related("organization", "station").get(pk=_shift_from_token(token))
    else:
        if shift is None or not access.can(by, Perm.VOLUNTEER_CHANGE, shift.organization):
            raise access.PermissionDenied(_("只能为自己签到；为他人签到需要管理志愿者的权限。"))
        source = CheckIn.Source.BULK
    assert shift is not None
    now = timezone.now()
    at = at or now
    if at > now + timedelta(minutes=5) or now - at > OFFLINE_MAX_AGE:
        raise Refused(_("签到时间无效。"))
    if kind not in CheckIn.Kind.values:
        raise Refused(_("请选择签到或签退。"))
    try:
        with transaction.atomic():
            return _record(by, volunteer, key, kind, shift, at, source, latitude, longitude)
    except IntegrityError:
        # the same key raced in from another request: the first one stands
        first = CheckIn.objects.filter(key=key, volunteer=volunteer).first()
        if first is None:
            raise
        return first, False


def _record(
    by: User,
    volunteer: Volunteer,
    key: str,
    kind: str,
    shift: Shift,
    at: datetime,
    source: str,
    latitude: float | None,
    longitude: float | None,
) -> tuple[CheckIn, bool]:
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)  # one person's scans in order
    duplicate = CheckIn.objects.filter(key=key).first()  # the same key raced us to the lock: it stands
    if duplicate is not None:
        return duplicate, False
    _on_shift(volunteer, shift)
    open_in = (
        CheckIn.objects.filter(volunteer=volunteer, kind=CheckIn.Kind.IN, closing__isnull=True)
        .select_related("shift")
        .order_by("-at")
        .first()
    )
    scan = CheckIn(
        key=key,
        volunteer=volunteer,
        kind=kind,
        source=source,
        shift=shift,
        station=shift.station,
        at=at,
        latitude=latitude,
        longitude=longitude,
        recorded_by=by,
    )
    if kind == CheckIn.Kind.IN:
        if open_in is not None:
            raise Refused(
                _("您已签到（%(t)s），请先签退。") % {"t": timezone.localtime(open_in.at).strftime("%H:%M")}
            )
        scan.save()
        return scan, True
    if open_in is None or open_in.shift_id != shift.pk:
        raise Refused(_("尚未签到，不能签退。"))
    if at <= open_in.at:
        raise Refused(_("签退时间须晚于签到时间。"))
    scan.paired_with = open_in
    scan.ledger_entry = ledger_append(
        volunteer=volunteer,
        organization=shift.organization,
        activity=shift.title,
        starts_at=open_in.at,
        ends_at=at,
        source=LedgerEntry.Source.SCAN if source == CheckIn.Source.SCAN else LedgerEntry.Source.BULK,
        by=by,
        shift=shift,
        station=shift.station,
        place=str(shift.station) if shift.station_id else "",
        responsible_name=by.display_name,
    )
    scan.save()
    return scan, True
