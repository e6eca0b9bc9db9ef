"""The holiday calendar from the workspace (issue 12 item 4): prefilled where known, estimated beyond
2026, entered by a city officer when the State Council publishes, and read by deadlines and patterns."""

from datetime import date, time

import pytest
from django.test import Client

from tests.factories import MembershipFactory
from zhiyuan.core.models import Holiday
from zhiyuan.organizations.roles import Role
from zhiyuan.reporting.models import DeadlineKind, ReportRule
from zhiyuan.reporting.selectors.expected import work_calendar
from zhiyuan.reporting.services.deadlines import beijing, periods


@pytest.fixture
def city_officer(world):
    return MembershipFactory(organization=world.city, role=Role.OFFICER).user


def test_2027_is_estimated_with_new_year_and_the_lunar_festivals(db, world, api_as):
    listed = api_as(world.east_officer).get("/holidays?year=2027").json()
    days = {h["day"]: h for h in listed["items"]}
    assert days["2027-01-01"]["name"] == "元旦" and days["2027-01-01"]["source"] == "estimated"
    assert days["2027-02-06"]["name"] == "春节"  # 正月初一 2027
    assert days["2027-04-05"]["name"] == "清明节" and "2027-10-01" in days
    # a known year comes from chinese-calendar, with its 调休 working days
    known = api_as(world.east_officer).get("/holidays?year=2025").json()["items"]
    assert any(not h["is_rest_day"] for h in known) and all(h["source"] == "official" for h in known)


def test_a_city_officer_enters_the_published_schedule_and_deadlines_follow_it(world, city_officer, api_as):
    api = api_as(city_officer)
    made = api.post("/holidays", {"start": "2027-02-05", "end": "2027-02-11", "name": "春节"})
    assert made.status_code == 201 and len(made.json()) == 7
    sunday = api.post("/holidays", {"start": "2027-02-14", "name": "春节调休", "is_rest_day": False})
    assert sunday.status_code == 201 and Holiday.objects.get(day=date(2027, 2, 14)).source == "manual"
    # the rest of 2027 was filled before the officer's days, so 元旦 is still known
    assert Holiday.objects.filter(day=date(2027, 1, 1), is_rest_day=True).exists()
    rule = ReportRule(
        title="每日简报", form="daily_brief", deadline_kind=DeadlineKind.DAILY, due_time=time(15, 30)
    )
    calendar = work_calendar(date(2027, 2, 1), date(2027, 2, 28))
    due = periods(
        rule,
        start=beijing(date(2027, 2, 4), time(0)),
        end=beijing(date(2027, 2, 16), time(0)),
        calendar=calendar,
    )
    assert [p.first_day.day for p in due] == [4, 12, 14, 15]  # not over 春节, and on the 调休 Sunday
    holiday = Holiday.objects.get(day=date(2027, 2, 11))
    assert api.patch(f"/holidays/{holiday.pk}", {"is_rest_day": False}).json()["is_rest_day"] is False
    assert api.delete(f"/holidays/{holiday.pk}").status_code == 204
    assert not Holiday.objects.filter(day=date(2027, 2, 11)).exists()


def test_only_a_city_officer_may_change_the_calendar(world, api_as):
    volunteer = MembershipFactory(organization=world.city, role=Role.VOLUNTEER).user
    assert api_as(volunteer).get("/holidays?year=2027").status_code == 200  # anyone reads; fills 2027
    for user in (world.east_officer, volunteer):
        api = api_as(user)
        assert api.post("/holidays", {"start": "2027-10-01", "name": "国庆节"}).status_code == 403
        new_year = Holiday.objects.get(day=date(2027, 1, 1))
        assert api.patch(f"/holidays/{new_year.pk}", {"name": "x"}).status_code == 403
        assert api.delete(f"/holidays/{new_year.pk}").status_code == 403
    assert Holiday.objects.get(day=date(2027, 1, 1)).name == "元旦"


def test_bad_input_is_reported_in_chinese(world, city_officer, api_as):
    api = api_as(city_officer)
    backwards = api.post("/holidays", {"start": "2027-02-11", "end": "2027-02-05", "name": ""})
    assert backwards.status_code == 422
    messages = " ".join(e["msg"] for e in backwards.json()["detail"])
    assert "结束日期不能早于开始日期" in messages and "请填写名称" in messages
    assert (
        api.post("/holidays", {"start": "2027-01-01", "end": "2027-03-01", "name": "长假"}).status_code == 422
    )
    assert api.get("/holidays?year=1999").status_code == 422


def test_the_holidays_page_lists_a_year_and_lets_a_city_officer_add_days(
    world, city_officer, django_assert_max_num_queries
):
    client = Client()
    client.force_login(city_officer)
    page = client.get("/app/holidays/?year=2027")
    assert (
        page.status_code == 200
        and "2027-01-01" in page.content.decode()
        and "录入放假或调休" in page.content.decode()
    )
    assert 'href="/app/holidays/"' in page.content.decode()  # in the menu
    done = client.post(
        "/app/holidays/?year=2027", {"start": "2027-09-30", "name": "国庆节调休", "is_rest_day": "0"}
    )
    assert done.status_code == 302 and not Holiday.objects.get(day=date(2027, 9, 30)).is_rest_day
    with django_assert_max_num_queries(12):
        client.get("/app/holidays/?year=2027")
    district = Client()
    district.force_login(world.east_officer)
    assert "录入放假或调休" not in district.get("/app/holidays/?year=2027").content.decode()
    assert district.post("/app/holidays/", {"start": "2027-09-30", "name": "x"}).status_code == 403
