"""A unit's report: opened as a draft (pre-filled from data), saved, submitted — each submission an
append-only revision, its on-time status judged against the deadline."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Duty
from zhiyuan.core import audit
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.organizations.models import Organization
from zhiyuan.reporting import form_fields
from zhiyuan.reporting.models import (
    DeadlineKind,
    RelativeTo,
    ReportRule,
    Submission,
    SubmissionFile,
    SubmissionRevision,
)
from zhiyuan.reporting.selectors.expected import calendar_around, duty_ends, rule_organization_ids
from zhiyuan.reporting.services.deadlines import DutyEnd, Period, key_moment, local_day, period_for
from zhiyuan.reporting.services.files import copy_photo
from zhiyuan.reporting.services.handoffs import tell_submitted
from zhiyuan.reporting.services.permissions import require_reporter
from zhiyuan.reporting.services.prefill import draft_for


def _duty_end(rule: ReportRule, key: str) -> tuple[Duty | None, DutyEnd | None]:
    if not key.startswith("duty-") or not key[5:].isdigit():
        return None, None
    duty = (
        Duty.objects.select_related("responsible", "station")
        .filter(pk=int(key[5:]), campaign_id=rule.campaign_id or 0)
        .first()
    )
    if duty is None:
        return None, None
    ends = duty_ends([rule.campaign_id or 0], duty.date, duty.date).get(rule.campaign_id or 0, [])
    return duty, next((e for e in ends if e.duty_id == duty.pk), None)


def resolve_period(rule: ReportRule, organization: Organization, key: str) -> tuple[Period, Duty | None]:
    """The period `key` of `rule` owed by `organization`, or Refused when the rule asks no such thing."""
    not_owed = Refused(
        _("“%(rule)s”不要求%(org)s上报这一期（%(key)s）。")
        % {"rule": rule.title, "org": organization.name, "key": key}
    )
    duty: Duty | None = None
    if rule.deadline_kind == DeadlineKind.RELATIVE and rule.relative_to == RelativeTo.DUTY_END:
        duty, end = _duty_end(rule, key)
        if duty is None or end is None or duty.responsible_id != organization.pk:
            raise not_owed
        period = period_for(rule, key, calendar=calendar_around(end.ends_at, end.ends_at), duty=end)
    else:
        if organization.pk not in rule_organization_ids([rule])[rule.pk]:
            raise not_owed
        # the calendar around the period itself: a 2019 key must be checked against 2019's holidays
        around = key_moment(key) or rule.due_at or timezone.now()
        period = period_for(rule, key, calendar=calendar_around(around, around))
    if period is None:
        raise not_owed
    return period, duty


def _any_time_key(rule: ReportRule, organization: Organization, now: datetime) -> str:
    day = local_day(now).isoformat()
    taken = Submission.objects.filter(
        rule=rule, organization=organization, period__startswith=f"{day}-"
    ).count()
    return f"{day}-{taken + 1}"


@transaction.atomic
def submission_open(
    *,
    by: User,
    rule: ReportRule,
    organization: Organization,
    period: str | None = None,
    now: datetime | None = None,
) -> Submission:
    """The unit's report for this rule and period: the existing one, or a new draft pre-filled from data.
    动态信息 (any-time rules) get a new numbered period each time."""
    require_reporter(by, organization)
    now = now or timezone.now()
    if rule.deadline_kind == DeadlineKind.ANY_TIME:
        if organization.pk not in rule_organization_ids([rule])[rule.pk]:
            raise Refused(_("“%(rule)s”不要求%(org)s上报。") % {"rule": rule.title, "org": organization.name})
        key, due_at, first, last, duty = _any_time_key(rule, organization, now), None, None, None, None
    else:
        if not period:
            raise ValidationError({"period": [_("请指明上报的期次。")]})
        existing = Submission.objects.filter(rule=rule, organization=organization, period=period).first()
        if existing is not None:
            return existing
        found, duty = resolve_period(rule, organization, period)
        key, due_at, first, last = found.key, found.due_at, found.first_day, found.last_day
    draft = draft_for(form=rule.form, organization=organization, first=first, last=last, duty=duty)
    submission = Submission(
        rule=rule,
        organization=organization,
        period=key,
        due_at=due_at,
        duty=duty,
        text=draft.text,
        fields=draft.fields,
        created_by=by,
    )
    audit.attribute(submission, by)
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:  # opened at the same moment by a colleague: theirs is the one
        return Submission.objects.get(rule=rule, organization=organization, period=key)
    for image_field, caption, source in draft.photos:
        copy_photo(by=by, submission=submission, field=image_field, caption=caption, source=source)
    return submission


def _locked(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().select_related("rule", "organization").get(pk=submission.pk)


def _editable(submission: Submission) -> None:
    if submission.status == Submission.Status.ACCEPTED:
        raise Refused(_("该上报已被采用，不能再修改。"))
    if submission.status == Submission.Status.SUBMITTED:
        raise Refused(_("该上报已提交，正在审核；如需修改，请等待退回。"))


@transaction.atomic
def submission_save_draft(
    *, by: User, submission: Submission, text: str | None = None, fields: dict[str, Any] | None = None
) -> Submission:
    submission = _locked(submission)
    require_reporter(by, submission.organization)
    _editable(submission)
    new_text = submission.text if text is None else text
    values = submission.fields if fields is None else fields
    cleaned, errors = form_fields.clean(submission.rule.form, new_text, values, submitting=False)
    if len(new_text) > 50_000:
        errors.setdefault("text", []).append(_("正文最多 50000 字。"))
    if errors:
        raise ValidationError(errors)
    submission.text, submission.fields = new_text, cleaned
    audit.attribute(submission, by)
    submission.save()
    return submission


@transaction.atomic
def submission_submit(
    *,
    by: User,
    submission: Submission,
    text: str | None = None,
    fields: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Submission:
    """Submit (or resubmit after a return): a new revision every time, never an overwrite."""
    submission = _locked(submission)
    require_reporter(by, submission.organization)
    _editable(submission)
    now = now or timezone.now()
    new_text = submission.text if text is None else text
    values = submission.fields if fields is None else fields
    cleaned, errors = form_fields.clean(submission.rule.form, new_text, values, submitting=True)
    file_ids = list(submission.files.order_by("pk").values_list("pk", "kind"))
    if submission.rule.photos_required and not any(kind == SubmissionFile.Kind.PHOTO for _, kind in file_ids):
        errors.setdefault("files", []).append(_("该上报须附活动图片，请至少上传一张照片。"))
    if errors:
        raise ValidationError(errors)
    late_by = max(now - submission.due_at, timedelta(0)) if submission.due_at else None
    if submission.first_submitted_at is None:
        submission.first_submitted_at = now
        submission.on_time = None if submission.due_at is None else late_by == timedelta(0)
        submission.late_by = late_by
    submission.revision_count += 1
    SubmissionRevision.objects.create(
        submission=submission,
        number=submission.revision_count,
        text=new_text,
        fields=cleaned,
        file_ids=[pk for pk, _ in file_ids],
        submitted_by=by,
        submitted_at=now,
        late_by=late_by,
    )
    submission.text, submission.fields = new_text, cleaned
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at = now
    audit.attribute(submission, by, reason=_("提交第 %(n)d 版") % {"n": submission.revision_count})
    submission.save()
    tell_submitted(submission)
    return submission
