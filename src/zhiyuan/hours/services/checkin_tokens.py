"""The signed codes a QR code carries: one kind of code for a shift and for a station, so a scan names what
was scanned and nothing else has to be trusted from the phone.

A *printed* code (a poster on the wall, services/posters.py) proves the place for the whole campaign; the
booking and the server's clock bound the time.

A *live* code (a leader's phone or a kiosk screen) rotates every five minutes and is good for fifteen
minutes after it was shown — judged at the time of the scan, not of the sync, so a queue synced hours later
still counts while a photo of the screen is useless a quarter of an hour on."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Shift, Station
from zhiyuan.core.errors import Refused
from zhiyuan.hours.services.posters import poster_from_code, poster_valid_at

TOKEN_WINDOW = timedelta(minutes=5)  # a live code changes every five minutes …
TOKEN_MAX_AGE = timedelta(minutes=15)  # … and stays good this long after it first appeared
_SALT = "zhiyuan.checkin"

Target = Literal["shift", "station"]


class CodeExpired(Refused):
    """A genuine code that was not valid at the time of the scan; says what it named, so that an offline
    scan with it can be held for review instead of being lost."""

    def __init__(self, kind: Target, pk: int, printed: bool = False) -> None:
        super().__init__(
            _("这张海报已作废或过期，请扫描现场最新的二维码。")
            if printed
            else _("二维码已过期，请重新扫描现场的二维码。")
        )
        self.kind, self.pk = kind, pk


def _window(moment: datetime) -> int:
    return int(moment.timestamp() // TOKEN_WINDOW.total_seconds())


def poster_token(
    *, shift: Shift | None = None, station: Station | None = None, now: datetime | None = None
) -> str:
    """The live (rotating) code a shift's (or a station's) screen shows now: for a kiosk or a leader's phone,
    never for paper (that is `posters.poster_code`)."""
    if (shift is None) == (station is None):
        raise TypeError("poster_token needs exactly one of shift or station")
    now = now or timezone.now()
    target = f"shift:{shift.pk}" if shift is not None else f"station:{station.pk}"  # type: ignore[union-attr]
    return signing.Signer(salt=_SALT).sign(f"{target}:{_window(now)}")


def token_target(token: str, *, at: datetime | None = None) -> tuple[Target, int]:
    """("shift" | "station", pk) of a code scanned at `at` (default now), or a refusal saying why it is no
    good then."""
    at = at or timezone.now()
    poster = poster_from_code(token)
    if poster is not None:
        kind: Target = "shift" if poster.shift_id else "station"
        pk = poster.shift_id or poster.station_id
        assert pk is not None
        if not poster_valid_at(poster, at):
            raise CodeExpired(kind, pk, printed=True)
        return kind, pk
    try:
        value = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        raise Refused(_("二维码无效。")) from None
    parts = value.split(":")
    if len(parts) != 3 or parts[0] not in ("shift", "station") or not (parts[1] + parts[2]).isdigit():
        raise Refused(_("二维码无效。"))
    kind = "shift" if parts[0] == "shift" else "station"
    pk, window = int(parts[1]), int(parts[2])
    # shown after it was scanned (one window's slack for clock skew), or scanned more than a quarter of an
    # hour after it first appeared: a screenshot is useless fifteen minutes on, whenever in its window it was
    first_shown = window * TOKEN_WINDOW.total_seconds()
    if window > _window(at) + 1 or at.timestamp() - first_shown > TOKEN_MAX_AGE.total_seconds():
        raise CodeExpired(kind, pk)
    return kind, pk
