"""Lead times: "remind 24 h and 2 h before". Only the closest lead already reached is sent, so someone
who signs up an hour before a shift gets the 2-hour reminder and not a stale 24-hour one as well."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings


def leads(setting: str, default: tuple[float, ...] = (24, 2)) -> list[timedelta]:
    hours = getattr(settings, setting, default)
    return sorted((timedelta(hours=float(h)) for h in hours), reverse=True)


def stage(deadline: datetime, now: datetime, lead_times: list[timedelta]) -> timedelta | None:
    reached = [lead for lead in lead_times if deadline - lead <= now < deadline]
    return min(reached) if reached else None


def label(lead: timedelta) -> str:
    return f"{int(lead.total_seconds() // 60)}m"
