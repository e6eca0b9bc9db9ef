"""Deadline rules from the workspace (issue 12 item 3): every kind the engine knows, who reports and to
whom, weekends; scoped ids; the page; and the liaison sees what the officer set."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import MembershipFactory
from zhiyuan.campaigns.models import Campaign
from zhiyuan.organizations.roles import Role
from zhiyuan.reporting.models import ReportRule


@pytest.fixture
def campaign(world):
    today = timezone.localdate()
    return Campaign.objects.create(
        slug="city-campaign",
        title="全市活动",
        organizer=world.city,
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=60),
    )


@pytest.fixture
def city_officer(world):
    return MembershipFactory(organization=world.city, role=Role.OFFICER).user


def _plan(world, **extra):
    return {
        "title": "活动方案",
        "form": "plan",
        "deadline_kind": "absolute",
        "due_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT12:00:00"),
        "applies_to_id": world.city.pk,
        "applies_to_kinds": ["office"],
        "applies_to_depth": 1,
        "receiver_id": world.city.pk,
        **extra,
    }


def test_an_officer_sets_every_kind_of_rule_and_a_liaison_sees_the_deadline(
    world, campaign, city_officer, api_as
):
    api = api_as(city_officer)
    kinds = [
        _plan(world),
        {
            "title": "信息上报表",
            "form": "activity_report",
            "deadline_kind": "relative",
            "relative_to": "duty_end",
            "relative_hours": 24,
        },
        {
            "title": "每日简报",
            "form": "daily_brief",
            "deadline_kind": "daily",
            "due_time": "15:30",
            "include_weekends": True,
        },
        {
            "title": "周总结",
            "form": "weekly_summary",
            "deadline_kind": "weekly",
            "weekday": 4,
            "due_time": "15:00",
        },
        {"title": "动态信息", "form": "dynamic_info", "deadline_kind": "any_time"},
    ]
    for body in kinds:
        made = api.post("/campaigns/city-campaign/report-rules", body)
        assert made.status_code == 201, made.content
    listed = api.get("/campaigns/city-campaign/report-rules").json()
    assert listed["count"] == 5
    daily = next(r for r in listed["items"] if r["title"] == "每日简报")
    assert daily["include_weekends"] is True and daily["due_time"] == "15:30:00"
    plan = next(r for r in listed["items"] if r["title"] == "活动方案")
    assert plan["receiver_id"] == world.city.pk and plan["applies_to_kinds"] == ["office"]
    # a 联络员 of 郑东新区文明办 (a direct child office of the city) now owes the plan
    liaison = MembershipFactory(organization=world.east, role=Role.LIAISON).user
    dues = api_as(liaison).get("/report-dues").json()
    assert any(d["rule_title"] == "活动方案" and d["organization_id"] == world.east.pk for d in dues["items"])


def test_a_rule_missing_what_its_kind_needs_is_refused_in_chinese(world, campaign, city_officer, api_as):
    api = api_as(city_officer)
    weekly = api.post(
        "/campaigns/city-campaign/report-rules",
        {"title": "周报", "form": "weekly_summary", "deadline_kind": "weekly"},
    )
    assert weekly.status_code == 422
    fields = {e["loc"][-1]: e["msg"] for e in weekly.json()["detail"]}
    assert "截止时刻" in fields["due_time"] and "星期" in fields["weekday"]
    bad = api.post("/campaigns/city-campaign/report-rules", _plan(world, applies_to_kinds=["planet"]))
    assert bad.status_code == 422 and "未知的组织类型" in str(bad.json())
    api.post("/campaigns/city-campaign/report-rules", _plan(world))
    twice = api.post("/campaigns/city-campaign/report-rules", _plan(world))
    assert twice.status_code == 422 and "已有名为" in str(twice.json())
    assert ReportRule.objects.count() == 1


def test_patch_switches_the_kind_and_clears_what_it_no_longer_uses(world, campaign, city_officer, api_as):
    api = api_as(city_officer)
    rule = api.post("/campaigns/city-campaign/report-rules", _plan(world)).json()
    changed = api.patch(
        f"/campaigns/city-campaign/report-rules/{rule['id']}", {"deadline_kind": "daily", "due_time": "12:00"}
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["due_at"] is None and changed.json()["deadline_kind"] == "daily"


def test_ids_of_another_subtree_are_not_found_in_the_url_or_the_body(world, api_as):
    east_campaign = Campaign.objects.create(
        slug="east-campaign",
        title="东区活动",
        organizer=world.east,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=30),
    )
    east = api_as(world.east_officer)
    west = api_as(world.west_officer)
    rule = east.post(
        "/campaigns/east-campaign/report-rules", _plan(world, applies_to_id=world.east.pk, receiver_id=None)
    ).json()
    assert west.get("/campaigns/east-campaign/report-rules").status_code == 404
    assert west.post("/campaigns/east-campaign/report-rules", _plan(world)).status_code == 404
    assert (
        west.patch(f"/campaigns/east-campaign/report-rules/{rule['id']}", {"title": "x"}).status_code == 404
    )
    # the east officer names the west office in the body
    body = _plan(world, title="西区", applies_to_id=world.west.pk, receiver_id=None)
    assert east.post("/campaigns/east-campaign/report-rules", body).status_code == 422
    named = east.patch(
        f"/campaigns/east-campaign/report-rules/{rule['id']}", {"organization_ids": [world.west_team.pk]}
    )
    assert named.status_code == 422
    assert ReportRule.objects.get(pk=rule["id"]).organizations.count() == 0
    assert east_campaign.report_rules.count() == 1


def test_the_rule_list_keeps_its_query_count(
    world, campaign, city_officer, api_as, django_assert_max_num_queries
):
    api = api_as(city_officer)
    for n in range(2):
        api.post(
            "/campaigns/city-campaign/report-rules",
            _plan(world, title=f"方案{n}", organization_ids=[world.east.pk]),
        )
    with django_assert_max_num_queries(7):
        assert api.get("/campaigns/city-campaign/report-rules").json()["count"] == 2
    for n in range(2, 8):
        api.post(
            "/campaigns/city-campaign/report-rules",
            _plan(world, title=f"方案{n}", organization_ids=[world.west.pk]),
        )
    with django_assert_max_num_queries(7):  # the same at four times the rows
        assert api.get("/campaigns/city-campaign/report-rules").json()["count"] == 8


def test_the_rules_page_adds_a_rule_and_lists_it(world, campaign, city_officer):
    client = Client()
    client.force_login(city_officer)
    detail = client.get("/app/campaigns/city-campaign/").content.decode()
    assert "/app/reports/campaigns/city-campaign/rules/" in detail
    page = client.post(
        "/app/reports/campaigns/city-campaign/rules/new/",
        {"title": "每日简报", "form": "daily_brief", "deadline_kind": "daily"},
    )
    assert page.status_code == 200 and "请填写截止时刻" in page.content.decode()
    done = client.post(
        "/app/reports/campaigns/city-campaign/rules/new/",
        {
            "title": "每日简报",
            "form": "daily_brief",
            "deadline_kind": "daily",
            "due_time": "15:30",
            "include_weekends": "on",
            "applies_to": world.city.pk,
            "applies_to_kinds": ["office"],
            "applies_to_depth": "1",
        },
    )
    assert done.status_code == 302
    listing = client.get("/app/reports/campaigns/city-campaign/rules/").content.decode()
    assert "每日简报" in listing and "15:30" in listing and "含周末和节假日" in listing
    outsider = Client()
    outsider.force_login(world.west_officer)
    assert outsider.get("/app/reports/campaigns/city-campaign/rules/new/").status_code == 404
