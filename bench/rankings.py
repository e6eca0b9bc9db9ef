"""Bench case, on the compliance bench's generated city: the commendation ranking of the whole city over
the generated period, read from the ledger (as the rankings service does, because a unit ranks the hours it
recorded), against the cheapest query that could answer it — a sum over the weekly rollups, which gives the
same answer on this data only because every volunteer serves in the city. What reading the ledger costs."""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

TOP = 50


def _timed(fn: Any, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _from_rollups(first: date, last: date) -> tuple[int, list[Decimal]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(DISTINCT volunteer_id) FROM hours_weeklyrollup WHERE week >= %s AND week <= %s",
            [first, last],
        )
        count = cursor.fetchone()[0]
        cursor.execute(
            "SELECT volunteer_id, SUM(hours) AS t FROM hours_weeklyrollup WHERE week >= %s AND week <= %s "
            "GROUP BY volunteer_id ORDER BY t DESC LIMIT %s",
            [first, last, TOP],
        )
        return count, [Decimal(str(row[1])).quantize(Decimal("0.01")) for row in cursor.fetchall()]


def ranking_case(
    *, officer: Any, city: Any, first_monday: date, weeks: int, repeat: int, label: str
) -> tuple[str, float, float, str]:
    from zhiyuan.hours.services.rankings import ranking

    last = first_monday + timedelta(weeks=weeks) - timedelta(days=1)

    def from_ledger() -> tuple[list[Any], int]:
        return ranking(user=officer, organization=city, start=first_monday, end=last, limit=TOP)

    rows, count = from_ledger()
    expected_count, expected = _from_rollups(first_monday, last - timedelta(days=6))
    assert count == expected_count, (count, expected_count)
    assert [r.hours for r in rows] == expected, "the ranking and the rollup sums disagree"
    value = _timed(from_ledger, repeat)
    baseline = _timed(lambda: _from_rollups(first_monday, last - timedelta(days=6)), repeat)
    return (f"ranking_{label}_ledger_vs_rollups", value * 1000, baseline * 1000, "ms")
