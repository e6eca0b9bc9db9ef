"""Builders for the portal and outreach tests (no tests here): a running campaign, stations with coordinates, a staffed
shift, published channels, donations and venues."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from tests.people_helpers import bulk_volunteers
from zhiyuan.campaigns.models import Campaign, Phase, Shift, Station
from zhiyuan.hours.models import CheckIn
from zhiyuan.outreach.models import Channel, TicketDonation, Venue


def running_campaign(world, slug: str = "chunyun-test") -> Campaign:
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        slug=slug,
        title="春运期间关爱外来务工人员志愿服务活动",
        theme="温暖回乡路，共铸留守情。",
        organizer=world.city,
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=30),
    )
    Phase.objects.create(
        campaign=campaign,
        kind="implement",
        name="实施阶段",
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
    )
    return campaign


def station_at(world, campaign, name: str, lat: str | None, lng: str | None, office=None, **extra) -> Station:
    return Station.objects.create(
        campaign=campaign,
        name=name,
        place=name,
        responsible_office=office or world.east,
        latitude=Decimal(lat) if lat else None,
        longitude=Decimal(lng) if lng else None,
        hotline=extra.pop("hotline", "0371-12345678"),
        opening_hours=extra.pop("opening_hours", "8:00-20:00"),
        address=extra.pop("address", f"{name}广场"),
        services=extra.pop("services", ["information", "hot_water"]),
        **extra,
    )


def staff_now(world, station: Station, signed_out: bool = False, n: int = 0) -> Shift:
    """A shift in progress at the station with one volunteer signed in (and out again if asked)."""
    now = timezone.now()
    shift = Shift.objects.create(
        organization=world.east_team,
        station=station,
        title="值守",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=3),
        capacity=5,
    )
    volunteer = bulk_volunteers(
        world.east, 1, start=9000 + station.pk * 10 + n, prefix=f"岗{station.pk}-{n}"
    )[0]
    first = CheckIn.objects.create(
        key=f"in-{shift.pk}",
        volunteer=volunteer,
        kind="in",
        shift=shift,
        station=station,
        at=now - timedelta(minutes=50),
        recorded_by=world.admin,
    )
    if signed_out:
        CheckIn.objects.create(
            key=f"out-{shift.pk}",
            volunteer=volunteer,
            kind="out",
            shift=shift,
            station=station,
            at=now - timedelta(minutes=5),
            recorded_by=world.admin,
            paired_with=first,
        )
    return shift


def hotline(world, campaign=None, name: str = "春运服务热线", value: str = "0371-67186891") -> Channel:
    return Channel.objects.create(
        organization=world.city, campaign=campaign, kind="hotline", name=name, value=value, published=True
    )


def donation(world, campaign, quantity: int = 30, **extra) -> TicketDonation:
    values = {
        "organization": world.east,
        "donor": "郑州市动物园（演示）",
        "supervisor": "市园林局",
        "quantity": quantity,
        "requirements": "提供身份证复印件",
        "claim_time": "工作日 9:00-17:00",
        "claim_place": "动物园北门售票处",
        "contact": "王某 0371-60000000",
        "title": "动物园门票",
        "published": True,
        "per_claim_limit": 4,
    }
    values.update(extra)
    return TicketDonation.objects.create(campaign=campaign, **values)


def venue(world, **extra) -> Venue:
    values = {
        "organization": world.east,
        "name": "郑州博物馆（演示）",
        "kind": "museum",
        "address": "嵩山南路168号",
        "phone": "0371-60000001",
        "guided_tours": True,
        "published": True,
        "max_group_size": 60,
    }
    values.update(extra)
    return Venue.objects.create(**values)
