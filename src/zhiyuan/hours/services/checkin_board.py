"""Reads for a leader's attendance board: who is booked on a shift, who came in ad hoc at its station,
where each stands (未到 / 已签到 / 已签退), and which scans wait for a look. A fixed handful of queries,
however many people are on the shift."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from zhiyuan.campaigns.models import Shift, Signup
from zhiyuan.campaigns.selectors.stations import visible_stations
from zhiyuan.core import access
from zhiyuan.hours.models import CheckIn
from zhiyuan.hours.services.checkin import ARRIVE_EARLY
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer

BOARD_PERM = Perm.ATTENDANCE_VIEW  # the board names volunteers, like the roster
ENTER_PERM = Perm.ATTENDANCE_CHANGE  # entering for others


@dataclass
class Person:
    volunteer: Volunteer
    adhoc: bool
    scans: list[CheckIn] = field(default_factory=list)

    @property
    def open_in(self) -> CheckIn | None:
        closed = {s.paired_with_id for s in self.scans if s.kind == CheckIn.Kind.OUT}
        ins = [s for s in self.scans if s.kind == CheckIn.Kind.IN and not s.held and s.pk not in closed]
        return ins[-1] if ins else None

    @property
    def status(self) -> str:
        if self.open_in is not None:
            return "in"
        return "out" if any(s.kind == CheckIn.Kind.OUT for s in self.scans) else "absent"

    @property
    def hours(self) -> Decimal:
        return sum(
            (s.ledger_entry.hours for s in self.scans if s.ledger_entry_id and s.ledger_entry),
            Decimal(0),
        )

    @property
    def flags(self) -> list[CheckIn]:
        return [s for s in self.scans if s.needs_review]


def _scans(shift: Shift) -> QuerySet[CheckIn]:
    here = Q(shift=shift)
    if shift.station_id:
        window = (shift.starts_at - ARRIVE_EARLY, shift.ends_at)
        adhoc_in = Q(shift__isnull=True, station_id=shift.station_id, kind=CheckIn.Kind.IN, at__range=window)
        adhoc_out = Q(
            shift__isnull=True,
            kind=CheckIn.Kind.OUT,
            paired_with__station_id=shift.station_id,
            paired_with__at__range=window,
        )
        here |= adhoc_in | adhoc_out
    return (
        CheckIn.objects.filter(here)
        .select_related("ledger_entry", "volunteer__user", "recorded_by")
        .order_by("at", "pk")
    )


def board_people(shift: Shift) -> dict[int, Person]:
    """Booked volunteers first (in sign-up order), then those who came ad hoc, by volunteer id."""
    people: dict[int, Person] = {
        s.volunteer_id: Person(s.volunteer, adhoc=False)
        for s in Signup.objects.filter(shift=shift, status=Signup.Status.ACCEPTED)
        .select_related("volunteer__user")
        .order_by("created_at", "pk")
    }
    for scan in _scans(shift):
        person = people.get(scan.volunteer_id)
        if person is None:
            if scan.shift_id is not None:  # booked once, since cancelled: still shown with their scans
                person = people[scan.volunteer_id] = Person(scan.volunteer, adhoc=False)
            else:
                person = people[scan.volunteer_id] = Person(scan.volunteer, adhoc=True)
        person.scans.append(scan)
    return people


@dataclass(frozen=True)
class Board:
    shift: Shift
    people: list[Person]
    counts: dict[str, int]
    generated_at: datetime


def attendance_board(shift: Shift, now: datetime) -> Board:
    people = list(board_people(shift).values())
    counts = {"absent": 0, "in": 0, "out": 0}
    for person in people:
        counts[person.status] += 1
    counts["flagged"] = sum(len(p.flags) for p in people)
    return Board(shift, people, counts, now)


def checkins_reviewable(user: Any) -> QuerySet[CheckIn]:
    """Scans a user may review: of shifts of their organisations, and ad-hoc ones at stations they run."""
    return CheckIn.objects.filter(
        access.scope(user, ENTER_PERM, via="shift__organization")
        | Q(shift__isnull=True, station__in=visible_stations(user, ENTER_PERM))
    )


def flagged_list(*, user: Any) -> QuerySet[CheckIn]:
    return (
        checkins_reviewable(user)
        .exclude(flagged="")
        .filter(flag_cleared_at__isnull=True)
        .select_related("volunteer__user", "shift", "station")
        .order_by("-at")
    )
