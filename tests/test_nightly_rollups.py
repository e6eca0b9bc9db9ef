"""The nightly re-derivation of the weekly rollups: a difference is reported, never silently fixed."""

import logging
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import MembershipFactory, UserFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.hours.models import WeeklyRollup
from zhiyuan.hours.services.ledger import ledger_append
from zhiyuan.hours.tasks import nightly_rollup_check, platform_admins
from zhiyuan.organizations.roles import Role


def _at(days_ago: int, hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def credited(world):
    volunteer = bulk_volunteers(world.east, 1, prefix="夜间")[0]
    for hour in (8, 11):  # one day, so one rollup row
        ledger_append(
            volunteer=volunteer,
            organization=world.east_team,
            activity="东广场志愿服务",
            starts_at=_at(1, hour),
            ends_at=_at(1, hour + 2),
            source="bulk",
            by=world.east_officer,
        )
    return volunteer


def test_matching_rollups_raise_no_alarm(world, credited, caplog):
    from zhiyuan.notifications.models import Notification

    assert nightly_rollup_check.call() == 0
    assert not Notification.objects.exists()
    call_command("verify_ledger", "--rollups")


def test_a_rollup_altered_in_the_database_is_reported_to_the_platform_admins(world, credited, caplog):
    platform = MembershipFactory(organization=world.city, role=Role.ADMIN).user
    UserFactory(is_superuser=True, is_active=False)  # a retired account is not woken up
    row = WeeklyRollup.objects.get(volunteer=credited)
    WeeklyRollup.objects.filter(pk=row.pk).update(hours=Decimal("40.00"))  # behind the services' back
    with caplog.at_level(logging.INFO):
        assert nightly_rollup_check.call() == 1
    from zhiyuan.notifications.models import Notification

    told = list(Notification.objects.values_list("user_id", "body"))
    assert set(platform_admins()) == {world.admin, platform}
    assert {user for user, _ in told} == {world.admin.pk, platform.pk}
    for _user, message in told:
        assert (
            f"志愿者 {credited.pk}" in message
            and "汇总 40.00 小时" in message
            and "合计 4.00 小时" in message
        )
    assert any(r.levelno == logging.ERROR and r.name == "zhiyuan.hours.tasks" for r in caplog.records)
    assert WeeklyRollup.objects.get(pk=row.pk).hours == Decimal("40.00")  # not silently repaired
    with pytest.raises(CommandError, match="1 rollup difference"):
        call_command("verify_ledger", "--rollups")
    call_command("verify_ledger", "--chains")  # the chains themselves are intact


def test_a_missing_rollup_row_is_a_difference_too(world, credited):
    WeeklyRollup.objects.filter(volunteer=credited).delete()
    assert nightly_rollup_check.call() == 1


def test_the_task_can_be_enqueued(world, credited, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    result = nightly_rollup_check.enqueue()
    assert result.return_value == 0
