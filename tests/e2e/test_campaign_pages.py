"""Campaign pages on a 375 px phone (issue 12): create a campaign with its phases, add a deadline rule,
preview a clone, lay the rotation. Nothing scrolls sideways and the console stays clean."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_no_horizontal_scroll, login, officer_of
from zhiyuan.campaigns.models import Campaign, Duty
from zhiyuan.reporting.models import ReportRule

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("console_errors")]


def test_an_officer_builds_a_2027_campaign_on_a_phone(page: Page, live_server: Any, world: Any) -> None:
    officer = officer_of(world.city, username="city_officer", full_name="王红彬")
    login(page, officer)
    page.goto("/app/campaigns/")
    page.get_by_role("link", name="新建活动").click()
    expect(page).to_have_url(re.compile(r"/app/campaigns/new/$"))
    assert_no_horizontal_scroll(page)
    page.locator("#id_slug").fill("chunyun-2027")
    page.locator("#id_title").fill("2027年春运期间关爱外来务工人员志愿服务活动")
    page.locator("#id_organizer").select_option(str(world.city.pk))
    page.locator("#id_starts_on").fill("2027-01-22")
    page.locator("#id_ends_on").fill("2027-03-02")
    page.locator("#id_anchor").select_option("spring_festival")
    for i, (start, end) in enumerate(
        [("2027-01-22", "2027-01-24"), ("2027-01-25", "2027-02-27"), ("2027-02-28", "2027-03-02")]
    ):
        page.locator(f"#id_phases-{i}-starts_on").fill(start)
        page.locator(f"#id_phases-{i}-ends_on").fill(end)
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(r"/app/campaigns/chunyun-2027/$"))
    assert Campaign.objects.get(slug="chunyun-2027").phases.count() == 3

    page.get_by_role("link", name="上报规则").click()
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="新增规则").click()
    page.locator("#id_title").fill("每日简报")
    page.locator("#id_form").select_option("daily_brief")
    page.locator("#id_deadline_kind").select_option("daily")
    page.locator("#id_due_time").fill("15:30")
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#rules")).to_contain_text("15:30")
    assert ReportRule.objects.filter(campaign__slug="chunyun-2027").count() == 1
    assert_no_horizontal_scroll(page)

    page.goto("/app/campaigns/chunyun-2027/rotation/lay/")
    page.locator("#id_places").fill("火车站\n火车东站")
    page.locator("#id_units").fill(f"{world.east.name}\n{world.west.name}")
    page.locator("#id_start").fill("2027-02-03")
    page.locator("#id_end").fill("2027-02-14")
    page.get_by_role("button", name="预览").click()
    expect(page.locator("#preview")).to_contain_text("2027-02-12")
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="确认生成").click()
    expect(page).to_have_url(re.compile(r"/rotation/$"))
    assert Duty.objects.filter(campaign__slug="chunyun-2027").count() == 5
    assert_no_horizontal_scroll(page)

    page.goto("/app/campaigns/chunyun-2027/clone/?year=2028")
    expect(page.locator("#preview")).to_contain_text("2028")
    assert_no_horizontal_scroll(page)
