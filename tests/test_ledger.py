import threading
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.hours.models import AppendOnly, LedgerEntry, WeeklyRollup
from zhiyuan.hours.services.ledger import (
    ledger_append,
    ledger_correct,
    rollup_differences,
    verify_all,
    verify_chain,
    volunteer_total,
    volunteer_week,
)
from zhiyuan.organizations.roles import Role


def _at(days_ago: int, hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def volunteer(world):
    return bulk_volunteers(world.east, 1, prefix="时长")[0]


def credit(world, volunteer, start, end, **kw):
    return ledger_append(
        volunteer=volunteer,
        organization=world.east_team,
        activity="东广场志愿服务",
        starts_at=start,
        ends_at=end,
        source="bulk",
        by=world.east_officer,
        **kw,
    )


def test_entries_chain_and_roll_up(world, volunteer):
    a = credit(world, volunteer, _at(2, 8), _at(2, 12))
    b = credit(world, volunteer, _at(1, 14), _at(1, 16) + timedelta(minutes=30))
    assert (a.seq, b.seq, a.hours, b.hours) == (1, 2, Decimal("4.00"), Decimal("2.50"))
    assert b.prev_hash == a.hash and a.prev_hash == "0" * 64
    assert volunteer_total(volunteer) == Decimal("6.50")
    assert verify_chain(volunteer.pk) is None and rollup_differences() == []


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (_at(1, 10), _at(1, 9), "ends_at"),  # backwards
        (_at(2, 0), _at(1, 1), "ends_at"),  # 25 hours in one go
    ],
)
def test_bad_intervals_are_refused(world, volunteer, start, end, field):
    with pytest.raises(ValidationError) as exc:
        credit(world, volunteer, start, end)
    assert field in exc.value.message_dict
    assert not LedgerEntry.objects.exists()


def test_overlaps_and_late_records_are_refused(world, volunteer):
    credit(world, volunteer, _at(1, 8), _at(1, 12))
    with pytest.raises(ValidationError, match="重叠"):
        credit(world, volunteer, _at(1, 11), _at(1, 13))
    with pytest.raises(ValidationError, match="10个工作日"):
        credit(world, volunteer, _at(40, 8), _at(40, 10))
    # the recording organisation may still enter it through the correction flow
    assert credit(world, volunteer, _at(40, 8), _at(40, 10), late_allowed=True).hours == Decimal("2.00")


def test_corrections_reverse_and_replace_and_nothing_is_edited(world, volunteer):
    entry = credit(world, volunteer, _at(1, 8), _at(1, 12))
    with pytest.raises(ValidationError):
        ledger_correct(by=world.east_officer, entry=entry, reason=" ")
    with pytest.raises(access.PermissionDenied):
        ledger_correct(by=world.west_officer, entry=entry, reason="签退时间有误")
    reversal, replacement = ledger_correct(
        by=world.east_officer,
        entry=entry,
        reason="签退时间有误",
        new_starts_at=_at(1, 8),
        new_ends_at=_at(1, 11),
    )
    assert (reversal.hours, reversal.reverses, replacement.hours) == (
        Decimal("-4.00"),
        entry,
        Decimal("3.00"),
    )
    assert volunteer_total(volunteer) == Decimal("3.00") and rollup_differences() == []
    with pytest.raises(Refused):
        ledger_correct(by=world.east_officer, entry=entry, reason="再次")
    entry.activity = "改写"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    assert LedgerEntry.objects.count() == 3 and verify_all() == []


def test_verify_ledger_finds_a_row_altered_in_the_database(world, volunteer):
    credit(world, volunteer, _at(3, 8), _at(3, 10))
    second = credit(world, volunteer, _at(2, 8), _at(2, 10))
    credit(world, volunteer, _at(1, 8), _at(1, 10))
    call_command("verify_ledger")
    LedgerEntry.objects.filter(pk=second.pk).update(hours=Decimal("20.00"))  # behind the application's back
    broken = verify_all()
    assert [(b.volunteer_id, b.seq) for b in broken] == [(volunteer.pk, 2)]
    with pytest.raises(CommandError):
        call_command("verify_ledger")


def test_a_deleted_row_breaks_the_chain_too(world, volunteer):
    credit(world, volunteer, _at(2, 8), _at(2, 10))
    second = credit(world, volunteer, _at(1, 8), _at(1, 10))
    LedgerEntry.objects.filter(pk=second.pk)._raw_delete(connection.alias)  # bypasses the model's refusal
    assert verify_chain(volunteer.pk) is None  # the tail removed: caught by the rollup check instead
    assert rollup_differences() != []


def test_weekly_rollup_is_the_beijing_week(world, volunteer):
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)
    # 23:30-24:00 Sunday Beijing time is 15:30-16:00 UTC: still last week in Beijing
    sunday_night = timezone.make_aware(datetime(monday.year, monday.month, monday.day, 23, 30)) + timedelta(
        days=6
    )
    credit(world, volunteer, sunday_night, sunday_night + timedelta(minutes=30), late_allowed=True)
    assert WeeklyRollup.objects.get().week == monday
    assert volunteer_week(volunteer, monday + timedelta(days=6)) == Decimal("0.50")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["credit", "correct", "reverse"]), st.integers(0, 20), st.integers(1, 6)),
        min_size=1,
        max_size=25,
    )
)
def test_rollups_always_equal_a_rederivation_from_the_ledger(world, volunteer, steps):
    for action, day, length in steps:
        live = list(LedgerEntry.objects.filter(volunteer=volunteer, kind="credit", reversed_by__isnull=True))
        try:
            if action == "credit" or not live:
                credit(world, volunteer, _at(day + 1, 6), _at(day + 1, 6 + length), late_allowed=True)
            elif action == "correct":
                target = live[day % len(live)]
                ledger_correct(
                    by=world.east_officer,
                    entry=target,
                    reason="更正",
                    new_starts_at=target.starts_at,
                    new_ends_at=target.starts_at + timedelta(hours=length),
                )
            else:
                ledger_correct(by=world.east_officer, entry=live[day % len(live)], reason="撤销")
        except ValidationError:
            pass  # overlaps are refused; the property is about what was accepted
    assert rollup_differences() == []
    assert verify_all() == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises writers with BEGIN IMMEDIATE")
    volunteer = bulk_volunteers(world.east, 1, prefix="并发")[0]
    officer = MembershipFactory(organization=world.east, role=Role.OFFICER).user
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for k in range(5):
                start = _at(1 + n, 0) + timedelta(hours=k * 2)
                ledger_append(
                    volunteer=volunteer,
                    organization=world.east_team,
                    activity="并发",
                    starts_at=start,
                    ends_at=start + timedelta(hours=1),
                    source="scan",
                    by=officer,
                )
        except BaseException as exc:  # reported below, so a failure in a thread fails the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(LedgerEntry.objects.values_list("seq", flat=True)) == list(range(1, 41))
    assert verify_all() == [] and rollup_differences() == []
