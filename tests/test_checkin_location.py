"""Location sanity on scans: flagged for review when far from the station, never refused; a position
without the volunteer's separate location consent is not stored at all."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import Api
from tests.people_helpers import bulk_volunteers
from zhiyuan.campaigns.models import Shift, Signup, Station
from zhiyuan.hours.models import CheckIn
from zhiyuan.hours.services.checkin import checkin_record, poster_token
from zhiyuan.hours.services.checkin_location import distance_label, distance_m
from zhiyuan.people.models import Consent, ConsentKind

EAST_SQUARE = (34.757700, 113.774500)  # 郑州东站东广场
ABOUT_1200_M_NORTH = (EAST_SQUARE[0] + 0.0108, EAST_SQUARE[1])
ABOUT_100_M_NORTH = (EAST_SQUARE[0] + 0.0009, EAST_SQUARE[1])


@pytest.fixture
def station(world):
    return Station.objects.create(
        name="东广场站",
        place="郑州东站",
        responsible_office=world.east,
        latitude=Decimal(str(EAST_SQUARE[0])),
        longitude=Decimal(str(EAST_SQUARE[1])),
    )


@pytest.fixture
def booked(world, station):
    start = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    shift = Shift.objects.create(
        organization=world.east_team,
        station=station,
        title="东广场引导",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        capacity=10,
    )
    volunteer = bulk_volunteers(world.east, 1, prefix="位置")[0]
    Signup.objects.create(shift=shift, volunteer=volunteer, status="accepted")
    return shift, volunteer


def consent(volunteer, withdrawn=False):
    return Consent.objects.create(
        volunteer=volunteer,
        kind=ConsentKind.LOCATION,
        version="2026-11",
        withdrawn_at=timezone.now() if withdrawn else None,
    )


def scan_at(volunteer, shift, position, kind="in"):
    return checkin_record(
        by=volunteer.user,
        volunteer=volunteer,
        key=uuid.uuid4().hex,
        kind=kind,
        token=poster_token(shift=shift),
        latitude=position[0],
        longitude=position[1],
    )


def test_haversine_gives_known_distances():
    beijing, shanghai = (39.9042, 116.4074), (31.2304, 121.4737)
    assert 1060_000 < distance_m(*beijing, *shanghai) < 1075_000
    assert round(distance_m(*EAST_SQUARE, *ABOUT_1200_M_NORTH)) == pytest.approx(1201, abs=2)
    assert distance_label(1201) == "约 1.2 公里" and distance_label(87.4) == "约 87 米"


def test_a_far_scan_with_consent_is_flagged_not_refused(booked):
    shift, volunteer = booked
    consent(volunteer)
    scan, new = scan_at(volunteer, shift, ABOUT_1200_M_NORTH)
    assert new and scan.flagged == "距站点约 1.2 公里，待核查" and scan.needs_review
    assert scan.latitude == Decimal("34.768500") and scan.longitude == Decimal("113.774500")


def test_a_near_scan_with_consent_keeps_the_position_and_no_flag(booked):
    shift, volunteer = booked
    consent(volunteer)
    scan, _ = scan_at(volunteer, shift, ABOUT_100_M_NORTH)
    assert scan.flagged == "" and scan.latitude is not None


@pytest.mark.parametrize("withdrawn", [None, True], ids=["never-given", "withdrawn"])
def test_without_the_location_consent_the_position_is_not_stored(booked, withdrawn):
    shift, volunteer = booked
    if withdrawn:
        consent(volunteer, withdrawn=True)
    scan, new = scan_at(volunteer, shift, ABOUT_1200_M_NORTH)
    stored = CheckIn.objects.get(pk=scan.pk)
    assert new and (stored.latitude, stored.longitude, stored.flagged) == (None, None, "")


def test_the_threshold_is_a_setting(booked, settings):
    settings.ZHIYUAN_CHECKIN_MAX_DISTANCE_M = 2000
    shift, volunteer = booked
    consent(volunteer)
    assert scan_at(volunteer, shift, ABOUT_1200_M_NORTH)[0].flagged == ""


def test_a_station_without_coordinates_flags_nothing(booked, station):
    Station.objects.filter(pk=station.pk).update(latitude=None, longitude=None)
    shift, volunteer = booked
    consent(volunteer)
    scan, _ = scan_at(volunteer, Shift.objects.get(pk=shift.pk), ABOUT_1200_M_NORTH)
    assert scan.flagged == "" and scan.latitude is not None


def test_a_leaders_entry_never_carries_a_position(world, booked):
    shift, volunteer = booked
    consent(volunteer)
    scan, _ = checkin_record(
        by=world.east_officer,
        volunteer=volunteer,
        key="leader-entry-1",
        kind="in",
        shift=shift,
        latitude=ABOUT_1200_M_NORTH[0],
        longitude=ABOUT_1200_M_NORTH[1],
    )
    assert (scan.latitude, scan.flagged) == (None, "")


def test_bad_positions_are_refused_with_every_reason(booked):
    shift, volunteer = booked
    consent(volunteer)
    with pytest.raises(ValidationError) as caught:
        checkin_record(
            by=volunteer.user,
            volunteer=volunteer,
            key="bad-position-1",
            kind="in",
            token=poster_token(shift=shift),
            latitude=95.0,
            longitude=None,
        )
    assert set(caught.value.message_dict) == {"latitude", "longitude"}
    assert "纬度须在 -90 到 90 之间。" in caught.value.message_dict["latitude"]
    body = {"key": "bad-position-2", "kind": "in", "token": poster_token(shift=shift)}
    answer = Api(volunteer.user).post("/checkins", {**body, "latitude": 34.7, "longitude": 200})
    assert answer.status_code == 422
    assert answer.json()["detail"][0] == {
        "loc": ["body", "longitude"],
        "msg": "经度须在 -180 到 180 之间。",
        "type": "value_error",
    }
    assert CheckIn.objects.count() == 0
    ok = Api(volunteer.user).post("/checkins", {**body, "latitude": 34.7685, "longitude": 113.7745})
    assert ok.status_code == 201 and CheckIn.objects.get().needs_review


def test_the_scan_page_asks_for_a_position_only_with_consent(booked, client):
    shift, volunteer = booked
    client.force_login(volunteer.user)
    url = f"/app/scan/?t={poster_token(shift=shift)}"
    assert 'data-locate="1"' not in client.get(url).content.decode()
    consent(volunteer)
    assert 'data-locate="1"' in client.get(url).content.decode()
