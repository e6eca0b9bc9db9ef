"""Telling people about a report: the receiving office when it is submitted, the unit when it is decided.
Wording, kind and links come from notifications.handoffs."""

from __future__ import annotations

from typing import Any

from zhiyuan.notifications import audiences
from zhiyuan.notifications.handoffs import handoff_notify
from zhiyuan.reporting.models import Submission, SubmissionRevision
from zhiyuan.reporting.selectors import due as dues
from zhiyuan.reporting.selectors.receivers import reviewers_for


def _facts(submission: Submission, **extra: Any) -> dict[str, Any]:
    return {
        "submission_id": submission.pk,
        "title": submission.rule.title,
        "period": submission.period,
        "unit": submission.organization.name,
        **extra,
    }


def unit_people(submission: Submission) -> list[Any]:
    """The unit's 联络员 and 信息上报人员, and whoever submitted the latest revision."""
    last = (
        SubmissionRevision.objects.filter(submission=submission)
        .select_related("submitted_by")
        .order_by("-number")
        .first()
    )
    return audiences.users(*dues.reporters(submission.organization_id), last.submitted_by if last else None)


def tell_submitted(submission: Submission) -> int:
    return handoff_notify(
        event="report.submitted",
        recipients=reviewers_for(submission),
        context=_facts(submission),
        key=f"report:{submission.pk}:submitted:{submission.revision_count}",
    )


def tell_unit(event: str, submission: Submission, **extra: Any) -> int:
    return handoff_notify(
        event=event, recipients=unit_people(submission), context=_facts(submission, **extra)
    )
