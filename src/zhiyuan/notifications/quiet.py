"""Quiet hours: "no SMS between 22:00 and 07:00" in Beijing wall-clock time, overnight windows included."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from zhiyuan.notifications.periodic import BEIJING


def quiet_until(preference: Any, now: datetime) -> datetime | None:
    """When the quiet time that `now` falls in ends (aware), or None when `now` is not quiet."""
    start, end = getattr(preference, "quiet_from", None), getattr(preference, "quiet_to", None)
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(BEIJING)
    t, day = local.time(), local.date()
    if start < end:  # 12:00–14:00, the same day
        quiet, end_day = start <= t < end, day
    elif t >= start:  # 22:00–07:00, before midnight
        quiet, end_day = True, day + timedelta(days=1)
    else:  # 22:00–07:00, after midnight
        quiet, end_day = t < end, day
    if not quiet:
        return None
    return datetime.combine(end_day, end, tzinfo=BEIJING)
