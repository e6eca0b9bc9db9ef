"""Posters that work on paper: a printed code proves the place for the whole campaign; a live kiosk code is
useless a quarter of an hour after it was shown."""

import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.conftest import Api
from tests.people_helpers import bulk_volunteers
from zhiyuan.campaigns.models import Campaign, Shift, Signup, Station
from zhiyuan.hours.models import CheckIn, LedgerEntry
from zhiyuan.hours.services.checkin import checkin_record

BJ = ZoneInfo("Asia/Shanghai")


def bj(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BJ)


@pytest.fixture
def setting(world):
    """A campaign running this week, a station in it, and a volunteer booked there tomorrow 09:00–11:00."""
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="春运志愿服务",
        slug="chunyun-poster",
        organizer=world.east,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=6),
    )
    station = Station.objects.create(
        name="东广场站", place="郑州东站", responsible_office=world.east, campaign=campaign
    )
    tomorrow = today + timedelta(days=1)
    shift = Shift.objects.create(
        organization=world.east_team,
        campaign=campaign,
        station=station,
        title="东广场引导",
        starts_at=bj(tomorrow, 9),
        ends_at=bj(tomorrow, 11),
        capacity=10,
    )
    volunteer = bulk_volunteers(world.east, 1, prefix="海报")[0]
    Signup.objects.create(shift=shift, volunteer=volunteer, status="accepted")
    return campaign, station, shift, volunteer


def _scan(volunteer, code, kind, at=None, key=None):
    return checkin_record(
        by=volunteer.user, volunteer=volunteer, key=key or uuid.uuid4().hex, kind=kind, token=code, at=at
    )


def test_a_station_poster_printed_today_signs_people_in_tomorrow(world, setting, settings):
    campaign, station, shift, volunteer = setting
    settings.ZHIYUAN_SITE_URL = "https://zy.example.cn"
    # given the station's poster printed today
    printed = Api(world.east_officer).get(f"/stations/{station.pk}/poster").json()
    assert printed["url"] == f"https://zy.example.cn/app/scan/?t={printed['code']}"
    until = datetime.fromisoformat(printed["valid_until"])
    assert until == bj(campaign.ends_on + timedelta(days=1), 0)  # the campaign's last day included
    # when the volunteer scans it tomorrow on arrival and on leaving
    with time_machine.travel(bj(shift.starts_at.astimezone(BJ).date(), 8, 50), tick=False):
        scan_in, _new = _scan(volunteer, printed["code"], "in")
    with time_machine.travel(bj(shift.starts_at.astimezone(BJ).date(), 11, 5), tick=False):
        out, _new = _scan(volunteer, printed["code"], "out")
    # then the shift booked there is credited, within its own hours
    assert scan_in.shift_id == shift.pk and not scan_in.held
    assert out.ledger_entry.hours == Decimal("2.00") and out.ledger_entry.shift_id == shift.pk


def test_an_offline_scan_queued_twenty_minutes_ago_is_accepted(world, setting):
    _campaign, _station, shift, volunteer = setting
    code = Api(world.east_officer).get(f"/shifts/{shift.pk}/poster").json()["code"]
    scanned = shift.starts_at + timedelta(minutes=2)
    with time_machine.travel(scanned + timedelta(minutes=20), tick=False):  # synced twenty minutes later
        scan, new = _scan(volunteer, code, "in", at=scanned)
    assert new and scan.at == scanned and not scan.held and scan.flagged == ""


def test_reprinting_revokes_the_old_poster_from_that_moment(world, setting):
    _campaign, _station, shift, volunteer = setting
    api = Api(world.east_officer)
    old = api.get(f"/shifts/{shift.pk}/poster").json()["code"]
    assert api.get(f"/shifts/{shift.pk}/poster").json()["code"] == old  # looking again changes nothing
    with time_machine.travel(shift.starts_at + timedelta(minutes=30), tick=False):
        client = Client()
        client.force_login(world.east_officer)
        assert client.post(f"/app/shifts/{shift.pk}/poster/reprint/").status_code == 302
    new = api.get(f"/shifts/{shift.pk}/poster").json()["code"]
    assert new != old
    # a scan made with the old poster before the reprint still counts when it syncs later …
    with time_machine.travel(shift.starts_at + timedelta(hours=1), tick=False):
        before, _new = _scan(volunteer, old, "in", at=shift.starts_at + timedelta(minutes=5))
        assert not before.held
        # … one made after it is refused online, with the reason
        with pytest.raises(Exception, match="作废"):
            _scan(volunteer, old, "out")
        out, _new = _scan(volunteer, new, "out")
    assert out.ledger_entry is not None


def test_a_screenshot_of_the_live_kiosk_code_is_refused_fifteen_minutes_later(world, setting):
    _campaign, _station, shift, volunteer = setting
    shown = shift.starts_at + timedelta(minutes=1)
    with time_machine.travel(shown, tick=False):
        live = Api(world.east_officer).get(f"/shifts/{shift.pk}/kiosk").json()
    assert datetime.fromisoformat(live["valid_until"]) - shown <= timedelta(minutes=20)
    with time_machine.travel(shown + timedelta(minutes=16), tick=False):
        refused = Api(volunteer.user).post(
            "/checkins", {"key": uuid.uuid4().hex, "kind": "in", "token": live["code"]}
        )
    assert refused.status_code == 409 and "过期" in refused.json()["detail"]
    with time_machine.travel(shown + timedelta(minutes=3), tick=False):
        made = Api(volunteer.user).post(
            "/checkins", {"key": uuid.uuid4().hex, "kind": "in", "token": live["code"]}
        )
    assert made.status_code == 201 and made.json()["status"] == "signed_in"
    assert made.json()["shift_title"] == "东广场引导" and made.json()["station_name"] == "东广场站"


def test_poster_pages_carry_no_inline_script_and_are_for_the_shifts_leaders(world, setting):
    _campaign, station, shift, volunteer = setting
    client = Client()
    client.force_login(world.east_officer)
    for url in (
        f"/app/shifts/{shift.pk}/poster/",
        f"/app/shifts/{shift.pk}/kiosk/",
        f"/app/stations/{station.pk}/poster/",
    ):
        html = client.get(url).content.decode()
        assert "<svg" in html and "onclick" not in html and "<script>" not in html, url
    assert "长期有效" in client.get(f"/app/shifts/{shift.pk}/poster/").content.decode()
    assert "每5分钟" in client.get(f"/app/shifts/{shift.pk}/kiosk/").content.decode()
    client.force_login(volunteer.user)
    assert client.get(f"/app/shifts/{shift.pk}/kiosk/").status_code in (403, 404)
    assert Api(volunteer.user).get(f"/shifts/{shift.pk}/poster").status_code in (403, 404)
    assert Api(world.west_officer).get(f"/stations/{station.pk}/poster").status_code == 404
    assert not CheckIn.objects.exists() and not LedgerEntry.objects.exists()
