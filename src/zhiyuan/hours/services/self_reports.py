"""自主申报: hours a volunteer reports for service outside a scanned shift. Only a leader's approval writes
the ledger, through `ledger_append`, in the same transaction as the decision."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import access, images
from zhiyuan.core.errors import Refused, field_errors
from zhiyuan.core.models import User
from zhiyuan.hours.models import LedgerEntry, SelfReport
from zhiyuan.hours.services import decision_notices
from zhiyuan.hours.services.ledger import MAX_INTERVAL, ledger_append, recording_deadline
from zhiyuan.organizations.models import Membership, Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer


def report_teams(volunteer: Volunteer) -> QuerySet[Organization]:
    """The organisations the volunteer may report service for: those they are a member of."""
    return Organization.objects.filter(
        pk__in=Membership.objects.filter(user_id=volunteer.user_id).values("organization_id")
    ).order_by("path")


def self_report_create(
    *,
    by: User,
    volunteer: Volunteer,
    organization: Organization | None,
    activity: str,
    place: str = "",
    description: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    photo: Any = None,
) -> SelfReport:
    """Record a pending report; every problem is reported at once, per field."""
    if volunteer.user_id != by.pk:
        raise access.PermissionDenied(_("只能为本人申报服务时长。"))
    errors: dict[str, list[str]] = {}
    if organization is None or not report_teams(volunteer).filter(pk=organization.pk).exists():
        errors.setdefault("organization", []).append(_("只能为本人所在的队伍申报。"))
    if not (activity or "").strip():
        errors.setdefault("activity", []).append(_("请填写活动名称。"))
    if not (description or "").strip():
        errors.setdefault("description", []).append(_("请填写服务内容。"))
    if starts_at is None:
        errors.setdefault("starts_at", []).append(_("请填写开始时间。"))
    if ends_at is None:
        errors.setdefault("ends_at", []).append(_("请填写结束时间。"))
    if starts_at is not None and ends_at is not None:
        if ends_at <= starts_at:
            errors.setdefault("ends_at", []).append(_("结束时间须晚于开始时间。"))
        elif ends_at - starts_at > MAX_INTERVAL:
            errors.setdefault("ends_at", []).append(_("单次服务时间不能超过16小时，请分段申报。"))
        if ends_at > timezone.now() + timedelta(minutes=5):
            errors.setdefault("ends_at", []).append(_("不能申报尚未结束的服务。"))
        elif timezone.localdate() > recording_deadline(ends_at):
            errors.setdefault("ends_at", []).append(
                _("已超过10个工作日的申报期限（办法第十一条），请联系记录单位通过更正流程补录。")
            )
    prepared = images.prepare(photo, errors)
    if errors:
        raise ValidationError(errors)
    assert organization is not None and starts_at is not None and ends_at is not None
    report = SelfReport(
        volunteer=volunteer,
        organization=organization,
        activity=activity.strip()[:200],
        place=(place or "").strip()[:200],
        description=description.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
    )
    if prepared is not None:
        images.attach(report.photo, prepared)
    try:
        report.save()
    except Exception:
        if report.photo.name:
            images.discard(report.photo.storage, report.photo.name)
        raise
    return report


def self_report_queue(*, user: Any, status: str = SelfReport.Status.PENDING) -> QuerySet[SelfReport]:
    """Reports the user may decide: those of organisations where they manage volunteers."""
    qs = SelfReport.objects.filter(access.scope(user, Perm.HOURS_APPROVE, via="organization"))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("volunteer__user", "organization").order_by("starts_at", "pk")


def my_reports(volunteer: Volunteer) -> QuerySet[SelfReport]:
    return (
        SelfReport.objects.filter(volunteer=volunteer)
        .select_related("organization")
        .order_by("-created_at", "-pk")
    )


@transaction.atomic
def self_report_decide(*, by: User, report: SelfReport, approve: bool, reason: str = "") -> SelfReport:
    """Approve (writing one ledger entry, linked) or reject (with a reason) a pending report."""
    report = (
        SelfReport.objects.select_for_update().select_related("organization", "volunteer").get(pk=report.pk)
    )
    access.require(by, Perm.HOURS_APPROVE, report.organization)
    if report.status != SelfReport.Status.PENDING:
        raise Refused(_("该申报已审核。"))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": [_("不予认定须说明原因。")]})
    if approve:
        try:
            with transaction.atomic():
                entry = ledger_append(
                    volunteer=report.volunteer,
                    organization=report.organization,
                    activity=report.activity,
                    starts_at=report.starts_at,
                    ends_at=report.ends_at,
                    source=LedgerEntry.Source.SELF_REPORT,
                    by=by,
                    place=report.place,
                    content=report.description[:300],
                )
        except ValidationError as exc:
            messages = [m for ms in field_errors(exc).values() for m in ms]
            raise ValidationError({"__all__": messages}) from None
        report.ledger_entry = entry
        report.status = SelfReport.Status.APPROVED
    else:
        report.status = SelfReport.Status.REJECTED
    report.reason = reason[:200]
    report.decided_by = by
    report.decided_at = timezone.now()
    report.save(update_fields=["status", "reason", "decided_by", "decided_at", "ledger_entry", "updated_at"])
    decision_notices.tell_self_report(report)
    return report
