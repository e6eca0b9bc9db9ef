"""What `/app/` shows each person: their day, by what they do. Reads only; every list is bounded.

A person may be several things at once (a 联络员 who also volunteers): each part they qualify for is shown,
the officer's first. Whether a part shows follows the same permissions as the pages it links to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from zhiyuan.campaigns.models import Campaign, Shift, Signup
from zhiyuan.campaigns.selectors.campaigns import campaign_list
from zhiyuan.campaigns.selectors.shifts import my_shifts, shift_list
from zhiyuan.core import access
from zhiyuan.hours.models import Certificate, Correction
from zhiyuan.hours.services.compliance import MyWeek, my_week
from zhiyuan.hours.services.self_reports import self_report_queue
from zhiyuan.organizations.roles import Perm, Role
from zhiyuan.people.models import Volunteer
from zhiyuan.reporting.models import Submission
from zhiyuan.reporting.selectors.my_dues import DueRow, my_dues
from zhiyuan.reporting.selectors.submissions import review_queue
from zhiyuan.workspace.menu import is_volunteer

SHOWN = 8  # rows per list on the landing page; each list links to its full page


@dataclass(frozen=True)
class VolunteerDay:
    upcoming: list[Signup]
    week: MyWeek
    certificates: int


@dataclass(frozen=True)
class LeaderDay:
    today: list[Shift]
    signups: list[Signup]
    self_reports: int
    corrections: int


@dataclass(frozen=True)
class LiaisonDay:
    dues: list[DueRow]
    overdue: int


@dataclass(frozen=True)
class OfficerDay:
    campaigns: list[Campaign]
    to_review: int
    shifts_this_week: int


@dataclass(frozen=True)
class Landing:
    officer: OfficerDay | None
    leader: LeaderDay | None
    liaison: LiaisonDay | None
    volunteer: VolunteerDay | None


def _day_bounds(now: datetime) -> tuple[datetime, datetime]:
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def volunteer_day(user: Any) -> VolunteerDay | None:
    if not is_volunteer(user):
        return None
    volunteer = Volunteer.objects.select_related("home_organization").get(user_id=user.pk)
    return VolunteerDay(
        upcoming=list(my_shifts(user=user)[:SHOWN]),
        week=my_week(volunteer),
        certificates=Certificate.objects.filter(volunteer=volunteer).count(),
    )


def leader_day(user: Any, now: datetime) -> LeaderDay | None:
    if not access.holds_any(user, [Perm.SHIFT_CHANGE, Perm.HOURS_APPROVE]):
        return None
    start, end = _day_bounds(now)
    mine: QuerySet[Shift] = shift_list(user=user, start=start, end=end).filter(
        access.scope(user, Perm.SHIFT_CHANGE, via="organization")
    )
    signups = (
        Signup.objects.filter(
            access.scope(user, Perm.SHIFT_ASSIGN, via="shift__organization"),
            shift__ends_at__gt=now,
            status__in=(Signup.Status.ACCEPTED, Signup.Status.WAITLISTED),
        )
        .select_related("shift", "volunteer__user")
        .order_by("-created_at", "-pk")
    )
    corrections = Correction.objects.filter(
        access.scope(user, Perm.HOURS_APPROVE, via="entry__organization"), status=Correction.Status.PENDING
    )
    return LeaderDay(
        today=list(mine[:SHOWN]),
        signups=list(signups[:SHOWN]),
        self_reports=self_report_queue(user=user).count(),
        corrections=corrections.count(),
    )


def liaison_day(user: Any, now: datetime) -> LiaisonDay | None:
    if not access.holds_any(user, [Perm.REPORT_SUBMIT]):
        return None
    rows, _any_time = my_dues(user=user, now=now)
    if not rows and not access.roles_held(user) & {Role.LIAISON, Role.REPORTER}:
        return None  # an officer or leader who reports too sees this part only when something is due
    open_rows = sorted(
        (r for r in rows if r.submission is None or r.submission.status in ("draft", "returned")),
        key=lambda r: r.due_at,
    )
    return LiaisonDay(dues=open_rows[:SHOWN], overdue=sum(r.overdue for r in open_rows))


def officer_day(user: Any, now: datetime) -> OfficerDay | None:
    if not access.holds_any(user, [Perm.CAMPAIGN_CHANGE, Perm.REPORT_REVIEW]):
        return None
    today = timezone.localdate(now)
    campaigns = campaign_list(user=user)
    running = list(campaigns.filter(starts_on__lte=today, ends_on__gte=today).order_by("starts_on")[:SHOWN])
    shown = running or list(campaigns.order_by("-starts_on")[:3])
    start, _end = _day_bounds(now)
    week = shift_list(user=user, start=start, end=start + timedelta(days=7)).filter(
        access.scope(user, Perm.SHIFT_VIEW, via="organization")
    )
    return OfficerDay(
        campaigns=shown,
        to_review=review_queue(user=user, status=Submission.Status.SUBMITTED).count(),
        shifts_this_week=week.count(),
    )


def landing(*, user: Any, now: datetime | None = None) -> Landing:
    now = now or timezone.now()
    return Landing(
        officer=officer_day(user, now),
        leader=leader_day(user, now),
        liaison=liaison_day(user, now),
        volunteer=volunteer_day(user),
    )
