"""The operations board and the staffing-gap forecast: what a 文明办 sees of its stations now."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.campaigns.models import Campaign, Consumable, Incident, Shift, Signup, Station, StationLink
from zhiyuan.hours.services.checkin import checkin_record, poster_token
from zhiyuan.notifications.models import Notification
from zhiyuan.ops.jobs import staffing_gaps_notify
from zhiyuan.ops.selectors.forecast import forecast
from zhiyuan.organizations.roles import Role


@pytest.fixture
def campaign(world):
    today = timezone.localdate()
    return Campaign.objects.create(
        title="春运志愿服务（测试）",
        slug="chunyun-live",
        organizer=world.east,
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=20),
    )


def _stations(world, campaign, n, start=0):
    made = Station.objects.bulk_create(
        Station(name=f"站点{start + i}", place="郑州东站", responsible_office=world.east, campaign=campaign)
        for i in range(n)
    )
    StationLink.objects.bulk_create(StationLink(station=s, team=world.east_team) for s in made)
    return made


def _busy(world, stations):
    """Each station: a shift running now with one volunteer signed in, an incident, low stock, and a shift
    tomorrow below its minimum."""
    now = timezone.now().replace(microsecond=0)
    volunteers = bulk_volunteers(
        world.east, len(stations), start=len(stations) * 7, prefix=uuid.uuid4().hex[:4]
    )
    for station, volunteer in zip(stations, volunteers, strict=True):
        shift = Shift.objects.create(
            organization=world.east_team,
            station=station,
            campaign=station.campaign,
            title="早班",
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=3),
            capacity=3,
            minimum=2,
        )
        Signup.objects.create(shift=shift, volunteer=volunteer, status="accepted")
        checkin_record(
            by=volunteer.user,
            volunteer=volunteer,
            key=uuid.uuid4().hex,
            kind="in",
            token=poster_token(shift=shift),
        )
        Shift.objects.create(
            organization=world.east_team,
            station=station,
            campaign=station.campaign,
            title="明日早班",
            starts_at=now + timedelta(hours=20),
            ends_at=now + timedelta(hours=24),
            capacity=3,
            minimum=2,
        )
        Incident.objects.create(
            station=station, kind="走失", description="测试", reported_by=world.east_officer
        )
        Consumable.objects.create(station=station, name="热水杯", quantity=3, low_threshold=10)


def test_the_board_shows_each_station_now(world, campaign, api_as):
    stations = _stations(world, campaign, 2)
    _busy(world, stations[:1])
    body = api_as(world.east_officer).get("/ops/board").json()
    assert body["count"] == 2
    first = next(s for s in body["items"] if s["id"] == stations[0].pk)
    assert (first["staffed"], first["needed"], first["short"]) == (1, 2, True)
    assert first["incidents"] == 1 and first["low_stock"] == ["热水杯 3个"]
    # the office manages the team: it sees the full phone number
    assert re.fullmatch(r"\d{11}", first["on_duty"][0]["phone"])
    assert [g["title"] for g in body["gaps"]] == ["明日早班"]
    # the other office sees none of it
    assert api_as(world.west_officer).get("/ops/board").json()["count"] == 0


def test_a_viewer_without_volunteer_rights_sees_masked_phones(world, campaign, api_as):
    _busy(world, _stations(world, campaign, 1))
    liaison = MembershipFactory(organization=world.east, role=Role.LIAISON).user
    viewer = MembershipFactory(organization=world.east, role=Role.MEMBER).user
    for user in (liaison, viewer):
        body = api_as(user).get("/ops/board").json()
        if body["count"]:
            assert "****" in body["items"][0]["on_duty"][0]["phone"]


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/app/ops/panel/").status_code == 200
    return len(ctx.captured_queries)


def test_the_board_costs_the_same_at_10_and_1000_stations(world, campaign, client):
    small = _stations(world, campaign, 10)
    _busy(world, small[:3])
    client.force_login(world.east_officer)
    at_10 = _queries(client)
    big = _stations(world, campaign, 990, start=10)
    _busy(world, big[:5])
    at_1000 = _queries(client)
    assert at_1000 == at_10


def test_the_board_page_polls_and_has_no_inline_script(world, campaign, client):
    _busy(world, _stations(world, campaign, 1))
    client.force_login(world.east_officer)
    page = client.get("/app/ops/").content.decode()
    assert 'hx-get="/app/ops/panel/"' in page and 'hx-trigger="every 15s"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) and " onclick=" not in page
    assert "站点0" in page
    assert client.get("/app/ops/dashboard/").status_code == 200
    assert client.get("/app/ops/forecast/").status_code == 200


def test_the_forecast_finds_a_gap_from_the_teams_show_up_rate_and_tells_its_leader(world, campaign, api_as):
    (station,) = _stations(world, campaign, 1)
    now = timezone.now().replace(microsecond=0)
    crew = bulk_volunteers(world.east, 4, start=900, prefix="缺口")
    # given last week's shift: four booked, two came (a rate of 0.5)
    past = Shift.objects.create(
        organization=world.east_team,
        station=station,
        campaign=campaign,
        title="上周班",
        starts_at=now - timedelta(days=7),
        ends_at=now - timedelta(days=7, hours=-4),
        capacity=4,
    )
    Signup.objects.bulk_create(Signup(shift=past, volunteer=v, status="accepted") for v in crew)
    from zhiyuan.hours.models import CheckIn

    CheckIn.objects.bulk_create(
        CheckIn(
            key=uuid.uuid4().hex,
            volunteer=v,
            kind="in",
            shift=past,
            station=station,
            at=past.starts_at,
            recorded_by=world.east_officer,
        )
        for v in crew[:2]
    )
    # and a shift in three days with four accepted and a minimum of three
    ahead = Shift.objects.create(
        organization=world.east_team,
        station=station,
        campaign=campaign,
        title="三天后",
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=3, hours=4),
        capacity=4,
        minimum=3,
        accepted_count=4,
    )
    (gap,) = forecast(user=world.east_officer)
    # then only two are expected: a gap, with the linked team as the one to fill it
    assert (gap.accepted, gap.expected, gap.minimum, gap.short_by) == (4, 2.0, 3, 1.0)
    assert [t.name for t in gap.teams] == [world.east_team.name] and gap.teams[0].rate == 0.5
    assert api_as(world.east_officer).get("/ops/forecast").json()["count"] == 1
    # the team's leader is told once, however often the job runs
    leader = MembershipFactory(organization=world.east_team, role=Role.LEADER).user
    staffing_gaps_notify()
    staffing_gaps_notify()
    told = Notification.objects.filter(user=leader)
    assert told.count() == 1 and told.get().url == "/app/ops/forecast/"
    assert ahead.station_id == station.pk
