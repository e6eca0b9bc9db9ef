"""The units' reports over the replayed weeks: most on time, some late, some never sent; the office
returns a few for revision, accepts the rest and publishes one to the portal's news."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError

from zhiyuan.campaigns.models import Campaign
from zhiyuan.core.errors import Refused
from zhiyuan.reporting.models import ReportRule, Submission
from zhiyuan.reporting.selectors.expected import expected
from zhiyuan.reporting.services import reviews
from zhiyuan.reporting.services.submissions import submission_open, submission_submit
from zhiyuan.seeds.demo_activity import Plan


def reports(plan: Plan, *, campaigns: list[Campaign], start: datetime, now: datetime) -> None:
    """Every report due in [start, now + 1 day) of the living campaigns, except those needing photos (the
    demo has no photographs to attach). One in ten is missing, one in seven late."""
    rules = list(
        ReportRule.objects.filter(campaign__in=campaigns, photos_required=False)
        .select_related("campaign", "applies_to")
        .prefetch_related("organizations")
    )
    for n, e in enumerate(expected(due_from=start, due_to=now + timedelta(days=1), rules=rules)):
        due = e.period.due_at
        if n % 10 == 3 or (due > now and n % 2):
            continue  # missing (or, for today's, not yet sent)
        late = n % 7 == 5
        moment = (
            due + timedelta(hours=2, minutes=n % 50) if late else due - timedelta(hours=1, minutes=n % 50)
        )
        if moment > now:
            continue

        def send(
            rule: ReportRule = e.rule, org_id: int = e.organization_id, key: str = e.period.key, i: int = n
        ) -> None:
            from zhiyuan.organizations.models import Organization

            organization = Organization.objects.get(pk=org_id)
            try:
                submission = submission_open(
                    by=plan.officer, rule=rule, organization=organization, period=key
                )
                submission = submission_submit(
                    by=plan.officer,
                    submission=submission,
                    text=submission.text or f"{organization.name}今日志愿服务情况（演示）",
                )
            except (Refused, ValidationError):
                return  # a form the pre-fill cannot complete stays a draft: it counts as missing
            if submission.submitted_at and submission.submitted_at < now - timedelta(days=1):
                plan.at(submission.submitted_at + timedelta(hours=20), lambda: _review(plan, submission, i))

        plan.at(moment, send)


def _review(plan: Plan, submission: Submission, n: int) -> None:
    if n % 11 == 4:
        reviews.submission_return(
            by=plan.officer, submission=submission, comment="请补充服务人次和具体地点（演示）"
        )
        return
    accepted = reviews.submission_accept(by=plan.officer, submission=submission)
    if n % 17 == 1:
        reviews.submission_publish(
            by=plan.officer,
            submission=accepted,
            title=f"{accepted.organization.name}开展志愿服务（演示）",
            text=accepted.text[:500],
            photo_ids=[],
        )
