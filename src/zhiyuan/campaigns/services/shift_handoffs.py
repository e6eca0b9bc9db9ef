"""Telling volunteers and leaders about their shifts (notifications.handoffs): assigned, promoted from the
waiting list, changed, a place cancelled by a leader, a swap decided."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiyuan.campaigns.models import Shift, Signup, SwapRequest
from zhiyuan.notifications.handoffs import handoff_notify

# the fields a booked volunteer must hear about when they change
NOTICED = {
    "starts_at": gettext_lazy("开始时间"),
    "ends_at": gettext_lazy("结束时间"),
    "station": gettext_lazy("地点"),
    "title": gettext_lazy("名称"),
}


def facts(shift: Shift, **extra: Any) -> dict[str, Any]:
    start = timezone.localtime(shift.starts_at)
    place = shift.station.name if shift.station_id and shift.station else ""
    return {
        "shift_id": shift.pk,
        "shift": shift.title,
        "start": f"{start:%m月%d日 %H:%M}",
        "place": _("，地点：%(place)s") % {"place": place} if place else "",
        **extra,
    }


def _user(signup: Signup) -> Any:
    return signup.volunteer.user


def tell_assigned(signup: Signup, by: Any) -> int:
    if signup.assigned_by_id is None:
        return 0  # signed up for themself: nothing was handed over
    status = _("目前在候补名单中，有空位时自动转正。") if signup.status == Signup.Status.WAITLISTED else ""
    return handoff_notify(
        event="shift.assigned",
        recipients=[_user(signup)],
        context=facts(signup.shift, by=by.display_name, status=status),
    )


def tell_promoted(shift: Shift, promoted: Iterable[Signup]) -> int:
    return handoff_notify(
        event="shift.promoted", recipients=[_user(s) for s in promoted], context=facts(shift)
    )


def tell_changed(shift: Shift, changed: set[str]) -> int:
    noticed = [str(label) for field, label in NOTICED.items() if field in changed]
    if not noticed:
        return 0
    booked = Signup.objects.filter(shift=shift, status__in=[Signup.Status.ACCEPTED, Signup.Status.WAITLISTED])
    people = [s.volunteer.user for s in booked.select_related("volunteer__user").order_by("pk")]
    return handoff_notify(
        event="shift.changed", recipients=people, context=facts(shift, changes="、".join(noticed))
    )


def tell_cancelled(signup: Signup, by: Any, reason: str) -> int:
    if by.pk == signup.volunteer.user_id:
        return 0  # they cancelled it themself
    return handoff_notify(
        event="signup.cancelled",
        recipients=[_user(signup)],
        context=facts(signup.shift, reason=reason or _("未说明")),
    )


def tell_swap(swap: SwapRequest, shift: Shift) -> int:
    approved = swap.status == SwapRequest.Status.APPROVED
    decision = _("已批准") if approved else _("未批准")
    note = "" if approved else _("原因：%(r)s") % {"r": swap.reason}
    asker = swap.signup.volunteer.user
    told = handoff_notify(
        event="swap.decided", recipients=[asker], context=facts(shift, decision=decision, note=note)
    )
    if approved:
        told += handoff_notify(
            event="shift.assigned",
            recipients=[swap.to_volunteer.user],
            context=facts(shift, by=swap.decided_by.display_name if swap.decided_by else "", status=""),
        )
    return told
