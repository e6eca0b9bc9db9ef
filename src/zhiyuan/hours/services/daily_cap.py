"""每日时长上限: at most 8 h a Beijing day are credited at once; the part from 8 to 12 h waits for the
recording unit's parent organisation, the part above 12 h for the level above that. Only an approval writes
the rest to the ledger (i志愿's rule, REGULATIONS.md §8). The caps are settings
(`ZHIYUAN_DAILY_CAP_HOURS`, default ``(8, 12)``)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.core.notify import notify
from zhiyuan.core.site import absolute_url
from zhiyuan.hours.models import CheckIn, HoursApproval, LedgerEntry
from zhiyuan.hours.services.ledger import SHANGHAI, hours_between, ledger_append
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer

APPROVE_PERM = Perm.HOURS_APPROVE


def daily_caps() -> tuple[Decimal, Decimal]:
    first, second = getattr(settings, "ZHIYUAN_DAILY_CAP_HOURS", (8, 12))
    return Decimal(first), Decimal(second)


def _day(moment: datetime) -> tuple[datetime, datetime]:
    day = timezone.localtime(moment, SHANGHAI).date()
    start = datetime.combine(day, time.min, tzinfo=SHANGHAI)
    return start, start + timedelta(days=1)


def day_hours(volunteer: Volunteer, moment: datetime) -> Decimal:
    """Hours of the Beijing day of `moment` already credited or waiting for approval."""
    start, end = _day(moment)
    credited = LedgerEntry.objects.filter(volunteer=volunteer, starts_at__gte=start, starts_at__lt=end)
    waiting = HoursApproval.objects.filter(
        volunteer=volunteer, status=HoursApproval.Status.PENDING, starts_at__gte=start, starts_at__lt=end
    )
    total = credited.aggregate(t=Sum("hours"))["t"] or 0
    return Decimal(total) + Decimal(waiting.aggregate(t=Sum("hours"))["t"] or 0)


def approver_for(organization: Organization, level: int) -> Organization:
    """The organisation `level` steps above the recording unit (the root when the tree is shallower)."""
    approver = organization
    for _step in range(level):
        if approver.parent_id is None:
            break
        approver = Organization.objects.get(pk=approver.parent_id)
    return approver


def _cut(start: datetime, room: Decimal, end: datetime) -> datetime:
    return min(end, start + timedelta(seconds=float(max(room, Decimal(0)) * 3600)))


@transaction.atomic
def credit_capped(
    *,
    volunteer: Volunteer,
    organization: Organization,
    activity: str,
    starts_at: datetime,
    ends_at: datetime,
    source: str,
    by: User,
    checkout: CheckIn | None = None,
    **details: Any,
) -> tuple[LedgerEntry | None, list[HoursApproval]]:
    """Credit `starts_at`–`ends_at` up to the day's first cap; the rest becomes approval requests (one per
    level), in time order, so that the credited and the waiting parts never overlap."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)  # the day's total is read once
    first, second = daily_caps()
    done = day_hours(volunteer, starts_at)
    cut1 = _cut(starts_at, first - done, ends_at)
    cut2 = _cut(cut1, second - max(done, first), ends_at)
    entry = None
    if cut1 > starts_at:
        entry = ledger_append(
            volunteer=volunteer,
            organization=organization,
            activity=activity,
            starts_at=starts_at,
            ends_at=cut1,
            source=source,
            by=by,
            **details,
        )
    approvals = []
    for level, lo, hi in ((1, cut1, cut2), (2, cut2, ends_at)):
        if hi <= lo:
            continue
        approvals.append(
            HoursApproval.objects.create(
                volunteer=volunteer,
                organization=organization,
                approver=approver_for(organization, level),
                level=level,
                activity=activity.strip()[:200],
                starts_at=lo,
                ends_at=hi,
                hours=hours_between(lo, hi),
                source=source,
                recorded_by=by,
                checkout=checkout,
                shift=details.get("shift"),
                station=details.get("station"),
                place=str(details.get("place", ""))[:200],
                responsible_name=str(details.get("responsible_name", ""))[:50],
            )
        )
    return entry, approvals


def approvals_for(*, user: User) -> Any:
    """Requests a user may decide: those addressed to an organisation where they approve hours."""
    return HoursApproval.objects.filter(approver__in=access.organizations(user, APPROVE_PERM))


@transaction.atomic
def approval_decide(*, by: User, approval: HoursApproval, approve: bool, reason: str = "") -> HoursApproval:
    """Approve (the ledger gets the hours) or reject (with a reason); the volunteer is told either way."""
    if not access.can(by, APPROVE_PERM, approval.approver):
        raise access.PermissionDenied(_("只有审批单位可以审批超时长服务。"))
    approval = HoursApproval.objects.select_for_update().get(pk=approval.pk)
    if approval.status != HoursApproval.Status.PENDING:
        raise Refused(_("该申请已审批。"))
    if not approve and not reason.strip():
        raise Refused(_("不予批准须说明原因。"))
    if approve:
        approval.ledger_entry = ledger_append(
            volunteer=approval.volunteer,
            organization=approval.organization,
            activity=approval.activity,
            starts_at=approval.starts_at,
            ends_at=approval.ends_at,
            source=approval.source,
            by=by,
            shift=approval.shift,
            station=approval.station,
            place=approval.place,
            responsible_name=approval.responsible_name,
            reason=_("超时长审批（%(o)s）") % {"o": approval.approver.name},
            late_allowed=True,  # the approval is the control; it may come after the 10-day window
        )
    approval.status = HoursApproval.Status.APPROVED if approve else HoursApproval.Status.REJECTED
    approval.decided_by, approval.decided_at = by, timezone.now()
    approval.reason = reason.strip()[:200]
    approval.save()
    day = timezone.localtime(approval.starts_at, SHANGHAI).strftime("%Y-%m-%d")
    subject = _("超时长服务已批准") if approve else _("超时长服务未批准")
    body = _("%(day)s「%(a)s」超出每日上限的%(h)s小时%(what)s。%(r)s") % {
        "day": day,
        "a": approval.activity,
        "h": approval.hours,
        "what": _("已计入服务时长") if approve else _("未予计入"),
        "r": approval.reason,
    }
    notify(
        users=[approval.volunteer.user],
        subject=subject,
        body=body,
        url=absolute_url(reverse("hours:my_hours")),
        key=f"hours-approval-{approval.pk}",
    )
    return approval
