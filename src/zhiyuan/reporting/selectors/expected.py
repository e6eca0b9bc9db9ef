"""What is expected: for each active rule, which organisations owe which periods in a time window.

A constant number of queries whatever the number of rules, units and duties: the rules with their explicit
units, one query over all the rules' subtrees, one for the duties, and the holiday calendar.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Max, Q, QuerySet

from zhiyuan.campaigns.models import Duty
from zhiyuan.core import holidays
from zhiyuan.core.models import Holiday
from zhiyuan.organizations.models import Organization
from zhiyuan.reporting.models import DeadlineKind, RelativeTo, ReportRule
from zhiyuan.reporting.services.deadlines import (
    DutyEnd,
    Period,
    WorkCalendar,
    duty_end,
    local_day,
    periods,
)


@dataclass(frozen=True)
class Expected:
    rule: ReportRule
    organization_id: int
    period: Period


def work_calendar(first: date, last: date) -> WorkCalendar:
    rest = holidays.rest_days(first, last)  # also fills the table for years it has not seen
    working = Holiday.objects.filter(day__range=(first, last), is_rest_day=False).values_list(
        "day", flat=True
    )
    return WorkCalendar(frozenset(rest), frozenset(working))


def calendar_around(start: datetime, end: datetime) -> WorkCalendar:
    # weekly deadlines pushed past a holiday and week lookbacks reach a few weeks either side
    return work_calendar(local_day(start) - timedelta(days=35), local_day(end) + timedelta(days=35))


def active_rules() -> QuerySet[ReportRule]:
    return (
        ReportRule.objects.exclude(deadline_kind=DeadlineKind.ANY_TIME)
        .select_related("campaign", "applies_to")
        .prefetch_related("organizations")
    )


def rule_organization_ids(rules: list[ReportRule]) -> dict[int, set[int]]:
    """Who owes each rule: explicit units, the root itself if asked, and its descendants of the kinds."""
    roots = {r.applies_to.path for r in rules if r.applies_to and r.applies_to_kinds}
    below: list[tuple[int, str, str]] = []
    if roots:
        q = Q()
        for path in roots:
            q |= Q(path__startswith=path)
        below = list(Organization.objects.filter(q).values_list("pk", "path", "kind"))
    owed: dict[int, set[int]] = {}
    for rule in rules:
        ids = {o.pk for o in rule.organizations.all()}
        if rule.applies_to_id and rule.include_root:
            ids.add(rule.applies_to_id)
        if rule.applies_to and rule.applies_to_kinds:
            root = rule.applies_to.path
            depth = root.count("/")
            for pk, path, kind in below:
                levels = path.count("/") - depth
                if (
                    path.startswith(root)
                    and levels > 0
                    and kind in rule.applies_to_kinds
                    and (rule.applies_to_depth is None or levels <= rule.applies_to_depth)
                ):
                    ids.add(pk)
        owed[rule.pk] = ids
    return owed


def duty_ends(campaign_ids: Iterable[int], first: date, last: date) -> dict[int, list[DutyEnd]]:
    """Duties held (not cancelled or postponed) in the date range, with when each ended."""
    by_campaign: dict[int, list[DutyEnd]] = defaultdict(list)
    ids = set(campaign_ids)
    if not ids:
        return by_campaign
    rows = (
        Duty.objects.filter(campaign_id__in=ids, date__range=(first, last))
        .exclude(status__in=[Duty.Status.CANCELLED, Duty.Status.POSTPONED])
        .annotate(last_shift_end=Max("shifts__ends_at"))
        .values_list("pk", "campaign_id", "responsible_id", "date", "last_shift_end")
    )
    for pk, campaign_id, responsible_id, day, last_end in rows:
        by_campaign[campaign_id].append(DutyEnd(pk, responsible_id, duty_end(day, last_end)))
    return by_campaign


def expected(
    *,
    due_from: datetime,
    due_to: datetime,
    rules: list[ReportRule] | None = None,
    organization_ids: set[int] | None = None,
) -> list[Expected]:
    """Every (rule, organisation, period) due in [due_from, due_to), optionally for some units only."""
    rules = list(active_rules()) if rules is None else rules
    if not rules:
        return []
    calendar = calendar_around(due_from, due_to)
    owed = rule_organization_ids(rules)
    relative = [
        r for r in rules if r.deadline_kind == DeadlineKind.RELATIVE and r.relative_to == RelativeTo.DUTY_END
    ]
    duties: dict[int, list[DutyEnd]] = {}
    if relative:
        longest = max(r.relative_hours or 0 for r in relative)
        duties = duty_ends(
            {r.campaign_id for r in relative if r.campaign_id},
            local_day(due_from) - timedelta(hours=longest) - timedelta(days=2),
            local_day(due_to),
        )
    found: list[Expected] = []
    for rule in rules:
        for period in periods(
            rule, start=due_from, end=due_to, calendar=calendar, duties=duties.get(rule.campaign_id or 0, ())
        ):
            units = {period.organization_id} if period.organization_id else owed.get(rule.pk, set())
            for org_id in sorted(units):
                if organization_ids is None or org_id in organization_ids:
                    found.append(Expected(rule, org_id, period))
    return found
