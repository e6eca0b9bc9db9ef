"""Correction requests (办法 Art. 13): the volunteer reports an error to the organisation that recorded the
entry; that organisation checks it and, if it was wrong, corrects it through the ledger (reversal plus
replacement). Nobody else edits a record."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.hours.models import Correction, LedgerEntry
from zhiyuan.hours.services import decision_notices
from zhiyuan.hours.services.ledger import ledger_correct
from zhiyuan.organizations.roles import Perm


@transaction.atomic
def correction_request(
    *,
    by: User,
    entry: LedgerEntry,
    reason: str,
    new_starts_at: datetime | None = None,
    new_ends_at: datetime | None = None,
) -> Correction:
    if entry.volunteer.user_id != by.pk:
        raise access.PermissionDenied(_("只能对自己的服务记录申请更正。"))
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("请说明哪里不对。")]
    if (new_starts_at is None) != (new_ends_at is None):
        errors["new_ends_at"] = [_("请同时填写正确的开始和结束时间，或都不填（表示应撤销该记录）。")]
    elif new_starts_at and new_ends_at and new_ends_at <= new_starts_at:
        errors["new_ends_at"] = [_("结束时间须晚于开始时间。")]
    if errors:
        raise ValidationError(errors)
    if entry.kind != LedgerEntry.Kind.CREDIT or LedgerEntry.objects.filter(reverses=entry).exists():
        raise Refused(_("该记录已被更正或本身是冲销记录。"))
    if entry.corrections.filter(status=Correction.Status.PENDING).exists():
        raise Refused(_("该记录已有待处理的更正申请。"))
    return Correction.objects.create(
        entry=entry,
        requested_by=by,
        by_volunteer=True,
        reason=reason.strip()[:200],
        new_starts_at=new_starts_at,
        new_ends_at=new_ends_at,
    )


@transaction.atomic
def correction_decide(*, by: User, correction: Correction, approve: bool, note: str = "") -> Correction:
    correction = (
        Correction.objects.select_for_update().select_related("entry__organization").get(pk=correction.pk)
    )
    organization = correction.entry.organization
    if not access.can(by, Perm.HOURS_APPROVE, organization):
        raise access.PermissionDenied(_("只有记录单位可以处理更正申请。"))
    if correction.status != Correction.Status.PENDING:
        raise Refused(_("该申请已处理。"))
    if approve:
        reason = _("应志愿者申请更正：%(r)s") % {"r": correction.reason}
        _reversal, replacement = ledger_correct(
            by=by,
            entry=correction.entry,
            reason=reason,
            new_starts_at=correction.new_starts_at,
            new_ends_at=correction.new_ends_at,
        )
        correction.replacement = replacement
        correction.status = Correction.Status.APPROVED
    else:
        if not note.strip():
            raise ValidationError({"note": [_("不予更正须说明理由。")]})
        correction.status = Correction.Status.REJECTED
    correction.decided_by, correction.decided_at = by, timezone.now()
    if note.strip():
        correction.reason = f"{correction.reason}｜{note.strip()}"[:200]
    correction.save()
    decision_notices.tell_correction(correction, note)
    return correction
