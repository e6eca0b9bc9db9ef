"""Clone follows each campaign's anchor (issue 12 item 5): 春运 moves with 春节, the five-hours campaign
keeps its calendar dates; the officer previews every moved date; rules, stations and rotation come along."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import MembershipFactory
from zhiyuan.campaigns.models import Anchor, Campaign, Station
from zhiyuan.campaigns.services.clone import campaign_clone, clone_preview
from zhiyuan.campaigns.services.rotation import spring_festival_days
from zhiyuan.campaigns.shift_forms import ShiftForm
from zhiyuan.core import holidays
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Role
from zhiyuan.reporting.models import ReportRule
from zhiyuan.seeds.loader import load_seeds

BJ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def seeded(db):
    load_seeds()
    city = Organization.objects.get(parent=None, name="郑州市文明办")
    officer = MembershipFactory(organization=city, role=Role.OFFICER).user
    five = Campaign.objects.get(slug="five-hours-2019")
    # 各工作站7月底之前务必按“六有一落实”的标准将……志愿服务站完善到位 (seed 001 §四)
    Station.objects.create(
        campaign=five,
        name="IT产业园第一工作站“文明使者”志愿服务站",
        place="第一工作站",
        responsible_office=five.organizer,
        standard_due_on=date(2019, 7, 31),
    )
    return officer


def test_the_five_hours_campaign_cloned_to_2026_keeps_7_26_and_its_7_31_station_deadline(seeded):
    source = Campaign.objects.get(slug="five-hours-2019")
    assert source.anchor == Anchor.CALENDAR
    clone = campaign_clone(by=seeded, source=source, year=2026)
    assert (clone.slug, clone.starts_on, clone.ends_on) == (
        "five-hours-2026",
        date(2026, 7, 26),
        date(2026, 12, 31),
    )
    assert [(p.starts_on, p.ends_on) for p in clone.phases.all()] == [(date(2026, 7, 26), date(2026, 12, 31))]
    assert [s.standard_due_on for s in clone.stations.all()] == [date(2026, 7, 31)]
    # the rules come along: 8月2日前 stays 8/2, daily 15:30 and Friday 15:00 unchanged, sent to 文宣办
    rules = {r.title: r for r in clone.report_rules.select_related("receiver")}
    assert set(rules) == {"志愿服务队人员名单", "每日简报", "本周总结及下周计划"}
    assert rules["志愿服务队人员名单"].due_at == datetime(2026, 8, 2, 0, 0, tzinfo=BJ)
    assert rules["每日简报"].due_time == time(15, 30) and rules["本周总结及下周计划"].weekday == 4
    assert {r.receiver.name for r in rules.values()} == {"文宣办"}
    # and the 2019 rules are where they were
    assert ReportRule.objects.get(campaign=source, title="志愿服务队人员名单").due_at.year == 2019


def test_chunyun_cloned_to_2027_keeps_every_distance_to_spring_festival(seeded):
    source = Campaign.objects.get(slug="chunyun-2019")
    clone = campaign_clone(by=seeded, source=source, year=2027)
    offset = holidays.spring_festival(2027) - holidays.spring_festival(2019)
    assert (clone.starts_on, clone.ends_on) == (date(2019, 1, 21) + offset, date(2019, 3, 1) + offset)
    assert clone.starts_on == date(2027, 1, 22)
    plan = clone.report_rules.get(title="春运活动方案（附件5）")
    # 1月23日12时前, two days into the campaign, still at 12时 Beijing time
    assert plan.due_at == datetime(2027, 1, 24, 12, 0, tzinfo=BJ)
    assert clone.report_rules.count() == source.report_rules.count() == 6
    tickets = clone.report_rules.get(form="tickets")
    assert {o.name for o in tickets.organizations.all()} == {"市园林局", "市文物局", "市文广新局"}
    duties = list(clone.duties.order_by("date"))
    assert len(duties) == 27 and not any(d.date in spring_festival_days(2027) for d in duties)


def test_the_preview_lists_every_moved_date_and_writes_nothing(seeded):
    source = Campaign.objects.get(slug="five-hours-2019")
    before = Campaign.objects.count()
    preview = clone_preview(source=source, year=2026)
    assert Campaign.objects.count() == before
    moved = {(d.section, d.what): (d.before, d.after) for d in preview.dates}
    assert moved[("活动", "开始日期")] == (date(2019, 7, 26), date(2026, 7, 26))
    assert moved[("站点", "IT产业园第一工作站“文明使者”志愿服务站 达标期限")] == (
        date(2019, 7, 31),
        date(2026, 7, 31),
    )
    assert moved[("上报规则", "志愿服务队人员名单")][1] == datetime(2026, 8, 2, 0, 0, tzinfo=BJ)
    chunyun = clone_preview(source=Campaign.objects.get(slug="chunyun-2019"), year=2027)
    assert sum(d.section == "集中服务" for d in chunyun.dates) == 27
    assert sum(d.section == "阶段" for d in chunyun.dates) == 6
    with pytest.raises(ValidationError):
        clone_preview(source=source, year=2019)


def test_cloned_stations_are_told_apart_by_campaign_and_year_in_the_shift_form(seeded):
    source = Campaign.objects.get(slug="chunyun-2019")
    campaign_clone(by=seeded, source=source, year=2027)
    form = ShiftForm(user=seeded)
    labels = [label for _value, label in form.fields["station"].choices][1:]
    east = [label for label in labels if label.startswith("郑州火车站东广场")]
    assert len(east) == 2 and len(set(east)) == 2
    assert any("2027年" in label for label in east) and any("2019年" in label for label in east)


def test_the_clone_page_previews_then_clones(seeded):
    client = Client()
    client.force_login(seeded)
    page = client.get("/app/campaigns/five-hours-2019/clone/?year=2026")
    assert page.status_code == 200
    body = page.content.decode()
    assert "2026-07-26" in body and "2026-07-31" in body and "确认复制" in body
    assert not Campaign.objects.filter(slug="five-hours-2026").exists()
    done = client.post("/app/campaigns/five-hours-2019/clone/", {"year": "2026"})
    assert done.status_code == 302 and done.url.endswith("/five-hours-2026/")
    again = client.get("/app/campaigns/five-hours-2019/clone/?year=2026")
    assert "已被使用" in again.content.decode()


def test_the_api_previews_with_dry_run_and_clones_without(seeded, api_as):
    api = api_as(seeded)
    preview = api.post("/campaigns/five-hours-2019/clone", {"year": 2026, "dry_run": True})
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["starts_on"] == "2026-07-26" and not Campaign.objects.filter(slug="five-hours-2026").exists()
    assert any(d["what"].endswith("达标期限") and d["after"] == "2026-07-31" for d in body["dates"])
    made = api.post("/campaigns/five-hours-2019/clone", {"year": 2026})
    assert made.status_code == 201 and made.json()["starts_on"] == "2026-07-26"
    assert api.post("/campaigns/five-hours-2019/clone", {"year": 2026}).status_code == 422


def test_an_officer_cannot_clone_another_subtrees_campaign(world, api_as):
    east_campaign = Campaign.objects.create(
        slug="east-2030",
        title="2030年东区活动",
        organizer=world.east,
        starts_on=date(2030, 1, 1),
        ends_on=date(2030, 1, 31),
    )
    api = api_as(world.west_officer)
    assert (
        api.post(f"/campaigns/{east_campaign.slug}/clone", {"year": 2031, "dry_run": True}).status_code == 404
    )
    assert api.post(f"/campaigns/{east_campaign.slug}/clone", {"year": 2031}).status_code == 404
    client = Client()
    client.force_login(world.west_officer)
    assert client.get(f"/app/campaigns/{east_campaign.slug}/clone/?year=2031").status_code == 404
    assert not Campaign.objects.filter(slug="east-2031").exists()
