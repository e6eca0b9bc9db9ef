"""Before a shift: its team's leaders hear when it is below its minimum (48 h and 24 h before, setting
ZHIYUAN_UNDERSTAFFED_HOURS), and a booked volunteer hears when a course the shift requires is not done."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from zhiyuan.campaigns.models import Shift, Signup
from zhiyuan.campaigns.services.shift_handoffs import facts
from zhiyuan.notifications import audiences
from zhiyuan.notifications.handoffs import handoff_notify
from zhiyuan.notifications.jobs.leads import label, leads, stage


def shift_understaffed(now: datetime | None = None) -> str:
    now = now or timezone.now()
    lead_times = leads("ZHIYUAN_UNDERSTAFFED_HOURS", (48, 24))
    if not lead_times:
        return "no lead times"
    short = (
        Shift.objects.filter(
            starts_at__gt=now,
            starts_at__lte=now + lead_times[0],
            minimum__gt=0,
            accepted_count__lt=F("minimum"),
        )
        .select_related("station", "organization")
        .order_by("starts_at", "pk")
    )
    told = 0
    for shift in short:
        lead = stage(shift.starts_at, now, lead_times)
        if lead is None:
            continue
        told += handoff_notify(
            event="shift.understaffed",
            recipients=audiences.team_leaders(shift.organization_id),
            context=facts(shift, booked=shift.accepted_count, minimum=shift.minimum),
            key=f"shift:{shift.pk}:understaffed:{label(lead)}",
        )
    return f"{told} told"


def training_required(now: datetime | None = None, ahead: timedelta = timedelta(hours=72)) -> str:
    """Once per (shift, volunteer): booked people missing a course the shift or its team requires (a course
    made required after they signed up; the sign-up itself refuses the others)."""
    from zhiyuan.campaigns.services.shifts import missing_training

    now = now or timezone.now()
    booked = (
        Signup.objects.filter(
            status=Signup.Status.ACCEPTED,
            volunteer__user__is_active=True,
            shift__starts_at__gt=now,
            shift__starts_at__lte=now + ahead,
        )
        .select_related("shift__station", "shift__organization", "volunteer__user")
        .order_by("shift__starts_at", "pk")
    )
    told = 0
    for signup in booked:
        names = missing_training(signup.shift, signup.volunteer)
        if not names:
            continue
        told += handoff_notify(
            event="training.required",
            recipients=[signup.volunteer.user],
            context=facts(signup.shift, course="、".join(names)),
            key=f"shift:{signup.shift_id}:training:{signup.volunteer_id}",
        )
    return f"{told} told"
