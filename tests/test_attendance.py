"""The leader's attendance board: statuses, flagged scans, ad-hoc people, bulk sign-in/out, forgotten
sign-outs, flag review; pages and API, scoped, with a constant query count."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import Api
from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.campaigns.models import Shift, Signup, Station
from zhiyuan.core import access
from zhiyuan.hours.models import CheckIn, LedgerEntry
from zhiyuan.hours.services.checkin import checkin_record, poster_token
from zhiyuan.hours.services.checkin_bulk import checkin_bulk, checkin_flag_clear
from zhiyuan.organizations.roles import Role

FAR = "距站点约 1.2 公里，待核查"


@pytest.fixture
def station(world):
    return Station.objects.create(
        name="东广场站", place="郑州东站", responsible_office=world.east, allow_adhoc=True
    )


@pytest.fixture
def shift(world, station):
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=3)
    return Shift.objects.create(
        organization=world.east_team,
        station=station,
        title="东广场引导",
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        capacity=100,
    )


def book(shift, count, start=0, prefix="到岗"):
    volunteers = bulk_volunteers(shift.organization, count, start=start, prefix=prefix)
    Signup.objects.bulk_create([Signup(shift=shift, volunteer=v, status="accepted") for v in volunteers])
    return volunteers


def enter(world, volunteer, shift, kind, at, **kw):
    return checkin_record(
        by=world.east_officer, volunteer=volunteer, key=uuid.uuid4().hex, kind=kind, shift=shift, at=at, **kw
    )[0]


@pytest.fixture
def busy(world, shift, station):
    """未到, 在岗, 已签退 (with a flagged sign-in), and someone ad hoc at the station."""
    absent, here, left = book(shift, 3)
    enter(world, here, shift, "in", shift.starts_at + timedelta(minutes=10))
    flagged = enter(world, left, shift, "in", shift.starts_at)
    CheckIn.objects.filter(pk=flagged.pk).update(flagged=FAR)
    enter(world, left, shift, "out", shift.starts_at + timedelta(hours=1, minutes=30))
    walk_in = bulk_volunteers(world.east, 1, start=900, prefix="路过")[0]
    with time_machine.travel(shift.starts_at + timedelta(hours=1), tick=False):  # online, an hour in
        checkin_record(
            by=walk_in.user,
            volunteer=walk_in,
            key="walk-in-1",
            kind="in",
            token=poster_token(station=station),
        )
    return absent, here, left, walk_in, flagged


def test_the_board_shows_where_everyone_stands(world, shift, busy, client):
    absent, here, left, walk_in, _flagged = busy
    client.force_login(world.east_officer)
    page = client.get(f"/app/shifts/{shift.pk}/attendance/")
    html = page.content.decode()
    assert page.status_code == 200 and 'hx-trigger="every 30s' in html
    assert "未到 1 · 在岗 2 · 已签退 1 · 待核查 1" in html
    row = lambda v: html.split(f'id="person-{v.pk}"')[1].split("</tr>")[0]  # noqa: E731
    assert "未到" in row(absent)
    in_at = timezone.localtime(shift.starts_at + timedelta(minutes=10)).strftime("%H:%M")
    assert f"已签到 {in_at}" in row(here)
    assert "已签退 1.50 小时" in row(left) and FAR in row(left)
    assert "临时" in row(walk_in) and "已签到" in row(walk_in)
    partial = client.get(f"/app/shifts/{shift.pk}/attendance/", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    # linked from the shift page
    assert f"/app/shifts/{shift.pk}/attendance/" in client.get(f"/app/shifts/{shift.pk}/").content.decode()


def test_bulk_sign_in_and_out_at_a_given_time_for_a_group_without_phones(world, shift, client):
    group = book(shift, 4, prefix="无手机")
    client.force_login(world.east_officer)
    at = timezone.localtime(shift.starts_at + timedelta(minutes=5))
    form = {"action": "in", "at": at.strftime("%Y-%m-%dT%H:%M"), "key": "k" * 32, "v": [v.pk for v in group]}
    assert client.post(f"/app/shifts/{shift.pk}/attendance/", form).status_code == 302
    assert client.post(f"/app/shifts/{shift.pk}/attendance/", form).status_code == 302  # a double submit
    assert CheckIn.objects.filter(source="bulk", kind="in").count() == 4
    out = {
        **form,
        "action": "out",
        "key": "o" * 32,
        "at": (at + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    assert client.post(f"/app/shifts/{shift.pk}/attendance/", out).status_code == 302
    entries = LedgerEntry.objects.all()
    assert entries.count() == 4 and {e.hours for e in entries} == {Decimal("2.00")}
    assert {e.source for e in entries} == {"bulk"} and {e.recorded_by_id for e in entries} == {
        world.east_officer.pk
    }


def test_a_batch_with_one_refused_person_writes_nothing_and_says_who(world, shift, client):
    ready, already = book(shift, 2, prefix="批次")
    enter(world, already, shift, "in", shift.starts_at)
    client.force_login(world.east_officer)
    at = timezone.localtime(shift.starts_at + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    form = {"action": "in", "at": at, "key": "b" * 32, "v": [ready.pk, already.pk]}
    page = client.post(f"/app/shifts/{shift.pk}/attendance/", form)
    html = page.content.decode()
    assert page.status_code == 422 and f"{already.user.display_name}：您已签到" in html
    assert CheckIn.objects.count() == 1
    # bad input, every reason at once
    page = client.post(f"/app/shifts/{shift.pk}/attendance/", {"action": "fix", "at": "", "key": "c" * 32})
    html = page.content.decode()
    assert page.status_code == 422 and "请至少选择一名志愿者。" in html and "补签退须说明原因。" in html
    assert html.count('class="error"') == 2  # the missing time and the missing reason, beside each field
    with pytest.raises(Exception) as caught:
        checkin_bulk(
            by=world.east_officer, shift=shift, volunteer_ids=[], action="fix", at=timezone.now(), key="x"
        )
    assert set(caught.value.message_dict) == {"volunteer_ids", "reason", "key"}


def test_a_forgotten_sign_out_is_fixed_with_a_reason(world, shift):
    (forgot,) = book(shift, 1, prefix="忘签退")
    enter(world, forgot, shift, "in", shift.starts_at)
    with pytest.raises(Exception) as caught:
        checkin_bulk(
            by=world.east_officer,
            shift=shift,
            volunteer_ids=[forgot.pk],
            action="fix",
            at=shift.starts_at + timedelta(hours=2),
            key="fix-00001",
        )
    assert "补签退须说明原因。" in caught.value.message_dict["reason"]
    result = checkin_bulk(
        by=world.east_officer,
        shift=shift,
        volunteer_ids=[forgot.pk],
        action="fix",
        at=shift.starts_at + timedelta(hours=2),
        key="fix-00002",
        reason="手机没电，队长现场确认12点离岗",
    )
    (out,) = result.recorded
    assert out.source == "fix" and out.note == "手机没电，队长现场确认12点离岗"
    assert out.ledger_entry.hours == Decimal("2.00") and out.ledger_entry.reason.startswith("补签：手机没电")


def test_a_leader_signs_out_an_ad_hoc_person_at_the_station(world, shift, busy):
    walk_in = busy[3]
    checkin_bulk(
        by=world.east_officer,
        shift=shift,
        volunteer_ids=[walk_in.pk],
        action="out",
        at=shift.starts_at + timedelta(hours=2),
        key="adhoc-out-1",
    )
    entry = LedgerEntry.objects.get(volunteer=walk_in)
    assert (
        entry.organization_id == world.east.pk and entry.shift_id is None and entry.hours == Decimal("1.00")
    )


def test_who_may_see_and_enter(world, shift, busy, client):
    absent = busy[0]
    form = {"action": "in", "at": "2026-01-01T08:00", "key": "p" * 32, "v": [absent.pk]}
    client.force_login(world.west_officer)  # another district: the shift does not exist for them
    assert client.get(f"/app/shifts/{shift.pk}/attendance/").status_code == 404
    assert client.post(f"/app/shifts/{shift.pk}/attendance/", form).status_code == 404
    member = MembershipFactory(organization=world.east_team, role=Role.MEMBER).user
    client.force_login(member)  # sees the shift, may not see who came
    assert client.get(f"/app/shifts/{shift.pk}/attendance/").status_code == 403
    grid_head = MembershipFactory(organization=world.east_team, role=Role.GRID_HEAD).user
    client.force_login(grid_head)  # may look, may not enter
    page = client.get(f"/app/shifts/{shift.pk}/attendance/")
    assert page.status_code == 200 and 'id="bulk"' not in page.content.decode()
    assert client.post(f"/app/shifts/{shift.pk}/attendance/", form).status_code == 403
    assert CheckIn.objects.filter(volunteer=absent).count() == 0


def test_the_api_board_and_bulk_are_scoped(world, shift, busy):
    absent, _here, left, walk_in, flagged = busy
    mine = Api(world.east_officer)
    board = mine.get(f"/shifts/{shift.pk}/attendance").json()
    assert board["counts"] == {"absent": 1, "in": 2, "out": 1, "flagged": 1}
    people = {p["volunteer_id"]: p for p in board["people"]}
    assert people[left.pk]["hours"] == "1.50" and people[left.pk]["scans"][0]["flagged"] == FAR
    assert people[walk_in.pk]["adhoc"] and people[absent.pk]["status"] == "absent"
    at = (shift.starts_at + timedelta(hours=1)).isoformat()
    body = {"key": "api-batch-01", "action": "in", "volunteer_ids": [absent.pk], "at": at}
    assert mine.post(f"/shifts/{shift.pk}/attendance", body).json() == {"recorded": 1, "repeated": 0}
    assert mine.post(f"/shifts/{shift.pk}/attendance", body).json() == {"recorded": 0, "repeated": 1}
    stranger = bulk_volunteers(world.west, 1, start=700, prefix="外区")[0]
    bad = mine.post(
        f"/shifts/{shift.pk}/attendance", {**body, "key": "api-batch-02", "volunteer_ids": [stranger.pk]}
    )
    assert bad.status_code == 422 and f"不在本班次名单中：{stranger.pk}" in bad.json()["detail"][0]["msg"]
    extra = mine.post(f"/shifts/{shift.pk}/attendance", {**body, "volunteer": 1})
    assert extra.status_code == 422
    west = Api(world.west_officer)
    assert west.get(f"/shifts/{shift.pk}/attendance").status_code == 404
    assert west.post(f"/shifts/{shift.pk}/attendance", {**body, "key": "api-batch-03"}).status_code == 404
    member = MembershipFactory(organization=world.east_team, role=Role.MEMBER).user
    assert Api(member).get(f"/shifts/{shift.pk}/attendance").status_code == 403
    # clearing the flag: scoped, needs a note, recorded
    assert west.post(f"/checkins/{flagged.pk}/clear-flag", {"note": "看过"}).status_code == 404
    assert mine.post(f"/checkins/{flagged.pk}/clear-flag", {"note": " "}).status_code == 422
    cleared = mine.post(f"/checkins/{flagged.pk}/clear-flag", {"note": "站点在东广场南侧，定位偏差"})
    assert cleared.status_code == 200 and not cleared.json()["needs_review"]
    assert mine.post(f"/checkins/{flagged.pk}/clear-flag", {"note": "再来"}).status_code == 409
    flagged.refresh_from_db()
    assert flagged.flag_cleared_by == world.east_officer and flagged.flagged == FAR


def test_flagged_scans_are_listed_and_cleared_by_their_leaders(world, shift, busy, client):
    flagged = busy[4]
    client.force_login(world.east_officer)
    listing = client.get("/app/checkins/flagged/")
    assert listing.status_code == 200 and FAR in listing.content.decode()
    client.force_login(world.west_officer)
    assert FAR not in client.get("/app/checkins/flagged/").content.decode()
    assert client.post(f"/app/checkins/{flagged.pk}/clear/", {"note": "x"}).status_code == 404
    client.force_login(world.east_officer)
    back = client.post(
        f"/app/checkins/{flagged.pk}/clear/", {"note": "核实在岗", "next": "https://evil.example/"}
    )
    assert back.status_code == 302 and back["Location"] == "/app/checkins/flagged/"
    flagged.refresh_from_db()
    assert not flagged.needs_review and flagged.flag_note == "核实在岗"
    assert "没有待核查的签到" in client.get("/app/checkins/flagged/").content.decode()
    with pytest.raises(access.PermissionDenied):
        checkin_flag_clear(by=world.west_officer, checkin=flagged, note="x")


def _measure(client, api, shift):
    with CaptureQueriesContext(connection) as page:
        assert client.get(f"/app/shifts/{shift.pk}/attendance/").status_code == 200
    with CaptureQueriesContext(connection) as board:
        assert api.get(f"/shifts/{shift.pk}/attendance").status_code == 200
    return len(page), len(board)


def _crowd(world, shift, count, start):
    volunteers = book(shift, count, start=start, prefix=f"人群{start}")
    for i, v in enumerate(volunteers):
        if i % 2:
            enter(world, v, shift, "in", shift.starts_at + timedelta(minutes=i % 50))
        if i % 4 == 3:
            enter(world, v, shift, "out", shift.starts_at + timedelta(hours=2))


def test_the_board_costs_the_same_queries_for_5_or_50_volunteers(world, shift):
    client = Client()
    client.force_login(world.east_officer)
    api = Api(world.east_officer)
    _crowd(world, shift, 5, 0)
    _measure(client, api, shift)  # warm caches (sessions, content types)
    small = _measure(client, api, shift)
    _crowd(world, shift, 45, 100)
    large = _measure(client, api, shift)
    assert small == large
    assert len(Api(world.east_officer).get(f"/shifts/{shift.pk}/attendance").json()["people"]) == 50
