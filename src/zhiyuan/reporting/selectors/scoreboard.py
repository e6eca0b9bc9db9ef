"""考核 (Scoreboard): per unit and period, how its reports came in and what its subtree did, ranked.

Computed, not stored: what is owed comes from `expected` (the rules and the deadline engine), what came in
from one query over the submissions, the activity from one query of correlated subqueries. The query count
does not grow with units, rules or deadlines (tests/test_scoreboard.py measures it at two sizes).

Scope: a unit sees its own subtree; the city office (or a superuser) sees everything — through
`core.access` with the `report.view` permission, like the report lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiyuan.core import access
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.models import ReportRule, Submission
from zhiyuan.reporting.selectors.expected import Expected, active_rules, expected
from zhiyuan.reporting.selectors.scoreboard_activity import Activity, activity_by_unit
from zhiyuan.reporting.selectors.scoreboard_window import Window


class Cell:
    """A heat-map cell: how one unit met one deadline."""

    ON_TIME = "on_time"
    LATE_HOUR = "late_hour"  # late by less than an hour
    LATE_DAY = "late_day"  # late by less than 24 hours
    LATER = "later"
    MISSING = "missing"  # the deadline passed with nothing delivered
    PENDING = "pending"  # not yet due, nothing delivered yet

    LABELS = {
        ON_TIME: _("按时"),
        LATE_HOUR: _("迟报不足1小时"),
        LATE_DAY: _("迟报不足24小时"),
        LATER: _("迟报超过24小时"),
        MISSING: _("未报"),
        PENDING: _("未到期"),
    }
    ORDER = [ON_TIME, LATE_HOUR, LATE_DAY, LATER, MISSING, PENDING]


@dataclass(frozen=True)
class Deadline:
    """A heat-map column: one rule's period, due at one instant."""

    rule_id: int
    title: str
    period: str
    due_at: datetime


@dataclass
class UnitScore:
    organization: Organization
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0
    late_total: timedelta = timedelta(0)
    activity: Activity = field(default_factory=Activity)
    rank: int = 0

    @property
    def settled(self) -> int:
        """Deadlines that have passed or been met: the base of the on-time rate."""
        return self.on_time + self.late + self.missing

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.settled if self.settled else None

    @property
    def on_time_percent(self) -> int | None:
        rate = self.on_time_rate
        return None if rate is None else round(rate * 100)

    @property
    def average_lateness(self) -> timedelta | None:
        return self.late_total / self.late if self.late else None

    @property
    def average_lateness_hours(self) -> float | None:
        avg = self.average_lateness
        return None if avg is None else round(avg.total_seconds() / 3600, 1)

    def rank_key(self) -> tuple[float, int, float, Decimal]:
        """Better first: a higher on-time rate, fewer missing, less lateness, more hours served."""
        rate = self.on_time_rate
        avg = self.average_lateness
        return (
            -(rate if rate is not None else -1.0),
            self.missing,
            avg.total_seconds() if avg else 0.0,
            -self.activity.hours,
        )


@dataclass
class Scoreboard:
    window: Window
    rows: list[UnitScore]
    deadlines: list[Deadline]
    cells: dict[tuple[int, int], str]  # (organization id, deadline index) → Cell value
    now: datetime

    def totals(self) -> dict[str, Any]:
        return {
            "units": len(self.rows),
            "due": sum(r.due for r in self.rows),
            "on_time": sum(r.on_time for r in self.rows),
            "late": sum(r.late for r in self.rows),
            "missing": sum(r.missing for r in self.rows),
            "pending": sum(r.pending for r in self.rows),
        }

    def heat_rows(self, rows: list[UnitScore] | None = None) -> list[tuple[UnitScore, list[str]]]:
        """Each unit with its cells across the columns ("" where the unit owes nothing)."""
        n = len(self.deadlines)
        return [
            (r, [self.cells.get((r.organization.pk, i), "") for i in range(n)])
            for r in (self.rows if rows is None else rows)
        ]


def classify(
    *,
    due_at: datetime,
    first_submitted_at: datetime | None,
    late_by: timedelta | None,
    on_time: bool | None,
    now: datetime,
) -> str:
    if first_submitted_at is None:
        return Cell.MISSING if due_at <= now else Cell.PENDING
    if on_time is None:  # judged by the submission service on the first submission; recompute if absent
        late_by = first_submitted_at - due_at
        on_time = late_by <= timedelta(0)
    if on_time:
        return Cell.ON_TIME
    late = late_by or timedelta(0)
    if late < timedelta(hours=1):
        return Cell.LATE_HOUR
    if late < timedelta(hours=24):
        return Cell.LATE_DAY
    return Cell.LATER


def _rules(campaign_id: int | None, rule_id: int | None) -> list[ReportRule]:
    qs = active_rules()
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    if rule_id:
        qs = qs.filter(pk=rule_id)
    return list(qs)


def _delivered(wanted: list[Expected], org_ids: set[int]) -> dict[tuple[int, int, str], tuple[Any, ...]]:
    """(rule, organisation, period) → (first_submitted_at, on_time, late_by), in one query."""
    if not wanted:
        return {}
    rows = Submission.objects.filter(
        rule_id__in={e.rule.pk for e in wanted},
        organization_id__in=org_ids,
        period__in={e.period.key for e in wanted},
        first_submitted_at__isnull=False,
    ).values_list("rule_id", "organization_id", "period", "first_submitted_at", "on_time", "late_by")
    return {(r, o, p): tuple(rest) for r, o, p, *rest in rows}


def scoreboard(
    *,
    user: Any,
    window: Window,
    campaign_id: int | None = None,
    rule_id: int | None = None,
    under: Organization | None = None,
    now: datetime | None = None,
) -> Scoreboard:
    """The ranked scoreboard of the units the user may see that owe reports in the window.

    `under` narrows it to one subtree (the caller has scoped that organisation already)."""
    now = now or timezone.now()
    rules = _rules(campaign_id, rule_id)
    wanted = expected(due_from=window.start, due_to=window.end, rules=rules) if rules else []
    owing = {e.organization_id for e in wanted}
    units_q = Organization.objects.filter(access.scope(user, Perm.REPORT_VIEW), pk__in=owing)
    if under is not None:
        units_q = units_q.filter(path__startswith=under.path)
    units = {o.pk: o for o in units_q.only("pk", "name", "path", "kind").order_by("path")} if owing else {}
    wanted = [e for e in wanted if e.organization_id in units]
    delivered = _delivered(wanted, set(units))

    columns: dict[tuple[int, str], int] = {}
    deadlines: list[Deadline] = []
    for e in sorted(wanted, key=lambda e: (e.period.due_at, e.rule.pk, e.period.key)):
        key = (e.rule.pk, e.period.key)
        if key not in columns:
            columns[key] = len(deadlines)
            deadlines.append(Deadline(e.rule.pk, e.rule.title, e.period.key, e.period.due_at))

    scores = {pk: UnitScore(organization=o) for pk, o in units.items()}
    cells: dict[tuple[int, int], str] = {}
    for e in wanted:
        s = scores[e.organization_id]
        found = delivered.get((e.rule.pk, e.organization_id, e.period.key))
        first, on_time, late_by = found if found else (None, None, None)
        cell = classify(
            due_at=e.period.due_at, first_submitted_at=first, late_by=late_by, on_time=on_time, now=now
        )
        cells[(e.organization_id, columns[(e.rule.pk, e.period.key)])] = cell
        s.due += 1
        if cell == Cell.ON_TIME:
            s.on_time += 1
        elif cell == Cell.MISSING:
            s.missing += 1
        elif cell == Cell.PENDING:
            s.pending += 1
        else:
            s.late += 1
            s.late_total += late_by if late_by is not None else (first - e.period.due_at)

    for pk, act in activity_by_unit(scores, window, campaign_id=campaign_id).items():
        scores[pk].activity = act
    ranked = sorted(scores.values(), key=lambda s: (s.rank_key(), s.organization.path))
    previous: tuple[Any, ...] | None = None
    for position, s in enumerate(ranked, start=1):
        place = s.rank_key()[:3]  # units equal on reports share a place; hours only order them
        s.rank = ranked[position - 2].rank if previous == place else position
        previous = place
    return Scoreboard(window=window, rows=ranked, deadlines=deadlines, cells=cells, now=now)
