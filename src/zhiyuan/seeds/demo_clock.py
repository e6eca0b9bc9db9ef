"""The demo replays four weeks of a campaign through the real services, each at its own moment.

Services read the time from `django.utils.timezone.now()` (a shift may not start in the past, a scan may
not be older than 24 hours, a sign-out is recorded within 10 working days). The demo does not go around
those rules: it sets the clock to the moment each thing happens — sign-ups two days before a shift, the
scans at its start and end — and lets the service decide, exactly as on that day.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.utils import timezone

BJ = ZoneInfo("Asia/Shanghai")


def beijing(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BJ)


class Clock:
    """A settable clock that only moves forward, so every volunteer's ledger chain stays in time order."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def set(self, moment: datetime) -> None:
        self.moment = max(self.moment, moment)

    def at(self, moment: datetime) -> None:
        """Set the clock even backwards (only for writes that are not ledger entries: sign-ups, shifts)."""
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def tick(self, seconds: int = 1) -> None:
        self.moment += timedelta(seconds=seconds)


@contextmanager
def clock_at(start: datetime) -> Iterator[Clock]:
    clock = Clock(start)
    with mock.patch.object(timezone, "now", clock.now):
        yield clock
