"""The contract the reminders use (zhiyuan.notifications): what is due and not yet in, and who to tell.

Constant query count whatever the number of rules and units (tested in tests/test_reporting_due.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from zhiyuan.core.models import User
from zhiyuan.organizations.roles import Role
from zhiyuan.reporting.models import Submission
from zhiyuan.reporting.selectors.expected import expected

REPORTER_ROLES = (Role.LIAISON, Role.REPORTER)
ESCALATION_ROLES = (Role.PERSON_IN_CHARGE, Role.LEADER_IN_CHARGE)
DONE = (Submission.Status.SUBMITTED, Submission.Status.ACCEPTED)


@dataclass(frozen=True)
class Due:
    rule_id: int
    organization_id: int
    period: str  # stable key: "2019-01-23", "2019-W04", "duty-17", "once"
    due_at: datetime  # aware
    title: str
    url: str  # the page where it is submitted


def submission_url(rule_id: int, organization_id: int, period: str) -> str:
    return reverse("reporting:submission_form", args=[rule_id, organization_id, period])


def open_dues(*, due_from: datetime, due_to: datetime, organization_ids: set[int] | None = None) -> list[Due]:
    """Dues with a deadline in [due_from, due_to) that are neither submitted nor accepted. A report returned
    for revision is open again; a draft is still open."""
    wanted = expected(due_from=due_from, due_to=due_to, organization_ids=organization_ids)
    if not wanted:
        return []
    done = set(
        Submission.objects.filter(
            rule_id__in={e.rule.pk for e in wanted},
            period__in={e.period.key for e in wanted},
            status__in=DONE,
        ).values_list("rule_id", "organization_id", "period")
    )
    return [
        Due(
            rule_id=e.rule.pk,
            organization_id=e.organization_id,
            period=e.period.key,
            due_at=e.period.due_at,
            title=e.rule.title,
            url=submission_url(e.rule.pk, e.organization_id, e.period.key),
        )
        for e in wanted
        if (e.rule.pk, e.organization_id, e.period.key) not in done
    ]


def _holders(organization_id: int, roles: tuple[str, ...]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organization_id=organization_id,
            memberships__role__in=roles,
        )
        .distinct()
        .order_by("pk")
    )


def reporters(organization_id: int) -> list[User]:
    """联络员 and 信息上报人员 of that organisation (held there, not inherited from above)."""
    return _holders(organization_id, REPORTER_ROLES)


def escalation_contacts(organization_id: int) -> list[User]:
    """具体负责人 and 主管领导 of that organisation."""
    return _holders(organization_id, ESCALATION_ROLES)
