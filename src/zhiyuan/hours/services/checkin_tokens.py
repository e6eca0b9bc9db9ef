"""The signed, rotating tokens a QR poster shows: one kind of token for a shift's poster and for a
station's, so a scan names what was scanned and nothing else has to be trusted from the phone."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Shift, Station
from zhiyuan.core.errors import Refused

TOKEN_WINDOW = timedelta(minutes=5)  # a poster's code changes every five minutes …
TOKEN_MAX_AGE = timedelta(minutes=15)  # … and a scanned code stays good for a queue to sync
_SALT = "zhiyuan.checkin"

Target = Literal["shift", "station"]


def poster_token(
    *, shift: Shift | None = None, station: Station | None = None, now: datetime | None = None
) -> str:
    """The signed token a shift's (or a station's) QR poster shows now."""
    if (shift is None) == (station is None):
        raise TypeError("poster_token needs exactly one of shift or station")
    now = now or timezone.now()
    window = int(now.timestamp() // TOKEN_WINDOW.total_seconds())
    target = f"shift:{shift.pk}" if shift is not None else f"station:{station.pk}"  # type: ignore[union-attr]
    return signing.TimestampSigner(salt=_SALT).sign(f"{target}:{window}")


def token_target(token: str) -> tuple[Target, int]:
    """("shift" | "station", pk) of a scanned token, or a refusal saying why it is no good."""
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise Refused(_("二维码已过期，请重新扫描现场的二维码。")) from None
    except signing.BadSignature:
        raise Refused(_("二维码无效。")) from None
    kind, pk, window = value.split(":")
    if kind not in ("shift", "station"):
        raise Refused(_("二维码无效。"))
    # the window, not just the signature's age: a photo of an old poster code is as stale as its window
    current = int(timezone.now().timestamp() // TOKEN_WINDOW.total_seconds())
    if current - int(window) > TOKEN_MAX_AGE / TOKEN_WINDOW:
        raise Refused(_("二维码已过期，请重新扫描现场的二维码。"))
    return ("shift" if kind == "shift" else "station"), int(pk)
