"""The living demo: on any date a 春运 and a five-hours campaign are running, four weeks have happened
through the services (shifts, scans, hours, reports) and the ledger verifies."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tests.factories import MembershipFactory
from zhiyuan.campaigns.models import Campaign, Incident, Shift, Signup, Station
from zhiyuan.campaigns.services.schedule import campaign_move
from zhiyuan.core import holidays
from zhiyuan.hours.models import CheckIn, LedgerEntry, SelfReport
from zhiyuan.hours.services.ledger import rollup_differences, verify_all
from zhiyuan.organizations.roles import Role
from zhiyuan.reporting.models import Submission
from zhiyuan.seeds.loader import load_seeds


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Shift, Signup, CheckIn, LedgerEntry, Submission, Incident))


@pytest.mark.parametrize("today", [date(2027, 2, 1), date(2026, 7, 20)])
def test_the_demo_is_alive_on_the_date_it_is_built_for(db, today):
    # when the demo is built around a day in 春运 2027 and one in July, when no 春运 runs
    call_command("load_demo", today=today.isoformat(), size="small", verbosity=0)
    # then both seeds stay the record of 2019, and a clone of each runs on that day
    for slug in ("chunyun-2019", "five-hours-2019"):
        source = Campaign.objects.get(slug=slug)
        assert source.starts_on.year == 2019
        running = Campaign.objects.get(cloned_from=source)
        assert running.starts_on <= today <= running.ends_on
        assert running.phases.exists()
    # the past days have happened: scans in and out with their ledger entries, most volunteers came
    past = Shift.objects.filter(title__endswith="（演示）", ends_at__lt=_noon(today))
    assert past.count() > 20
    assert LedgerEntry.objects.filter(shift__in=past).count() > 40
    assert Signup.objects.filter(status=Signup.Status.WAITLISTED).exists()
    assert Shift.objects.filter(title__endswith="（演示）", starts_at__gt=_noon(today)).exists()
    assert SelfReport.objects.filter(status=SelfReport.Status.APPROVED).exists()
    assert SelfReport.objects.filter(status=SelfReport.Status.PENDING).exists()
    # reports on time and late, some returned; incidents open and resolved
    assert (
        Submission.objects.filter(on_time=True).exists() and Submission.objects.filter(on_time=False).exists()
    )
    assert set(Incident.objects.values_list("status", flat=True)) >= {"open", "resolved"}
    # every living station can be found by distance and called
    living = Station.objects.filter(campaign__cloned_from__isnull=False)
    assert not living.filter(latitude=None).exists() and not living.filter(hotline="").exists()
    assert verify_all() == [] and rollup_differences() == []
    # and building it again changes nothing
    before = _counts()
    call_command("load_demo", today=today.isoformat(), size="small", verbosity=0)
    assert _counts() == before


def _noon(day: date):
    from zhiyuan.seeds.demo_clock import beijing

    return beijing(day, 12)


def test_moving_a_campaign_moves_its_phases_rotation_and_due_dates(db):
    load_seeds()
    campaign = Campaign.objects.get(slug="chunyun-2019")
    officer = MembershipFactory(organization=campaign.organizer, role=Role.OFFICER).user
    first_duty = campaign.duties.order_by("date").first()
    campaign_move(by=officer, campaign=campaign, days=10)
    campaign.refresh_from_db()
    assert campaign.starts_on == date(2019, 1, 31)
    assert campaign.phases.order_by("starts_on").first().starts_on == date(2019, 1, 31)
    first_duty.refresh_from_db()
    assert first_duty.date == date(2019, 2, 3)
    assert campaign.report_rules.filter(title="春运活动总结").get().due_at.date() == date(2019, 3, 11)


def test_a_campaign_with_shifts_is_not_moved(db, world):
    load_seeds()
    campaign = Campaign.objects.get(slug="five-hours-2019")
    officer = MembershipFactory(organization=campaign.organizer, role=Role.OFFICER).user
    Shift.objects.create(
        campaign=campaign,
        organization=campaign.organizer,
        title="x",
        starts_at=_noon(date(2019, 8, 1)),
        ends_at=_noon(date(2019, 8, 2)),
        capacity=1,
    )
    with pytest.raises(ValidationError):
        campaign_move(by=officer, campaign=campaign, days=3)


def test_working_days_counted_from_one_read_of_the_calendar(db):
    # 10 working days after 2026-09-28 skip the 国庆 holiday (10/1–10/8) and its 调休 Sunday
    for start in (date(2026, 9, 28), date(2026, 2, 10), date(2026, 12, 24)):
        day, left = start, 10
        while left:
            day += timedelta(days=1)
            left -= holidays.is_working_day(day)
        assert holidays.add_working_days(start, 10) == day
