import threading
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from tests.people_helpers import bulk_volunteers
from zhiyuan.campaigns.models import Shift, Signup
from zhiyuan.core.errors import Refused
from zhiyuan.hours.models import CheckIn, LedgerEntry
from zhiyuan.hours.services.checkin import checkin_record, poster_token
from zhiyuan.hours.services.ledger import rollup_differences, verify_all


def _shift(world, starts_in_hours=-3, length=6, capacity=1000):
    start = timezone.now().replace(microsecond=0) + timedelta(hours=starts_in_hours)
    return Shift.objects.create(
        organization=world.east_team,
        title="东广场服务",
        starts_at=start,
        ends_at=start + timedelta(hours=length),
        capacity=capacity,
    )


def _book(shift, volunteers):
    Signup.objects.bulk_create([Signup(shift=shift, volunteer=v, status="accepted") for v in volunteers])


@pytest.fixture
def booked(world):
    shift = _shift(world)
    volunteer = bulk_volunteers(world.east, 1, prefix="签到")[0]
    _book(shift, [volunteer])
    return shift, volunteer


def scan(volunteer, shift, kind, key=None, at=None, token=None):
    return checkin_record(
        by=volunteer.user,
        volunteer=volunteer,
        key=key or uuid.uuid4().hex,
        kind=kind,
        token=token or poster_token(shift=shift),
        at=at,
    )


def scan_at(volunteer, shift, kind, when, key=None):
    """The phone is online at `when`: it scans the code the screen shows then, and the server stamps it."""
    with time_machine.travel(when, tick=False):
        return scan(volunteer, shift, kind, key=key)


def test_sign_in_then_out_writes_one_ledger_entry(booked):
    shift, volunteer = booked
    start = timezone.now() - timedelta(hours=2)
    scan_at(volunteer, shift, "in", start, key="a")
    out, new = scan_at(volunteer, shift, "out", start + timedelta(hours=1, minutes=30), key="b")
    assert new and out.ledger_entry.hours == Decimal("1.50") and out.ledger_entry.source == "scan"
    # the phone retries the same sign-out: nothing more is written
    again, new = scan(volunteer, shift, "out", key="b", at=start + timedelta(hours=1, minutes=30))
    assert (again.pk, new) == (out.pk, False) and LedgerEntry.objects.count() == 1


def test_refusals_have_clear_reasons(world, booked):
    shift, volunteer = booked
    with pytest.raises(Refused, match="尚未签到"):
        scan(volunteer, shift, "out")
    scan_at(volunteer, shift, "in", timezone.now() - timedelta(minutes=30))
    with pytest.raises(Refused, match="已签到"):
        scan(volunteer, shift, "in")
    with pytest.raises(Refused, match="过期"):
        scan(
            volunteer, shift, "out", token=poster_token(shift=shift, now=timezone.now() - timedelta(hours=1))
        )
    with pytest.raises(Refused, match="无效"):
        scan(volunteer, shift, "out", token="shift:1:1:forged")
    stranger = bulk_volunteers(world.east, 1, start=50, prefix="未报名")[0]
    with pytest.raises(Refused, match="没有报名"):
        scan(stranger, shift, "in")
    with pytest.raises(Refused, match="时间无效"):  # a phone clock ahead of the server's
        scan(volunteer, shift, "out", at=timezone.now() + timedelta(hours=1))


def test_a_leader_signs_a_group_in_and_out(world, booked):
    shift, volunteer = booked
    start = timezone.now() - timedelta(hours=2)
    checkin_record(by=world.east_officer, volunteer=volunteer, key="g1", kind="in", shift=shift, at=start)
    out, _ = checkin_record(
        by=world.east_officer,
        volunteer=volunteer,
        key="g2",
        kind="out",
        shift=shift,
        at=start + timedelta(hours=2),
    )
    assert (
        out.source == "bulk"
        and out.ledger_entry.source == "bulk"
        and out.ledger_entry.recorded_by == world.east_officer
    )
    from zhiyuan.core.access import PermissionDenied

    with pytest.raises(PermissionDenied):
        checkin_record(by=world.west_officer, volunteer=volunteer, key="g3", kind="in", shift=shift)


def test_an_offline_queue_of_50_scans_synced_three_hours_later_counts_50(world):
    shift = _shift(world, starts_in_hours=-8, length=4)
    volunteers = bulk_volunteers(world.east, 25, prefix="离线")
    _book(shift, volunteers)
    base = shift.starts_at + timedelta(minutes=5)
    queue = []
    for i, v in enumerate(volunteers):  # each phone scanned the screen's code of the moment while offline
        for kind, at in (("in", base + timedelta(minutes=i)), ("out", base + timedelta(hours=2, minutes=i))):
            with time_machine.travel(at, tick=False):
                queue.append((v, kind, f"q{i}-{kind}", at, poster_token(shift=shift)))
    sync = queue[-1][3] + timedelta(hours=3)
    with time_machine.travel(sync, tick=False):
        for _ in range(2):  # the network came back twice
            for v, kind, key, at, token in queue:
                scan(v, shift, kind, key=key, at=at, token=token)
    assert CheckIn.objects.count() == 50 and LedgerEntry.objects.count() == 25
    assert not CheckIn.objects.filter(held=True).exists()
    assert all(e.hours == Decimal("2.00") for e in LedgerEntry.objects.all())
    # credited at the phone's time, shown to a leader because it came so late
    assert CheckIn.objects.filter(flagged__contains="离线扫码").count() == 50
    assert verify_all() == [] and rollup_differences() == []


@pytest.mark.django_db(transaction=True)
def test_1000_concurrent_check_ins_with_30_percent_duplicates_make_one_each(world):
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL; SQLite serialises writers")
    shift = _shift(world)
    volunteers = bulk_volunteers(world.east, 700, prefix="并发签到")
    _book(shift, volunteers)
    token = poster_token(shift=shift)
    requests = [(v, f"k{i}") for i, v in enumerate(volunteers)]
    requests += requests[:300]  # 30% of the 1,000 requests repeat a key already sent
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(40)  # PostgreSQL here allows 100 connections: 40 workers share the 1,000

    def worker() -> None:
        try:
            barrier.wait()
            while True:
                with lock:
                    if not requests:
                        return
                    volunteer, key = requests.pop()
                scan(volunteer, shift, "in", key=key, token=token)
        except BaseException as exc:  # reported below, so a failure in a thread fails the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    assert CheckIn.objects.count() == 700
    assert CheckIn.objects.values("key").distinct().count() == 700


def test_the_poster_and_the_scan_page_and_the_api(world, booked, client):
    shift, volunteer = booked
    client.force_login(world.east_officer)
    page = client.get(f"/app/shifts/{shift.pk}/poster/")
    assert page.status_code == 200 and b"<svg" in page.content
    assert client.get(f"/app/shifts/{shift.pk}/poster.pdf").content.startswith(b"%PDF")
    assert client.get(f"/app/shifts/{shift.pk}/poster.png").status_code == 404
    client.force_login(world.west_officer)
    assert client.get(f"/app/shifts/{shift.pk}/poster/").status_code == 404
    # the volunteer's phone: the page, then the API the page calls
    client.force_login(volunteer.user)
    assert "签到" in client.get("/app/scan/", {"t": poster_token(shift=shift)}).content.decode()
    body = {"key": "phone-key-0001", "kind": "in", "token": poster_token(shift=shift)}
    first = client.post("/api/v1/checkins", body, content_type="application/json")
    again = client.post("/api/v1/checkins", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200) and CheckIn.objects.count() == 1
    bad = client.post("/api/v1/checkins", {**body, "key": "phone-key-0002"}, content_type="application/json")
    assert bad.status_code == 409 and "已签到" in bad.json()["detail"]


# --- station posters and ad-hoc records ---------------------------------------------------------------------


@pytest.fixture
def station(world):
    from zhiyuan.campaigns.models import Campaign, Station

    campaign = Campaign.objects.create(
        title="2019春运志愿服务",
        slug="chunyun-test",
        organizer=world.east,
        starts_on="2019-01-21",
        ends_on="2019-03-01",
    )
    return Station.objects.create(
        name="东广场站", place="郑州东站", responsible_office=world.east, campaign=campaign
    )


def station_scan(volunteer, station, kind, at=None, key=None):
    """Online at `at` (default now): the server's clock is moved there."""
    with time_machine.travel(at or timezone.now(), tick=False):
        return checkin_record(
            by=volunteer.user,
            volunteer=volunteer,
            key=key or uuid.uuid4().hex,
            kind=kind,
            token=poster_token(station=station),
        )


def test_a_station_poster_signs_into_the_shift_booked_there_now(world, station):
    here_now = _shift(world, starts_in_hours=-1, length=4)
    Shift.objects.filter(pk=here_now.pk).update(station=station)
    later = _shift(world, starts_in_hours=5, length=2)  # booked too, but not now
    Shift.objects.filter(pk=later.pk).update(station=station)
    volunteer = bulk_volunteers(world.east, 1, prefix="站点码")[0]
    _book(here_now, [volunteer])
    _book(later, [volunteer])
    start = timezone.now() - timedelta(minutes=50)
    scan_in, _ = station_scan(volunteer, station, "in", at=start)
    out, _ = station_scan(volunteer, station, "out", at=start + timedelta(minutes=45))
    assert scan_in.shift_id == here_now.pk and scan_in.station_id == station.pk
    entry = out.ledger_entry
    assert (entry.shift_id, entry.organization_id, entry.hours) == (
        here_now.pk,
        world.east_team.pk,
        Decimal("0.75"),
    )


def test_without_a_booking_a_station_scan_is_refused_unless_ad_hoc_is_allowed(world, station):
    volunteer = bulk_volunteers(world.east, 1, prefix="临时")[0]
    with pytest.raises(Refused, match="未开放临时签到"):
        station_scan(volunteer, station, "in")
    with pytest.raises(Refused, match="尚未在本站点签到"):
        station_scan(volunteer, station, "out")
    assert CheckIn.objects.count() == 0
    from zhiyuan.campaigns.services.stations import station_set_adhoc

    station = station_set_adhoc(by=world.east_officer, station=station, allow=True)
    start = timezone.now() - timedelta(hours=2)
    scan_in, new = station_scan(volunteer, station, "in", at=start)
    assert new and scan_in.shift_id is None and scan_in.station_id == station.pk
    # a shift poster cannot close an ad-hoc sign-in
    shift = _shift(world)
    _book(shift, [volunteer])
    with pytest.raises(Refused, match="尚未签到"):
        scan(volunteer, shift, "out")
    out, _ = station_scan(volunteer, station, "out", at=start + timedelta(hours=1, minutes=30))
    entry = out.ledger_entry
    assert (
        entry.organization_id == world.east.pk and entry.station_id == station.pk and entry.shift_id is None
    )
    assert entry.activity == "2019春运志愿服务 · 东广场站" and entry.hours == Decimal("1.50")
    assert verify_all() == [] and rollup_differences() == []


def test_the_station_poster_and_the_ad_hoc_switch_are_for_the_stations_operators(world, station, client):
    from tests.factories import MembershipFactory
    from zhiyuan.organizations.roles import Role

    client.force_login(world.east_officer)
    page = client.get(f"/app/stations/{station.pk}/poster/")
    assert page.status_code == 200 and b"<svg" in page.content
    assert client.get(f"/app/stations/{station.pk}/poster.pdf").content.startswith(b"%PDF")
    assert client.get(f"/app/stations/{station.pk}/poster.svg")["Content-Type"] == "image/svg+xml"
    assert "开放临时签到" in client.get(f"/app/stations/{station.pk}/").content.decode()
    assert client.post(f"/app/stations/{station.pk}/adhoc/", {"allow": "1"}).status_code == 302
    station.refresh_from_db()
    assert station.allow_adhoc and station.history.first().history_user == world.east_officer
    client.force_login(world.west_officer)
    assert client.get(f"/app/stations/{station.pk}/poster/").status_code == 404
    assert client.post(f"/app/stations/{station.pk}/adhoc/", {"allow": "0"}).status_code == 404
    onlooker = MembershipFactory(organization=world.east, role=Role.MEMBER).user  # sees the station only
    client.force_login(onlooker)
    assert client.get(f"/app/stations/{station.pk}/poster/").status_code == 403
    assert client.post(f"/app/stations/{station.pk}/adhoc/", {"allow": "0"}).status_code == 403
    station.refresh_from_db()
    assert station.allow_adhoc


def test_a_token_for_a_station_that_is_gone_is_refused(world, station):
    volunteer = bulk_volunteers(world.east, 1, prefix="失效")[0]
    token = poster_token(station=station)
    station.delete()
    with pytest.raises(Refused, match="无效"):
        checkin_record(by=volunteer.user, volunteer=volunteer, key="gone-1", kind="in", token=token)


def test_a_leader_records_for_a_booked_volunteer_through_the_api_scoped(world, booked):
    from tests.conftest import Api

    shift, volunteer = booked
    body = {
        "key": "leader-api-0001",
        "kind": "in",
        "shift_id": shift.pk,
        "volunteer_number": volunteer.number,
    }
    assert Api(world.west_officer).post("/checkins", body).status_code == 404  # not their shift
    stranger = bulk_volunteers(world.east, 1, start=60, prefix="未排班")[0]
    assert (
        Api(world.east_officer).post("/checkins", {**body, "volunteer_number": stranger.number}).status_code
        == 404
    )
    made = Api(world.east_officer).post("/checkins", body)
    assert made.status_code == 201 and CheckIn.objects.get().source == "bulk"
