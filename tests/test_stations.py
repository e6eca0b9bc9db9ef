"""“文明使者” stations: who sees and runs them, stock that never goes negative, the 六有一落实 checklist, the
工作台账, and the API over all of it (scope, strict input, what a list costs)."""

import threading
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tests.factories import MembershipFactory, OrganizationFactory
from tests.test_images import jpeg, png_with_gps, upload
from zhiyuan.campaigns.models import (
    Campaign,
    Consumable,
    Duty,
    Incident,
    ServiceGiven,
    Shift,
    StandardCheck,
    StandardItem,
    Station,
    StationLink,
    StockMovement,
)
from zhiyuan.campaigns.selectors import stations as selectors
from zhiyuan.campaigns.services import emergency as emergency_services
from zhiyuan.campaigns.services import stations as services
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.organizations.models import Kind
from zhiyuan.organizations.roles import Role

ALL_ITEMS = StandardItem.values


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


# --- helpers shared by the station, page and emergency tests ----------------------------------------------


def make_station(world, office=None, teams=None, **fields) -> Station:
    """郑州火车站东广场 as attachment 1 lists it: run by the east office, served by the east team."""
    data = dict(
        name="郑州火车站东广场“文明使者”志愿服务站",
        place="郑州火车站",
        sub_location="东广场",
        points=2,
        hotline="0371-67186891",
        services=["information", "hot_water", "medicine"],
        opening_hours="每天 8:00-20:00",
    )
    data.update(fields)
    office = office or world.east
    return services.station_create(
        by=world.admin, responsible_office=office, teams=[world.east_team] if teams is None else teams, **data
    )


def leader_of(team):
    return MembershipFactory(organization=team, role=Role.LEADER).user


def member_of(team):
    return MembershipFactory(organization=team, role=Role.VOLUNTEER).user


def stocked(station, by, name="热水杯", quantity=20, low_threshold=5) -> Consumable:
    return services.consumable_create(
        by=by, station=station, name=name, unit="个", quantity=quantity, low_threshold=low_threshold
    )


def meet_all(station, by, except_=()):
    for item in ALL_ITEMS:
        if item not in except_:
            services.standard_check_set(by=by, station=station, item=item, met=True)


def campaign(world) -> Campaign:
    return Campaign.objects.create(
        slug="chunyun-2027",
        title="2027年春运“温暖回乡路”",
        organizer=world.city,
        starts_on=date(2027, 1, 10),
        ends_on=date(2027, 2, 18),
    )


def bulk_stations(world, count: int) -> list[Station]:
    """`count` stations in a handful of queries, each with a team, a low consumable and a met item."""
    made = Station.objects.bulk_create(
        Station(name=f"站点{i:04d}", place="郑州火车站", responsible_office=world.east) for i in range(count)
    )
    StationLink.objects.bulk_create(StationLink(station=s, team=world.east_team) for s in made)
    Consumable.objects.bulk_create(Consumable(station=s, name="热水杯", quantity=1) for s in made)
    StandardCheck.objects.bulk_create(StandardCheck(station=s, item="sign", met=True) for s in made)
    return made


@pytest.fixture
def station(world):
    return make_station(world)


# --- the station -----------------------------------------------------------------------------------------


def test_a_station_keeps_attachment_1_with_its_linked_teams_in_order(world):
    fire = OrganizationFactory(name="消防志愿服务支队", kind=Kind.BRIGADE, parent=world.east)
    s = make_station(world, teams=[world.east_team, fire], hotline="12345")
    assert [t.name for t in selectors.linked_teams(s)] == [world.east_team.name, "消防志愿服务支队"]
    assert (s.place, s.sub_location, s.points, s.hotline) == ("郑州火车站", "东广场", 2, "12345")
    assert s.history.first().history_user == world.admin
    services.station_update(by=world.east_officer, station=s, teams=[fire], hotline="0371 6718 6891")
    s.refresh_from_db()
    assert [t.name for t in selectors.linked_teams(s)] == ["消防志愿服务支队"]
    assert s.hotline == "0371-67186891"


def test_every_bad_field_is_reported_at_once_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as caught:
        services.station_create(
            by=world.east_officer,
            responsible_office=world.east,
            name=" ",
            place="",
            points=0,
            hotline="abc",
            latitude="34.75",
            services=["hot_water", "karaoke"],
            teams=[world.west_team, world.east],
        )
    errors = caught.value.message_dict
    assert set(errors) == {"name", "place", "points", "hotline", "longitude", "services", "teams"}
    assert errors["services"] == ["未知服务项目：karaoke"]
    assert errors["longitude"] == ["经纬度须同时填写。"]
    assert errors["teams"] == ["所选队伍不存在。", "“郑东新区文明办”不是志愿服务支队、中队或服务队。"]
    assert not Station.objects.exists()


def test_a_station_is_seen_through_its_office_its_linked_teams_and_its_emergency_team(world, station):
    # the west officer does not see an east station …
    assert not selectors.station_list(user=world.west_officer).exists()
    # … until a west team serves there, and then only sees it, without managing it
    StationLink.objects.create(station=station, team=world.west_team)
    seen = selectors.station_get(user=world.west_officer, pk=station.pk)
    assert seen == station and not selectors.rights(world.west_officer, seen).manage
    # a member of the paired emergency team sees it too
    squad = OrganizationFactory(name="党员应急队", kind=Kind.TEAM, parent=world.city)
    emergency_services.pairing_set(by=world.admin, station=station, team=squad)
    assert selectors.station_list(user=member_of(squad)).get() == station
    # and someone with no role anywhere sees nothing
    assert not selectors.station_list(user=MembershipFactory().user).exists()


def test_rights_of_the_office_the_team_leader_and_a_team_member(world, station):
    leader, member = leader_of(world.east_team), member_of(world.east_team)
    assert selectors.rights(world.east_officer, station) == selectors.Rights(True, True, True)
    assert selectors.rights(leader, station) == selectors.Rights(False, True, True)
    assert selectors.rights(member, station) == selectors.Rights(False, False, True)
    with pytest.raises(access.PermissionDenied):
        services.station_update(by=leader, station=station, name="改名")
    with pytest.raises(access.PermissionDenied):
        services.standard_check_set(by=leader, station=station, item="sign", met=True)
    cups = stocked(station, world.east_officer)
    services.stock_move(by=leader, consumable=cups, delta=-2, reason="发放")
    with pytest.raises(access.PermissionDenied):
        services.stock_move(by=member, consumable=cups, delta=-1, reason="发放")
    with pytest.raises(access.PermissionDenied):
        services.service_record(
            by=member, station=station, day=timezone.localdate(), service="hot_water", count=1
        )
    incident = emergency_services.incident_report(
        by=member, station=station, kind="人员走失", description="一名老人"
    )
    assert incident.reported_by == member


def test_moving_a_station_to_an_office_the_editor_does_not_manage_is_refused(world, station):
    with pytest.raises(ValidationError) as caught:
        services.station_update(by=world.east_officer, station=station, responsible_office=world.west)
    assert caught.value.message_dict == {"responsible_office": ["所选组织不存在。"]}
    with pytest.raises(ValidationError, match="不能修改此字段"):
        services.station_update(by=world.east_officer, station=station, path="/1/")


# --- stock -----------------------------------------------------------------------------------------------


def test_stock_never_goes_below_zero(world, station):
    # given 5 packets of medicine
    medicine = stocked(station, world.east_officer, name="常用药品", quantity=5, low_threshold=2)
    # when someone hands out 6, they are told how many are left and nothing changes
    with pytest.raises(Refused, match="仅剩5个，不能减少6个"):
        services.stock_move(by=world.east_officer, consumable=medicine, delta=-6, reason="发放")
    medicine.refresh_from_db()
    assert medicine.quantity == 5 and medicine.movements.count() == 1  # the opening stock only
    # handing out all 5 is fine
    services.stock_move(by=world.east_officer, consumable=medicine, delta=-5, reason="发放")
    assert Consumable.objects.get(pk=medicine.pk).quantity == 0
    # and the table itself refuses a negative quantity, whoever writes it
    with pytest.raises(IntegrityError), transaction.atomic():
        Consumable.objects.filter(pk=medicine.pk).update(quantity=-1)


def test_moves_are_checked_and_recorded(world, station):
    cups = stocked(station, world.east_officer, quantity=0)
    with pytest.raises(ValidationError) as caught:
        services.stock_move(by=world.east_officer, consumable=cups, delta=0, reason=" ")
    assert set(caught.value.message_dict) == {"delta", "reason"}
    services.stock_move(by=world.east_officer, consumable=cups, delta=100, reason="市文明办调拨")
    assert list(StockMovement.objects.values_list("delta", "reason")) == [(100, "市文明办调拨")]


def test_low_stock_is_flagged_at_the_threshold(world, station):
    cups = stocked(station, world.east_officer, quantity=6, low_threshold=5)
    assert (
        not cups.is_low and selectors.station_get(user=world.east_officer, pk=station.pk).low_stock_count == 0
    )
    cups = services.stock_move(by=world.east_officer, consumable=cups, delta=-1, reason="发放")
    assert cups.is_low and selectors.station_get(user=world.east_officer, pk=station.pk).low_stock_count == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_volunteers_taking_3_from_20_at_once_exactly_6_get_them(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE")
    station = make_station(world)
    cups = stocked(station, world.east_officer, quantity=20)
    barrier, outcomes = threading.Barrier(10), []

    def take() -> None:
        try:
            barrier.wait()
            services.stock_move(by=world.east_officer, consumable=cups, delta=-3, reason="发放")
            outcomes.append("ok")
        except Refused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 6 and outcomes.count("refused") == 4
    assert Consumable.objects.get(pk=cups.pk).quantity == 2
    assert StockMovement.objects.filter(consumable=cups, delta=-3).count() == 6


# --- 六有一落实 ----------------------------------------------------------------------------------------


def test_a_station_is_up_to_standard_only_when_all_seven_items_are_met(world, station):
    Station.objects.filter(pk=station.pk).update(standard_due_on=timezone.localdate() - timedelta(days=1))
    meet_all(station, world.east_officer, except_=["activities"])
    (row,) = selectors.standards_overview(user=world.east_officer)
    assert (row.met_count, row.unmet_count, row.overdue) == (6, 1, True)
    assert selectors.missing_items([row]) == {station.pk: ["落实志愿服务活动"]}
    services.standard_check_set(by=world.east_officer, station=station, item="activities", met=True)
    assert not selectors.standards_overview(user=world.east_officer).exists()
    assert not selectors.station_get(user=world.east_officer, pk=station.pk).overdue


def test_not_yet_due_is_not_overdue_and_the_most_urgent_comes_first(world, station):
    later = make_station(world, name="郑州火车东站站点")
    none = make_station(world, name="郑州长途汽车中心站站点")
    today = timezone.localdate()
    Station.objects.filter(pk=station.pk).update(standard_due_on=today + timedelta(days=30))
    Station.objects.filter(pk=later.pk).update(standard_due_on=today + timedelta(days=3))
    rows = list(selectors.standards_overview(user=world.east_officer))
    assert [r.pk for r in rows] == [later.pk, station.pk, none.pk]
    assert not any(r.overdue for r in rows)


def test_evidence_photos_are_re_encoded_and_a_replaced_one_is_deleted(
    settings, world, station, django_capture_on_commit_callbacks
):
    first = services.standard_check_set(
        by=world.east_officer,
        station=station,
        item="sign",
        met=True,
        evidence=upload(png_with_gps(), "标识.png"),
    )
    old = Path(settings.MEDIA_ROOT) / first.evidence.name
    assert old.exists() and old.suffix == ".jpg" and b"Exif" not in old.read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.standard_check_set(
            by=world.east_officer,
            station=station,
            item="sign",
            met=True,
            evidence=upload(jpeg()),
            note="新标牌",
        )
    assert not old.exists() and (Path(settings.MEDIA_ROOT) / second.evidence.name).exists()
    assert StandardCheck.objects.get().note == "新标牌"
    with pytest.raises(ValidationError) as caught:
        services.standard_check_set(
            by=world.east_officer, station=station, item="sign", met=True, evidence=upload(b"text", "a.jpg")
        )
    assert caught.value.message_dict["evidence"][0].startswith("只能上传 JPEG")


# --- 工作台账 --------------------------------------------------------------------------------------------


def ledger_world(world, station, count: int = 1) -> None:
    """`count` duties, shifts, services given and incidents at the station, on successive days."""
    c = campaign(world)
    first = timezone.localdate() - timedelta(days=count + 1)
    start = timezone.make_aware(datetime.combine(first, time(9, 0)))
    Duty.objects.bulk_create(
        Duty(campaign=c, date=first + timedelta(days=i), station=station, place="火车站",
             content="集中志愿服务", responsible=world.east_team)
        for i in range(count)
    )  # fmt: skip
    Shift.objects.bulk_create(
        Shift(organization=world.east_team, station=station, title=f"早班{i}", capacity=5,
              starts_at=start + timedelta(days=i), ends_at=start + timedelta(days=i, hours=4))
        for i in range(count)
    )  # fmt: skip
    ServiceGiven.objects.bulk_create(
        ServiceGiven(station=station, day=first + timedelta(days=i), service="hot_water",
                     count=120, recorded_by=world.east_officer)
        for i in range(count)
    )  # fmt: skip
    Incident.objects.bulk_create(
        Incident(station=station, kind="旅客受伤", description="摔倒擦伤", reported_by=world.east_officer)
        for _ in range(count)
    )


def test_the_ledger_merges_duties_shifts_services_and_incidents_newest_first(world, station):
    ledger_world(world, station)
    services.service_record(
        by=world.east_officer,
        station=station,
        day=timezone.localdate(),
        service="medicine",
        count=3,
        note="感冒药",
    )
    rows = selectors.ledger(station=station)
    # a day's summary (services given, a duty) heads its day; what happened at a time follows
    assert [r.kind for r in rows] == ["service", "incident", "service", "duty", "shift"]
    assert rows[0].title == "药品 3 次" and rows[0].detail == "感冒药"
    assert rows[1].title == "旅客受伤（一般）" and rows[1].day == timezone.localdate()
    assert rows[3].status == "计划" and rows[3].detail == world.east_team.name
    assert rows[4].title == "早班0" and "已报名 0/5 人" in rows[4].detail
    day = timezone.localdate() - timedelta(days=2)
    window = selectors.ledger(station=station, since=day, until=day)
    assert [r.kind for r in window] == ["service", "duty", "shift"]


def test_services_given_are_checked(world, station):
    with pytest.raises(ValidationError) as caught:
        services.service_record(
            by=world.east_officer, station=station, day=timezone.localdate() + timedelta(days=1),
            service="karaoke", count=0,
        )  # fmt: skip
    assert caught.value.message_dict == {
        "day": ["日期不能晚于今天。"],
        "service": ["请选择服务项目。"],
        "count": ["次数应在1到100000之间。"],
    }
