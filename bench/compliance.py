"""Bench case: the weekly compliance report (每周五小时 达标率 and who is short) for a whole city of
BENCH_VOLUNTEERS volunteers (default 200,000) with BENCH_LEDGER_ROWS ledger rows (default 20,000,000),
against the best hand-written SQL for the same answer on the same database. Both answers are compared
row by row on every run.

The data is generated with set-based SQL (generate_series on PostgreSQL, a recursive CTE on SQLite), not
the ORM row by row; the weekly rollups are aggregated from the generated ledger, and at small scales the
application's own re-derivation (`rollup_differences`) confirms they agree.

Runs on DATABASE_URL when it names a PostgreSQL server — in a throw-away database created beside the named
one and dropped afterwards, never in the named database itself — else on a throw-away SQLite file.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

VOLUNTEERS = int(os.environ.get("BENCH_VOLUNTEERS", 200_000))
LEDGER_ROWS = int(os.environ.get("BENCH_LEDGER_ROWS", 20_000_000))
REPEAT = int(os.environ.get("BENCH_REPEAT", 3))
PER_WEEK = 5  # a volunteer's entries fall on Monday to Friday, one a day
TEAMS = 100
FIRST_MONDAY = date(2026, 1, 5)
CHECK_ROLLUPS_UP_TO = 20_000  # volunteers; the app's re-derivation compares every (volunteer, week) in Python

os.environ["ZHIYUAN_VAR_DIR"] = tempfile.mkdtemp(prefix="zhiyuan-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhiyuan.config.settings")
_server_url = os.environ.get("DATABASE_URL", "")
_bench_db = ""
if _server_url.startswith(("postgres://", "postgresql://")):
    import psycopg

    _base, _, _name = _server_url.rpartition("/")
    _bench_db = f"zhiyuan_bench_{uuid.uuid4().hex[:8]}"
    _admin_url = f"{_base}/postgres"  # the server's maintenance database: the named one may not exist yet
    with psycopg.connect(_admin_url, autocommit=True) as _c:
        _c.execute(f'CREATE DATABASE "{_bench_db}"')
    os.environ["DATABASE_URL"] = f"{_base}/{_bench_db}"
else:
    os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.db import DatabaseError, connection  # noqa: E402

PG = connection.vendor == "postgresql"


def _series(n: int) -> str:
    """A row source of i = 1..n."""
    if PG:
        return f"generate_series(1, {n}) AS g(i)"
    return f"(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) SELECT i FROM s) AS g"


def _pad(expr: str, width: int) -> str:
    return f"lpad(({expr})::text, {width}, '0')" if PG else f"printf('%0{width}d', {expr})"


def _text(expr: str) -> str:
    return f"({expr})::text" if PG else f"CAST({expr} AS TEXT)"


def _at_minutes(offset: str) -> str:
    """The UTC moment `offset` minutes after the first Monday, 00:00 UTC (08:00 in Beijing)."""
    base = f"{FIRST_MONDAY.isoformat()} 00:00:00"
    if PG:
        return f"(TIMESTAMPTZ '{base}+00' + ({offset}) * INTERVAL '1 minute')"
    return f"datetime('{base}', '+' || ({offset}) || ' minutes')"


def _monday(weeks: str) -> str:
    base = FIRST_MONDAY.isoformat()
    return f"DATE '{base}' + 7 * ({weeks})" if PG else f"date('{base}', '+' || (7 * ({weeks})) || ' days')"


NOW = "CURRENT_TIMESTAMP" if PG else "strftime('%Y-%m-%d %H:%M:%f', 'now')"


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, list | dict):
        return "'[]'" if value == [] else "'{}'"
    return "'" + str(value).replace("'", "''") + "'"


def insert_select(model: Any, exprs: dict[str, str], source: str, tail: str = "") -> str:
    """INSERT … SELECT filling every column: given expressions, else the field's default, else now."""
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(f'"{field.column}"')
        if field.column in exprs:
            values.append(exprs[field.column])
        elif field.get_internal_type() == "DateTimeField" and not field.null:
            values.append(NOW)
        elif field.null:
            values.append("NULL")
        else:
            default = field.get_default()
            if default is None:
                raise ValueError(f"bench: no value for {model.__name__}.{field.column}")
            values.append(_literal(default))
    return f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) SELECT {", ".join(values)} FROM {source} {tail}'


def _ledger_row(i: str, per_volunteer: int, volunteer0: int, team0: int, recorder: int) -> dict[str, str]:
    """Ledger row number `i`: volunteer v = (i-1)/K + 1, its seq s = (i-1)%K + 1. Five entries a week, one a
    weekday, starting 08:00-10:00 Beijing and lasting 20 minutes to 2 hours: no overlaps, every week the same shape."""
    v = f"(({i} - 1) / {per_volunteer} + 1)"
    seq = f"(({i} - 1) % {per_volunteer} + 1)"
    day = f"(7 * (({seq} - 1) / {PER_WEEK}) + ({seq} - 1) % {PER_WEEK})"
    begins = f"({day} * 1440 + ({seq} % 3) * 60)"
    minutes = f"((({v} * 7 + {seq} * 13 + ({v} * {seq}) % 5) % 6 + 1) * 20)"
    return {
        "volunteer_id": f"{volunteer0} + {v}",
        "seq": seq,
        "kind": "'credit'",
        "organization_id": f"{team0} + {v} % {TEAMS}",
        "activity": "'基准服务'",
        "starts_at": _at_minutes(begins),
        "ends_at": _at_minutes(f"{begins} + {minutes}"),
        "hours": f"({minutes} / 60.0)::numeric(6, 2)" if PG else f"round({minutes} / 60.0, 2)",
        "source": "'bulk'",
        "recorded_by_id": str(recorder),
        "key_id": "''",
        "prev_hash": "'-'",
        # zero-padded, so the unique index grows at its right edge instead of splitting pages everywhere
        "hash": "'bench-' || " + _pad(i, 12),
        "created_at": NOW,
    }


def _run(cursor: Any, sql: str, what: str = "") -> None:
    what = what or sql.split("(")[0].removeprefix("INSERT INTO ").strip()
    began = time.perf_counter()
    cursor.execute(sql)
    print(f"#   {what}: {time.perf_counter() - began:.1f}s", file=sys.stderr, flush=True)


def generate(volunteers: int, ledger_rows: int) -> tuple[Any, Any, date]:
    """The city, its 10 districts and 100 teams; volunteers each in one team; the ledger and rollups."""
    from zhiyuan.core.models import User
    from zhiyuan.hours.models import LedgerEntry, WeeklyRollup
    from zhiyuan.organizations.models import Membership, Organization
    from zhiyuan.people.models import Volunteer

    per_volunteer = max(1, ledger_rows // volunteers)
    city = Organization.objects.create(name="基准合规市文明办", kind="office")
    districts = [
        Organization.objects.create(name=f"基准合规区{i}", kind="office", parent=city) for i in range(10)
    ]
    teams = [
        Organization.objects.create(name=f"基准合规队{i}", kind="team", parent=districts[i % 10])
        for i in range(TEAMS)
    ]
    officer = User.objects.create(username="bench-compliance-officer")
    Membership.objects.create(user=officer, organization=city, role="officer")
    recorder = officer.pk
    team0 = teams[0].pk  # teams were created in one go: their ids are consecutive
    assert [t.pk for t in teams] == list(range(team0, team0 + TEAMS))
    with connection.cursor() as cursor:
        if not PG:
            # a throw-away file: no fsync per statement, and room to keep the indexes being built in memory
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA cache_size = -1000000")
        if PG:
            # rows made consistent by construction: skip the per-row deferred foreign-key triggers, which
            # would otherwise cost more than the inserts (a superuser setting; the bench database is ours)
            with contextlib.suppress(DatabaseError):  # not a superuser: the triggers stay, only slower
                cursor.execute("SET session_replication_role = replica")
        _run(
            cursor,
            insert_select(
                User,
                {
                    "password": "'!'",
                    "username": "'bench-c' || " + _text("i"),
                    "full_name": "'基准某' || " + _text("i"),
                    "mobile": "'138' || " + _pad("i", 8),
                    "search": "'jizhunmou' || " + _text("i"),
                },
                _series(volunteers),
            ),
        )
        cursor.execute("SELECT MIN(id) FROM core_user WHERE username LIKE 'bench-c%'")
        user0 = cursor.fetchone()[0] - 1
        _run(
            cursor,
            insert_select(
                Volunteer,
                {
                    "user_id": f"{user0} + i",
                    "number": "'ZYC' || " + _pad("i", 11),
                    "gender": "'male'",
                    "birth_date": "'1990-01-01'",
                    "id_cipher": "'-'",
                    "id_digest": "'bench-' || " + _text("i"),
                    "id_masked": "'4101**********1234'",
                    "home_organization_id": str(city.pk),
                },
                _series(volunteers),
            ),
        )
        _run(
            cursor,
            insert_select(
                Membership,
                {
                    "user_id": f"{user0} + i",
                    "organization_id": f"{team0} + i % {TEAMS}",
                    "role": "'volunteer'",
                },
                _series(volunteers),
            ),
        )
        cursor.execute("SELECT MIN(id) FROM people_volunteer WHERE number LIKE 'ZYC%'")
        volunteer0 = cursor.fetchone()[0] - 1
        chunk = 2_000_000  # keeps each statement's transaction (and SQLite's journal) a sane size
        total = per_volunteer * volunteers
        for first in range(0, total, chunk):
            _run(
                cursor,
                insert_select(
                    LedgerEntry,
                    _ledger_row(f"(i + {first})", per_volunteer, volunteer0, team0, recorder),
                    _series(min(chunk, total - first)),
                ),
            )
        _run(
            cursor,
            insert_select(
                WeeklyRollup,
                {
                    "volunteer_id": "volunteer_id",
                    "week": _monday(f"(seq - 1) / {PER_WEEK}"),
                    "hours": "SUM(hours)",
                },
                "hours_ledgerentry",
                f"GROUP BY volunteer_id, (seq - 1) / {PER_WEEK}",
            ),
        )
        if PG:
            cursor.execute("RESET session_replication_role")
        _run(cursor, "ANALYZE", "analyze")
    weeks = max(1, (per_volunteer + PER_WEEK - 1) // PER_WEEK)
    return officer, city, FIRST_MONDAY + timedelta(weeks=weeks // 2)


def hand_written(city: Any, week: date, quota: Decimal) -> tuple[int, list[tuple[int, Decimal]]]:
    """The same answer straight from SQL: how many members, and who is short, least hours first."""
    members = (
        "FROM people_volunteer v "
        "LEFT JOIN hours_weeklyrollup r ON r.volunteer_id = v.id AND r.week = %s "
        "WHERE v.status <> 'anonymised' AND EXISTS (SELECT 1 FROM organizations_membership m "
        "JOIN organizations_organization o ON o.id = m.organization_id "
        "WHERE m.user_id = v.user_id AND o.path LIKE %s)"
    )
    like = city.path + "%"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {members}", [week, like])
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT v.id, v.number, u.full_name, COALESCE(r.hours, 0) AS h "
            f"{members.replace('FROM people_volunteer v', 'FROM people_volunteer v JOIN core_user u ON u.id = v.user_id')} "
            "AND COALESCE(r.hours, 0) < CAST(%s AS NUMERIC) ORDER BY h, v.number",
            [week, like, quota],
        )
        short = [(row[0], Decimal(str(row[3]))) for row in cursor.fetchall()]
    return total, short


def _human(n: int) -> str:
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= size and n % (size // 10) == 0:
            return f"{n / size:g}{suffix}"
    return str(n)


def cases() -> list[tuple[str, float, float, str]]:
    from bench.rankings import ranking_case
    from zhiyuan.hours.services.compliance import quota_for, unit_compliance
    from zhiyuan.hours.services.ledger import TWO, rollup_differences

    began, cpu = time.perf_counter(), time.process_time()
    officer, city, week = generate(VOLUNTEERS, LEDGER_ROWS)
    generated, cpu = time.perf_counter() - began, time.process_time() - cpu
    print(
        f"# compliance bench: generated {VOLUNTEERS:,} volunteers / {LEDGER_ROWS:,} ledger rows "
        f"on {connection.vendor} in {generated:.0f}s ({cpu:.0f}s of this process's CPU)",
        file=sys.stderr,
        flush=True,
    )
    if VOLUNTEERS <= CHECK_ROLLUPS_UP_TO:
        differences = rollup_differences()
        assert not differences, f"generated rollups disagree with the ledger: {differences[:3]}"

    quota = quota_for(city)
    app = unit_compliance(user=officer, organization=city, week=week)
    total, short = hand_written(city, week, quota)
    app_short = [(r["id"], Decimal(r["hours"]).quantize(TWO)) for r in app.short]
    assert app.total == total == VOLUNTEERS, (app.total, total)
    sql_short = [(vid, h.quantize(TWO)) for vid, h in short]
    assert app_short == sql_short, f"the report and the SQL disagree: {app_short[:3]} {sql_short[:3]}"
    assert 0 < len(short) < total, "the bench week should have some volunteers short and some not"

    def timed(fn: Any) -> float:
        samples = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    value = timed(lambda: unit_compliance(user=officer, organization=city, week=week))
    baseline = timed(lambda: hand_written(city, week, quota))
    scale = f"{_human(VOLUNTEERS)}v_{_human(LEDGER_ROWS)}_{connection.vendor[:6]}"
    weeks = -(-max(1, LEDGER_ROWS // VOLUNTEERS) // PER_WEEK)
    return [
        (f"compliance_week_{scale}_vs_sql", value * 1000, baseline * 1000, "ms"),
        ranking_case(
            officer=officer, city=city, first_monday=FIRST_MONDAY, weeks=weeks, repeat=REPEAT, label=scale
        ),
    ]


def main() -> int:
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        for name, value, baseline, unit in cases():
            print(
                f"{name:40} {value:10.2f}{unit:>2} {baseline:10.2f}{unit:>2} {value / baseline:7.2f}",
                flush=True,
            )
    finally:
        connection.close()
        if _bench_db:
            with psycopg.connect(_admin_url, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{_bench_db}"')
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    raise SystemExit(main())
