"""Cancelling a shift that has not started (bad weather, a station closed): every sign-up on it is given
back, the waiting list with them, and each booked volunteer is told why with a link to their shifts.

The shift row stays (history, sign-ups and any scan point at it) and takes no more sign-ups; the lock order
is the one every sign-up writer keeps (shift, then its sign-ups), so a sign-up racing the cancellation
either lands first and is cancelled with the others or sees the cancelled shift and is refused."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Shift, Signup, SwapRequest
from zhiyuan.campaigns.selectors import shifts as selectors
from zhiyuan.campaigns.services.shifts import REASON_MAX, SELF, _locked, _require_manage, _save
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User

S = Signup.Status


@transaction.atomic
def shift_cancel(*, by: User, shift: Shift, reason: str) -> list[Signup]:
    """Cancel `shift`; returns the sign-ups given back (accepted and waiting), each of whose volunteers is
    told once the transaction commits."""
    _require_manage(by, shift.organization)
    reason = reason.strip()[:REASON_MAX]
    if not reason:
        raise ValidationError({"reason": [_("请填写取消原因，报名的志愿者会收到它。")]})
    s = _locked(shift)
    if s.cancelled_at is not None:
        raise Refused(_("该班次已取消。"))
    now = timezone.now()
    if s.starts_at <= now:
        raise Refused(_("班次已开始，不能取消；请在考勤中按实际签到处理。"))
    signups = list(
        Signup.objects.select_for_update(of=SELF)
        .filter(shift=s, status__in=selectors.LIVE)
        .select_related("volunteer__user")
        .order_by("pk")
    )
    for signup in signups:
        signup.status, signup.cancelled_at = S.CANCELLED, now
        _save(signup, by, _("班次取消：%(r)s") % {"r": reason})
    SwapRequest.objects.filter(signup__shift=s, status=SwapRequest.Status.PENDING).update(
        status=SwapRequest.Status.REJECTED, reason=_("班次已取消。"), updated_at=now
    )
    s.cancelled_at, s.cancel_reason, s.accepted_count = now, reason, 0
    _save(s, by, _("取消班次：%(r)s") % {"r": reason})
    people = [signup.volunteer.user for signup in signups]
    from zhiyuan.campaigns.services.shift_handoffs import facts
    from zhiyuan.notifications.handoffs import handoff_notify

    handoff_notify(
        event="shift.cancelled",
        recipients=people,
        context=facts(s, reason=reason),
        key=f"shift-cancel:{s.pk}",
    )
    return signups
