"""Shift pages and API: a leader lays out a shift on the page, volunteers sign up on their phones and wait in
line, the leader assigns and approves a swap; the calendar feed; nobody reaches another district's shifts;
the calendar, the list and my shifts cost the same number of queries at 10 and at 1,000 shifts."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from tests.conftest import Api
from tests.test_pages import as_user, section, text
from tests.test_shifts import Rota, at, make_shift, rota, shift, sign, team_volunteers
from zhiyuan.campaigns.calendar_feed import feed_path
from zhiyuan.campaigns.models import RecurringShift, Shift, Signup, SwapRequest
from zhiyuan.campaigns.services import shifts as services
from zhiyuan.people.models import Skill

__all__ = ["rota", "shift"]  # fixtures shared with the service tests
S = Signup.Status


def form_data(rota: Rota, team, **overrides) -> dict:
    data = {
        "organization": team.pk,
        "station": rota.station.pk,
        "title": "东广场引导",
        "starts_at": f"{at(3, 9):%Y-%m-%dT%H:%M}",
        "ends_at": f"{at(3, 12):%Y-%m-%dT%H:%M}",
        "capacity": "2",
        "minimum": "1",
        "cutoff_hours": "12",
    }
    data.update(overrides)
    return data


def test_a_leader_lays_out_a_shift_and_volunteers_fill_it_and_wait_in_line(world, rota):
    leader = as_user(rota.leader)
    # every problem at once, in Chinese
    bad = leader.post("/app/shifts/new/", form_data(rota, world.east_team, title="", capacity="0",
                                                    ends_at=f"{at(3, 8):%Y-%m-%dT%H:%M}"))  # fmt: skip
    assert bad.status_code == 200 and not Shift.objects.exists()
    assert set(bad.context["form"].errors) == {"title", "capacity", "ends_at"}
    made = leader.post("/app/shifts/new/", form_data(rota, world.east_team))
    shift = Shift.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/app/shifts/{shift.pk}/"
    assert timezone.localtime(shift.starts_at).hour == 9  # the form's times are Beijing wall-clock
    # the volunteers find it in this week's calendar … or the next one's
    a, b, c = rota.volunteers[:3]
    week = f"?week={timezone.localdate(shift.starts_at):%Y-%m-%d}"
    assert "东广场引导" in section(as_user(a.user).get(f"/app/shifts/{week}"), "week")
    # … and sign up on the shift's page: two places, the third waits
    for v in (a, b):
        assert as_user(v.user).post(f"/app/shifts/{shift.pk}/signup/").status_code == 302
    third = as_user(c.user)
    third.post(f"/app/shifts/{shift.pk}/signup/")
    page = third.get(f"/app/shifts/{shift.pk}/")
    assert "候补第 1 位" in section(page, "mine") and "roster" not in text(page)
    # the leader sees the roster, takes one off, and the waiting volunteer moves up
    roster = section(leader.get(f"/app/shifts/{shift.pk}/"), "roster")
    assert a.user.display_name in roster and "候补 1" in roster
    first = Signup.objects.get(volunteer=a)
    assert leader.post(f"/app/signups/{first.pk}/cancel/").status_code == 302
    assert "已报名" in section(third.get(f"/app/shifts/{shift.pk}/"), "mine")
    # and edits it: more places
    edit = leader.post(f"/app/shifts/{shift.pk}/edit/", form_data(rota, world.east_team, capacity="3"))
    assert edit.status_code == 302 and Shift.objects.get().capacity == 3


def test_a_leader_assigns_by_number_and_approves_a_swap(world, rota, shift):
    a, b, c = rota.volunteers[:3]
    leader = as_user(rota.leader)
    leader.post(f"/app/shifts/{shift.pk}/assign/", {"volunteer": a.number})
    assert Signup.objects.get(volunteer=a).assigned_by == rota.leader
    unknown = leader.post(f"/app/shifts/{shift.pk}/assign/", {"volunteer": "ZYB99999999999"}, follow=True)
    assert "未找到该编号的志愿者。" in text(unknown)
    # the volunteer asks for a swap on the page; the leader approves it there
    mine = as_user(a.user)
    signup = Signup.objects.get(volunteer=a)
    mine.post(f"/app/signups/{signup.pk}/swap/", {"to_volunteer": b.number, "reason": "临时出差"})
    assert "等待队长审批" in section(mine.get(f"/app/shifts/{shift.pk}/"), "mine")
    swap = SwapRequest.objects.get()
    assert b.user.display_name in section(leader.get(f"/app/shifts/{shift.pk}/"), "swaps")
    assert leader.post(f"/app/swaps/{swap.pk}/decide/", {"approve": "1"}).status_code == 302
    assert [s.volunteer for s in Signup.objects.filter(status=S.ACCEPTED)] == [b]
    # a volunteer of the team sees the shift but may not assign: 403
    assert as_user(c.user).post(f"/app/shifts/{shift.pk}/assign/", {"volunteer": c.number}).status_code == 403
    assert as_user(c.user).get(f"/app/shifts/{shift.pk}/edit/").status_code == 403


def test_refusals_are_shown_with_their_reason(world, rota, shift):
    v = rota.volunteers[0]
    sign(v, shift)
    clash = make_shift(rota.leader, world.east_team, hours=(10, 11), title="问询台")
    page = as_user(v.user).post(f"/app/shifts/{clash.pk}/signup/", follow=True)
    assert "与已报名的班次“东广场引导”" in text(page) and "时间冲突" in text(page)


def test_calendar_weeks_and_filters(world, rota):
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())  # next week's: always ahead
    days = (monday - today).days
    first = make_shift(rota.leader, world.east_team, days=days + 2, station=rota.station, title="周三早班")
    make_shift(rota.leader, world.east_team, days=days + 9, station=rota.station, title="再下周早班")
    make_shift(rota.leader, world.east_team, days=days + 2, hours=(20, 21), title="不在站点")
    client = as_user(rota.volunteers[0].user)
    assert "周三早班" not in section(client.get("/app/shifts/"), "week")
    week = client.get(f"/app/shifts/?week={monday + timedelta(days=3):%Y-%m-%d}")  # any day finds its week
    assert week.context["monday"] == monday
    shown = section(week, "week")
    assert "周三早班" in shown and "不在站点" in shown and "再下周早班" not in shown
    assert f"?week={monday + timedelta(days=7):%Y-%m-%d}" in text(week)  # the next week's link
    assert f'href="/app/shifts/{first.pk}/"' in shown
    by_station = section(client.get(f"/app/shifts/?week={monday}&station={rota.station.pk}"), "week")
    assert "周三早班" in by_station and "不在站点" not in by_station
    by_team = section(client.get(f"/app/shifts/?week={monday}&organization={world.east_team.pk}"), "week")
    assert "周三早班" in by_team
    # a west volunteer sees none of it, and may not filter their way in
    west = as_user(team_volunteers(world.west_team, world.west, 1, start=880, prefix="西")[0].user)
    shown = section(west.get(f"/app/shifts/?week={monday}&organization={world.east_team.pk}"), "week")
    assert "周三早班" not in shown


def test_my_shifts_and_the_calendar_feed(world, rota, shift):
    v = rota.volunteers[0]
    sign(v, shift)
    page = as_user(v.user).get("/app/me/shifts/")
    assert "东广场引导" in section(page, "my-shifts")
    url = feed_path(v.user)
    assert url in section(page, "feed") and url.startswith(f"/feeds/shifts/{v.user.pk}-")
    # the feed is public: a calendar app fetches it without signing in
    feed = Client().get(url)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [(str(e["summary"]), e["dtstart"].dt) for e in events] == [("东广场引导", shift.starts_at)]
    assert "郑州东站东广场志愿服务站" in str(events[0]["location"])
    # someone else's id with this token, or a guessed token, is nothing
    other = rota.volunteers[1].user.pk
    assert Client().get(url.replace(f"/{v.user.pk}-", f"/{other}-")).status_code == 404
    assert Client().get(f"/feeds/shifts/{v.user.pk}-{'0' * 32}.ics").status_code == 404
    type(v.user).objects.filter(pk=v.user.pk).update(is_active=False)  # a closed account's feed goes dark
    assert Client().get(url).status_code == 404


def test_a_weekly_pattern_is_laid_out_on_its_page(world, rota):
    start = timezone.localdate() + timedelta(days=1)
    form = {
        "organization": world.east_team.pk, "station": rota.station.pk, "title": "五小时志愿服务",
        "weekdays": ["6", "7"], "start_time": "09:00", "end_time": "14:00", "valid_from": f"{start}",
        "valid_until": f"{start + timedelta(days=13)}", "capacity": "5", "skip_holidays": "on",
    }  # fmt: skip
    leader = as_user(rota.leader)
    bad = leader.post("/app/shifts/recurring/new/", {**form, "weekdays": [], "end_time": "08:00"})
    assert set(bad.context["form"].errors) == {"weekdays", "end_time"}
    made = leader.post("/app/shifts/recurring/new/", form, follow=True)
    shifts = Shift.objects.filter(recurrence__isnull=False)
    assert shifts.count() == 4 and f"已生成{shifts.count()}个班次。" in text(made)
    assert {timezone.localtime(s.starts_at).isoweekday() for s in shifts} == {6, 7}
    assert as_user(rota.volunteers[0].user).get("/app/shifts/recurring/new/").status_code == 403


# --- nobody reaches another district's shifts -------------------------------------------------------------


@pytest.fixture
def east_things(world, rota, shift):
    """An east shift with a signup, a pending swap and a weekly pattern: what the west must not touch."""
    a, b = rota.volunteers[:2]
    signup = sign(a, shift)
    swap = services.swap_request_create(by=a.user, signup=signup, to_volunteer=b)
    pattern = RecurringShift.objects.create(
        organization=world.east_team, title="周末", weekdays=[6], start_time=at(1, 9).time(),
        end_time=at(1, 12).time(), valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + timedelta(days=30), capacity=3,
    )  # fmt: skip
    return {"s": shift.pk, "x": signup.pk, "w": swap.pk, "r": pattern.pk, "n": b.number}


def _state():
    return (
        list(Shift.objects.order_by("pk").values_list("title", "capacity", "accepted_count")),
        list(Signup.objects.order_by("pk").values_list("volunteer_id", "status")),
        list(SwapRequest.objects.values_list("status", flat=True)),
        Shift.objects.filter(recurrence__isnull=False).count(),
    )


PAGES = [
    ("get", "/app/shifts/{s}/", None),
    ("get", "/app/shifts/{s}/edit/", None),
    ("post", "/app/shifts/{s}/edit/", {"title": "渗透", "capacity": "9"}),
    ("post", "/app/shifts/{s}/signup/", {}),
    ("post", "/app/shifts/{s}/assign/", {"volunteer": "{n}"}),
    ("post", "/app/shifts/{s}/cancel/", {"reason": "渗透"}),
    ("post", "/app/signups/{x}/cancel/", {}),
    ("post", "/app/signups/{x}/swap/", {"to_volunteer": "{n}"}),
    ("post", "/app/swaps/{w}/decide/", {"approve": "1"}),
]


@pytest.mark.parametrize(("method", "path", "body"), PAGES)
def test_the_west_cannot_reach_east_shifts_through_the_pages(world, east_things, method, path, body):
    before = _state()
    westerner = team_volunteers(world.west_team, world.west, 1, start=890, prefix="西")[0].user
    for who in (world.west_officer, westerner):
        url = path.format(**east_things)
        data = {k: v.format(**east_things) for k, v in (body or {}).items()}
        response = getattr(as_user(who), method)(url, *([data] if method == "post" else []))
        assert response.status_code == 404, (who, url)
    assert _state() == before


API = [
    ("get", "/shifts/{s}", None),
    ("patch", "/shifts/{s}", {"capacity": 9}),
    ("get", "/shifts/{s}/signups", None),
    ("post", "/shifts/{s}/signups", {}),
    ("post", "/shifts/{s}/signups/assign", {"volunteer": "{n}"}),
    ("post", "/shifts/{s}/cancel", {"reason": "渗透"}),
    ("delete", "/signups/{x}", None),
    ("post", "/signups/{x}/swaps", {"to_volunteer": "{n}"}),
    ("get", "/shifts/{s}/swaps", None),
    ("post", "/swaps/{w}/decide", {"approve": True}),
    ("post", "/recurring-shifts/{r}/generate", {}),
]


@pytest.mark.parametrize(("method", "path", "body"), API)
def test_the_west_cannot_reach_east_shifts_through_the_api(world, east_things, method, path, body):
    before = _state()
    api = Api(world.west_officer)
    url = path.format(**east_things)
    data = {k: v.format(**east_things) if isinstance(v, str) else v for k, v in (body or {}).items()}
    call = getattr(api, method)
    response = call(url) if method in ("get", "delete") else call(url, data)
    assert response.status_code == 404, (url, response.content)
    assert _state() == before


# --- the API ----------------------------------------------------------------------------------------------


def test_the_api_lays_out_signs_up_waits_and_cancels(world, rota):
    leader = Api(rota.leader)
    payload = {
        "organization_id": world.east_team.pk, "station_id": rota.station.pk, "title": "东广场引导",
        "starts_at": f"{at(3, 9):%Y-%m-%dT%H:%M:%S}", "ends_at": f"{at(3, 12):%Y-%m-%dT%H:%M:%S}",
        "capacity": 1, "required_skills": [],
    }  # fmt: skip
    assert leader.post("/shifts", {**payload, "accepted_count": 0}).status_code == 422  # no extra fields
    made = leader.post("/shifts", payload)
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["places_left"], body["station_name"]) == (1, rota.station.name)
    assert datetime.fromisoformat(body["starts_at"]) == at(3, 9)  # a naive time is Beijing wall-clock
    pk = body["id"]
    a, b = (Api(v.user) for v in rota.volunteers[:2])
    assert a.post(f"/shifts/{pk}/signups", {}).json()["status"] == "accepted"
    waiting = b.post(f"/shifts/{pk}/signups", {}).json()
    assert (waiting["status"], waiting["position"]) == ("waitlisted", 1)
    again = b.post(f"/shifts/{pk}/signups", {})
    assert again.status_code == 409 and "已报名本班次" in again.json()["detail"]
    assert [i["my_status"] for i in b.get(f"/shifts?from={at(3, 0):%Y-%m-%d}").json()["items"]] == [
        "waitlisted"
    ]
    assert b.get(f"/shifts?to={at(2, 0):%Y-%m-%d}").json()["count"] == 0
    # the office above the team is a filter too: its subtree holds the team's shift; the west's holds nothing
    assert b.get(f"/shifts?organization={world.east.pk}").json()["count"] == 1
    assert b.get(f"/shifts?organization={world.west.pk}").json()["count"] == 0
    assert b.get(f"/shifts/{pk}/signups").status_code == 403  # the roster is the leaders'
    roster = leader.get(f"/shifts/{pk}/signups").json()
    assert [(i["status"], i["position"]) for i in roster["items"]] == [("accepted", None), ("waitlisted", 1)]
    first = roster["items"][0]["id"]
    assert a.delete(f"/signups/{first}").json()["status"] == "cancelled"
    assert [i["status"] for i in b.get("/me/shifts").json()["items"]] == ["accepted"]
    patched = leader.patch(f"/shifts/{pk}", {"capacity": 3, "required_skills": ["medical"]})
    assert patched.status_code == 200 and patched.json()["required_skills"] == ["medical"]
    assert leader.patch(f"/shifts/{pk}", {"title": None}).status_code == 422
    assert a.patch(f"/shifts/{pk}", {"capacity": 9}).status_code == 403
    unknown = leader.post(f"/shifts/{pk}/signups/assign", {"volunteer": "ZYB99999999999"})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["msg"] == "未找到该编号的志愿者。"


def test_the_api_refuses_with_the_reason_and_swaps(world, rota, shift):
    a, b = rota.volunteers[:2]
    Shift.objects.get(pk=shift.pk).required_skills.add(Skill.objects.get(code="legal"))
    refused = Api(a.user).post(f"/shifts/{shift.pk}/signups", {})
    assert refused.status_code == 409 and refused.json()["detail"] == "本班次需要以下技能：法律。"
    Shift.objects.get(pk=shift.pk).required_skills.clear()
    signup = Api(a.user).post(f"/shifts/{shift.pk}/signups", {}).json()["id"]
    swap = Api(a.user).post(f"/signups/{signup}/swaps", {"to_volunteer": b.number})
    assert swap.status_code == 201 and swap.json()["to_name"] == b.user.display_name
    assert Api(rota.leader).get(f"/shifts/{shift.pk}/swaps").json()["count"] == 1
    decided = Api(rota.leader).post(f"/swaps/{swap.json()['id']}/decide", {"approve": True})
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert [
        i["volunteer_number"] for i in Api(rota.leader).get(f"/shifts/{shift.pk}/signups").json()["items"]
    ] == [b.number]


def test_the_api_generates_weekly_shifts_once(world, rota):
    leader = Api(rota.leader)
    start = timezone.localdate() + timedelta(days=1)
    made = leader.post("/recurring-shifts", {
        "organization_id": world.east_team.pk, "title": "五小时", "weekdays": [1, 2, 3, 4, 5, 6, 7],
        "start_time": "09:00", "end_time": "14:00", "valid_from": str(start),
        "valid_until": str(start + timedelta(days=13)), "capacity": 4,
    })  # fmt: skip
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    first = leader.post(f"/recurring-shifts/{pk}/generate", {"skip_holidays": False}).json()
    assert first["created"] == 14
    assert leader.post(f"/recurring-shifts/{pk}/generate", {}).json() == {"created": 0, "shift_ids": []}
    assert leader.get("/recurring-shifts").json()["count"] == 1


# --- query counts -----------------------------------------------------------------------------------------


def bulk_shifts(world, rota, size: int):
    """`size` shifts spread over next week, each requiring a skill, with the first volunteer on all of them
    (every other one on the waiting list). Returns next week's Monday."""
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    starts = [at((monday - today).days + i % 7, 6 + i % 12) for i in range(size)]
    shifts = Shift.objects.bulk_create(
        Shift(organization=world.east_team, station=rota.station, title=f"批量{i}", starts_at=s,
              ends_at=s + timedelta(minutes=30), capacity=5, accepted_count=i % 2)
        for i, s in enumerate(starts)
    )  # fmt: skip
    medical = Skill.objects.get(code="medical")
    Shift.required_skills.through.objects.bulk_create(
        Shift.required_skills.through(shift_id=s.pk, skill_id=medical.pk) for s in shifts
    )
    Signup.objects.bulk_create(
        Signup(shift=s, volunteer=rota.volunteers[0], status=S.ACCEPTED if i % 2 else S.WAITLISTED)
        for i, s in enumerate(shifts)
    )
    return monday


@pytest.mark.parametrize("size", [10, 1000])
def test_shift_lists_cost_the_same_at_any_size(world, rota, size, django_assert_num_queries):
    monday = bulk_shifts(world, rota, size)
    leader, volunteer = as_user(rota.leader), as_user(rota.volunteers[0].user)
    # session, user, grants, organisation filter choices, shifts (+ my status), their skills, stations
    with django_assert_num_queries(7):
        page = leader.get(f"/app/shifts/?week={monday:%Y-%m-%d}")
    assert sum(len(d["shifts"]) for d in page.context["days"]) == size
    # session, user, grants (the menu; they also say "a volunteer?"), count, page
    with django_assert_num_queries(5):
        mine = volunteer.get("/app/me/shifts/")
    assert mine.context["page"].paginator.count == size
    api, own = Api(rota.leader), Api(rota.volunteers[0].user)
    # token + last-used stamp, grants, count, page, skills
    with django_assert_num_queries(6):
        body = api.get("/shifts?limit=100").json()
    assert body["count"] == size and len(body["items"]) == min(size, 100)
    # token + stamp, count, page
    with django_assert_num_queries(4):
        body = own.get("/me/shifts?limit=100").json()
    assert body["count"] == size and {i["status"] for i in body["items"]} == {"accepted", "waitlisted"}
