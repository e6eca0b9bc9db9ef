"""“我的上报”: what the units a person reports for owe, by when, and how far each one got."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from zhiyuan.core.permissions import roles_granting
from zhiyuan.organizations.models import Membership, Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.models import DeadlineKind, ReportRule, Submission
from zhiyuan.reporting.selectors.due import submission_url
from zhiyuan.reporting.selectors.expected import expected, rule_organization_ids

LOOK_BACK = timedelta(days=30)
LOOK_AHEAD = timedelta(days=14)
SOON = timedelta(hours=24)


@dataclass(frozen=True)
class DueRow:
    rule: ReportRule
    organization: Organization
    period: str
    due_at: datetime
    url: str
    submission: Submission | None
    overdue: bool
    due_soon: bool


@dataclass(frozen=True)
class AnyTime:
    rule: ReportRule
    organization: Organization


def my_organizations(user: Any) -> list[Organization]:
    """The units where the person holds a reporting role themself (not those merely below it)."""
    ids = Membership.objects.filter(user_id=user.pk, role__in=roles_granting(Perm.REPORT_SUBMIT)).values(
        "organization_id"
    )
    return list(Organization.objects.filter(pk__in=ids).order_by("path"))


def my_dues(*, user: Any, now: datetime | None = None) -> tuple[list[DueRow], list[AnyTime]]:
    now = now or timezone.now()
    orgs = {o.pk: o for o in my_organizations(user)}
    if not orgs:
        return [], []
    wanted = expected(due_from=now - LOOK_BACK, due_to=now + LOOK_AHEAD, organization_ids=set(orgs))
    subs: dict[tuple[int, int, str], Submission] = {}
    if wanted:
        q = Q(pk__in=[])
        for e in wanted:
            q |= Q(rule_id=e.rule.pk, organization_id=e.organization_id, period=e.period.key)
        for s in Submission.objects.filter(q):
            subs[(s.rule_id, s.organization_id, s.period)] = s
    rows = []
    for e in wanted:
        sub = subs.get((e.rule.pk, e.organization_id, e.period.key))
        delivered = sub is not None and sub.status in (
            Submission.Status.SUBMITTED,
            Submission.Status.ACCEPTED,
        )
        rows.append(
            DueRow(
                rule=e.rule,
                organization=orgs[e.organization_id],
                period=e.period.key,
                due_at=e.period.due_at,
                url=submission_url(e.rule.pk, e.organization_id, e.period.key),
                submission=sub,
                overdue=not delivered and e.period.due_at < now,
                due_soon=not delivered and now <= e.period.due_at < now + SOON,
            )
        )
    # what still needs doing first, then the rest newest first
    rows.sort(
        key=lambda r: (not (r.overdue or r.due_soon or (r.submission is None and r.due_at >= now)), r.due_at)
    )
    any_rules = list(
        ReportRule.objects.filter(deadline_kind=DeadlineKind.ANY_TIME)
        .select_related("campaign", "applies_to")
        .prefetch_related("organizations")
    )
    owed = rule_organization_ids(any_rules)
    free = [AnyTime(r, orgs[pk]) for r in any_rules for pk in sorted(owed[r.pk]) if pk in orgs]
    return rows, free
