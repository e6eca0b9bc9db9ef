"""Fraud controls on the ledger (press reports of 2025 show hours bought through back-office entry):

- 补录 only through a request by a leader, with reason and evidence, approved by *another* person who
  approves hours at the recording unit; the entry is marked 补录 and names its approver.
- A leader at the recording unit (or above) can void a fraudulent entry: a reversal entry with the reason and
  the approver; nothing is deleted (the ledger is append-only).
- Credit hours (scanned by the volunteer at the place) and entered hours (a leader's bulk entry, 补签, 补录,
  imports, approved self-reports) are counted apart, as 志愿汇 does.
The volunteer is told of every void, back-fill and decision.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, CharField, Q, Sum, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.core.notify import notify
from zhiyuan.core.site import absolute_url
from zhiyuan.hours.models import Backfill, LedgerEntry
from zhiyuan.hours.services.ledger import MAX_INTERVAL, SHANGHAI, ledger_append
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer

REQUEST_PERM = Perm.ATTENDANCE_CHANGE  # a leader who keeps the team's attendance asks
APPROVE_PERM = Perm.HOURS_APPROVE  # someone who approves hours at the recording unit decides


def _tell(volunteer: Volunteer, subject: str, body: str) -> None:
    notify(users=[volunteer.user], subject=subject, body=body, url=absolute_url(reverse("hours:my_history")))


def _day(moment: datetime) -> str:
    return timezone.localtime(moment, SHANGHAI).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def ledger_void(*, by: User, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """作废: reverse a credit the recording unit finds fraudulent, with the reason; `by` is its approver."""
    if not access.can(by, APPROVE_PERM, entry.organization):
        raise access.PermissionDenied(_("只有记录单位审核时长的负责人可以作废服务记录。"))
    if not reason.strip():
        raise ValidationError({"reason": [_("作废须说明原因。")]})
    entry = LedgerEntry.objects.select_for_update().select_related("volunteer__user").get(pk=entry.pk)
    if entry.kind != LedgerEntry.Kind.CREDIT or LedgerEntry.objects.filter(reverses=entry).exists():
        raise Refused(_("该记录已被更正、作废或本身是冲销记录。"))
    reversal = ledger_append(
        volunteer=entry.volunteer,
        organization=entry.organization,
        activity=entry.activity,
        starts_at=entry.starts_at,
        ends_at=entry.ends_at,
        source=LedgerEntry.Source.VOID,
        by=by,
        kind=LedgerEntry.Kind.REVERSAL,
        reverses=entry,
        reason=_("作废：%(r)s") % {"r": reason.strip()},
        approved_by=by,
        shift=entry.shift,
        station=entry.station,
        place=entry.place,
        content=entry.content,
        responsible_name=entry.responsible_name,
    )
    _tell(
        entry.volunteer,
        _("服务记录已作废"),
        _("%(day)s「%(a)s」的%(h)s小时服务记录已由%(o)s作废。原因：%(r)s。如有异议，请联系记录单位。")
        % {
            "day": _day(entry.starts_at),
            "a": entry.activity,
            "h": entry.hours,
            "o": entry.organization.name,
            "r": reason.strip(),
        },
    )
    return reversal


@transaction.atomic
def backfill_request(
    *,
    by: User,
    volunteer: Volunteer,
    organization: Organization,
    activity: str,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    evidence: str,
    place: str = "",
) -> Backfill:
    if not access.can(by, REQUEST_PERM, organization):
        raise access.PermissionDenied(_("只有记录单位的负责人可以申请补录。"))
    errors: dict[str, list[str]] = {}
    if not activity.strip():
        errors["activity"] = [_("请填写活动名称。")]
    if not reason.strip():
        errors["reason"] = [_("补录须说明原因。")]
    if not evidence.strip():
        errors["evidence"] = [_("补录须附证明材料（如签到表、照片说明、活动负责人证明）。")]
    if ends_at <= starts_at:
        errors["ends_at"] = [_("结束时间须晚于开始时间。")]
    elif ends_at - starts_at > MAX_INTERVAL:
        errors["ends_at"] = [_("单次服务时间不能超过16小时，请分段记录。")]
    elif ends_at > timezone.now():
        errors["ends_at"] = [_("不能补录尚未结束的服务。")]
    if errors:
        raise ValidationError(errors)
    return Backfill.objects.create(
        volunteer=volunteer,
        organization=organization,
        activity=activity.strip()[:200],
        place=place.strip()[:200],
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason.strip()[:200],
        evidence=evidence.strip()[:2000],
        requested_by=by,
    )


def backfills_for(*, user: User) -> Any:
    """Back-fill requests of the organisations where the user asks for or approves them."""
    return Backfill.objects.filter(
        Q(organization__in=access.organizations(user, APPROVE_PERM))
        | Q(organization__in=access.organizations(user, REQUEST_PERM))
    )


@transaction.atomic
def backfill_decide(*, by: User, backfill: Backfill, approve: bool, note: str = "") -> Backfill:
    if not access.can(by, APPROVE_PERM, backfill.organization):
        raise access.PermissionDenied(_("只有记录单位审核时长的负责人可以审批补录。"))
    backfill = (
        Backfill.objects.select_for_update()
        .select_related("volunteer__user", "organization")
        .get(pk=backfill.pk)
    )
    if backfill.requested_by_id == by.pk:
        raise Refused(_("补录须由申请人以外的负责人审批。"))
    if backfill.status != Backfill.Status.PENDING:
        raise Refused(_("该补录申请已审批。"))
    if not approve and not note.strip():
        raise ValidationError({"note": [_("不予补录须说明原因。")]})
    if approve:
        backfill.ledger_entry = ledger_append(
            volunteer=backfill.volunteer,
            organization=backfill.organization,
            activity=backfill.activity,
            starts_at=backfill.starts_at,
            ends_at=backfill.ends_at,
            source=LedgerEntry.Source.BACKFILL,
            by=backfill.requested_by,
            approved_by=by,
            reason=_("补录：%(r)s") % {"r": backfill.reason},
            place=backfill.place,
            late_allowed=True,  # 补录 is the channel for what the 10-day window missed
        )
    backfill.status = Backfill.Status.APPROVED if approve else Backfill.Status.REJECTED
    backfill.decided_by, backfill.decided_at, backfill.note = by, timezone.now(), note.strip()[:200]
    backfill.save()
    what = _("已补录，计入服务时长") if approve else _("未予补录")
    _tell(
        backfill.volunteer,
        _("补录已审批"),
        _("%(day)s「%(a)s」的补录申请%(what)s。%(n)s")
        % {"day": _day(backfill.starts_at), "a": backfill.activity, "what": what, "n": backfill.note},
    )
    return backfill


def hours_split(volunteer: Volunteer) -> dict[str, Decimal]:
    """{"credit": hours scanned by the volunteer at the place, "entered": hours a person entered} — a
    reversal counts against the kind of hours it reverses."""
    scanned = Q(kind=LedgerEntry.Kind.CREDIT, source=LedgerEntry.Source.SCAN) | Q(
        kind=LedgerEntry.Kind.REVERSAL, reverses__source=LedgerEntry.Source.SCAN
    )
    rows = (
        LedgerEntry.objects.filter(volunteer=volunteer)
        .annotate(
            bucket=Case(
                When(scanned, then=Value("credit")), default=Value("entered"), output_field=CharField()
            )
        )
        .values("bucket")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    split = {"credit": Decimal("0.00"), "entered": Decimal("0.00")}
    for row in rows:
        split[row["bucket"]] = Decimal(row["total"]).quantize(Decimal("0.01"))
    return split
