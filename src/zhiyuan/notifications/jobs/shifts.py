"""Reminding volunteers of their shifts: once per (shift, volunteer, lead time)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Shift, Signup
from zhiyuan.core import notify
from zhiyuan.notifications.jobs.leads import label, leads, stage
from zhiyuan.notifications.periodic import BEIJING


def shift_reminders(now: datetime | None = None) -> str:
    now = now or timezone.now()
    lead_times = leads("ZHIYUAN_SHIFT_REMINDER_HOURS")
    if not lead_times:
        return "no lead times"
    signups = (
        Signup.objects.filter(
            status=Signup.Status.ACCEPTED,
            volunteer__user__is_active=True,
            shift__starts_at__gt=now,
            shift__starts_at__lte=now + lead_times[0],
        )
        .select_related("shift__station", "volunteer__user")
        .order_by("shift_id", "pk")
    )
    groups: dict[tuple[int, str], tuple[Shift, list[Any]]] = {}
    for signup in signups:
        lead = stage(signup.shift.starts_at, now, lead_times)
        if lead is None:
            continue
        groups.setdefault((signup.shift_id, label(lead)), (signup.shift, []))[1].append(signup.volunteer.user)
    told = 0
    for (shift_id, lead_label), (shift, users) in groups.items():
        start = shift.starts_at.astimezone(BEIJING)
        place = shift.station.name if shift.station else ""
        body = _("您报名的班次“%(title)s”将于 %(start)s 开始%(place)s。如不能到岗，请尽早取消。") % {
            "title": shift.title,
            "start": f"{start:%m月%d日 %H:%M}",
            "place": _("，地点：%(place)s") % {"place": place} if place else "",
        }
        told += notify.notify(
            users=users,
            subject=_("班次提醒：%(title)s") % {"title": shift.title},
            body=body,
            url=reverse("campaigns:shift", args=[shift_id]),
            key=f"shift:{shift_id}:before:{lead_label}",
        )
    return f"{told} told"
