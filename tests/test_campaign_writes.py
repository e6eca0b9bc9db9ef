"""Campaigns from the workspace (issue 12 item 1): POST/PATCH /api/v1/campaigns and the pages, with
Chinese validation of every field at once, nothing half-saved, history, and scoped ids."""

from datetime import date

import pytest
from django.test import Client

from zhiyuan.campaigns.models import Campaign, Phase

PHASES = [
    {"kind": "prepare", "name": "准备阶段", "starts_on": "2027-01-22", "ends_on": "2027-01-24"},
    {"kind": "implement", "name": "实施阶段", "starts_on": "2027-01-25", "ends_on": "2027-02-27"},
    {"kind": "summary", "name": "总结阶段", "starts_on": "2027-02-28", "ends_on": "2027-03-02"},
]


def _body(world, **extra):
    return {
        "slug": "chunyun-east-2027",
        "title": "2027年春运期间关爱外来务工人员志愿服务活动",
        "theme": "温暖回乡路，共铸留守情",
        "organizer_id": world.east.pk,
        "starts_on": "2027-01-22",
        "ends_on": "2027-03-02",
        "anchor": "spring_festival",
        "phases": PHASES,
        "programmes": [
            {
                "name": "温暖回乡路",
                "items": [{"title": "重点部位设置志愿服务站点", "responsible_ids": [world.east_team.pk]}],
            }
        ],
        **extra,
    }


@pytest.fixture(autouse=True)
def _december_2026(settings, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 12, 4))


def test_an_officer_creates_a_2027_campaign_with_phases_and_programmes(world, api_as):
    api = api_as(world.east_officer)
    made = api.post("/campaigns", _body(world))
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["slug"], body["anchor"], body["starts_on"]) == (
        "chunyun-east-2027",
        "spring_festival",
        "2027-01-22",
    )
    assert [p["name"] for p in body["phases"]] == ["准备阶段", "实施阶段", "总结阶段"]
    assert body["programmes"][0]["items"][0]["responsible_ids"] == [world.east_team.pk]
    assert api.get("/campaigns/chunyun-east-2027").status_code == 200


def test_every_problem_is_reported_at_once_in_chinese_and_nothing_is_saved(world, api_as):
    api = api_as(world.east_officer)
    Campaign.objects.create(
        slug="taken-2027",
        title="已有",
        organizer=world.east,
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 1, 2),
    )
    bad_phase = {"kind": "summary", "name": "总结阶段", "starts_on": "2027-03-01", "ends_on": "2027-03-09"}
    response = api.post(
        "/campaigns", _body(world, slug="taken-2027", ends_on="2027-03-05", phases=[*PHASES[:2], bad_phase])
    )
    assert response.status_code == 422
    errors = {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}
    assert "已被使用" in errors[("body", "slug")]
    assert "活动期间之内" in errors[("body", "phases.2")]
    order = api.post("/campaigns", _body(world, starts_on="2027-03-05", ends_on="2027-03-01"))
    assert "结束日期不能早于开始日期" in str(order.json())
    assert not Campaign.objects.filter(slug="chunyun-east-2027").exists() and not Phase.objects.exists()


def test_ids_in_the_body_are_scoped_like_ids_in_the_url(world, api_as):
    api = api_as(world.west_officer)
    # the west officer names the east office as organiser, then the east team as a responsible unit
    as_east = api.post("/campaigns", _body(world))
    assert as_east.status_code == 422 and "organizer_id" in str(as_east.json())
    west_team = api.post("/campaigns", _body(world, organizer_id=world.west.pk))
    assert west_team.status_code == 422 and "未找到责任单位" in str(west_team.json())
    assert not Campaign.objects.exists()
    east = api_as(world.east_officer)
    assert east.post("/campaigns", _body(world)).status_code == 201
    assert api.patch("/campaigns/chunyun-east-2027", {"title": "改名"}).status_code == 404
    assert api.get("/campaigns/chunyun-east-2027/history").status_code == 404
    moved = east.patch("/campaigns/chunyun-east-2027", {"organizer_id": world.west.pk})
    assert moved.status_code == 422


def test_patch_edits_a_planned_campaign_keeps_history_and_refuses_an_ended_one(world, api_as):
    api = api_as(world.east_officer)
    api.post("/campaigns", _body(world))
    changed = api.patch("/campaigns/chunyun-east-2027", {"theme": "温暖回乡路", "ends_on": "2027-03-03"})
    assert changed.status_code == 200 and changed.json()["theme"] == "温暖回乡路"
    # shortening the period under a phase is refused, naming the phase
    short = api.patch("/campaigns/chunyun-east-2027", {"ends_on": "2027-02-27"})
    assert short.status_code == 422 and "总结阶段" in str(short.json())
    history = api.get("/campaigns/chunyun-east-2027/history").json()
    assert history["count"] == 2 and set(history["items"][0]["fields"]) == {"theme", "ends_on"}
    Campaign.objects.create(
        slug="old-2019",
        title="旧",
        organizer=world.east,
        starts_on=date(2019, 1, 1),
        ends_on=date(2019, 1, 2),
    )
    assert api.patch("/campaigns/old-2019", {"title": "新"}).status_code == 409


def test_the_pages_create_and_edit_a_campaign_with_its_phases(world):
    client = Client()
    client.force_login(world.east_officer)
    assert "新建活动" in client.get("/app/campaigns/").content.decode()
    data = {
        "slug": "five-hours-east-2027",
        "title": "2027年每周奉献五小时",
        "organizer": world.east.pk,
        "starts_on": "2027-07-26",
        "ends_on": "2027-12-31",
        "anchor": "calendar",
        "phases-TOTAL_FORMS": "2",
        "phases-INITIAL_FORMS": "0",
        "phases-0-kind": "implement",
        "phases-0-name": "常态化运行",
        "phases-0-starts_on": "2027-07-26",
        "phases-0-ends_on": "2028-01-05",
        "phases-1-kind": "",
        "phases-1-name": "",
    }
    page = client.post("/app/campaigns/new/", data)
    assert page.status_code == 200 and "须在活动期间之内" in page.content.decode()
    assert not Campaign.objects.exists()
    data["phases-0-ends_on"] = "2027-12-31"
    assert client.post("/app/campaigns/new/", data).status_code == 302
    campaign = Campaign.objects.get(slug="five-hours-east-2027")
    assert [p.name for p in campaign.phases.all()] == ["常态化运行"]
    edit = client.get("/app/campaigns/five-hours-east-2027/edit/")
    assert edit.status_code == 200 and "修改记录" in edit.content.decode()
    data.pop("slug")
    data.update({"title": "2027年“人人都是志愿者 每周奉献五小时”", "phases-INITIAL_FORMS": "1"})
    assert client.post("/app/campaigns/five-hours-east-2027/edit/", data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.title.startswith("2027年“人人")
    outsider = Client()
    outsider.force_login(world.west_officer)
    assert outsider.get("/app/campaigns/five-hours-east-2027/edit/").status_code == 404


def test_the_campaign_list_and_history_keep_their_query_count(world, api_as, django_assert_max_num_queries):
    api = api_as(world.east_officer)
    for year in (2027, 2028):
        api.post("/campaigns", _body(world, slug=f"c-{year}"))
    with django_assert_max_num_queries(8):
        assert api.get("/campaigns").json()["count"] == 2
    for n in range(5):
        api.patch("/campaigns/c-2027", {"theme": f"主题{n}"})
    with django_assert_max_num_queries(8):
        assert api.get("/campaigns/c-2027/history").json()["count"] == 6
