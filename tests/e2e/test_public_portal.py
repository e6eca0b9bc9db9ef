"""Issue 8, done when, through a real browser: a person on a phone, not logged in, finds the nearest station
with its hotline, claims two free tickets and gets a code with its QR, asks for help and later checks its
status; and the other public pages fit a 375 px screen without console errors.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Geolocation, Page, expect

from tests.e2e.conftest import assert_no_horizontal_scroll
from tests.test_events import make_event
from tests.test_outreach_helpers import donation, venue
from tests.test_portal import city as city  # the fixture, re-exported for pytest
from tests.test_tickets import _fresh_rate_limits as _fresh_rate_limits  # autouse: rate limits start empty
from zhiyuan.community.models import HelpRequest
from zhiyuan.community.services.news import news_publish
from zhiyuan.outreach.models import TicketClaim, TicketDonation

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("console_errors")]

# a few hundred metres from 郑州东站
NEAR_EAST_STATION: Geolocation = {"latitude": 34.760, "longitude": 113.770}


def test_a_person_finds_the_nearest_station_claims_tickets_and_asks_for_help(
    page: Page, context: BrowserContext, live_server: Any, world: Any, city: dict[str, Any], screenshot: Any
) -> None:
    gift = donation(world, city["campaign"], quantity=30)
    context.grant_permissions(["geolocation"])
    context.set_geolocation(NEAR_EAST_STATION)

    # --- the portal home: the campaign, its hotline, a way to the nearest station -----------------------
    page.goto("/")
    expect(page.locator("h1")).to_have_text(city["campaign"].title)
    expect(page.locator("a.tel", has_text="0371-67186891")).to_be_visible()
    nav = page.locator(".pub-nav a")
    expect(nav).to_have_count(8)
    for i in range(8):  # every section is on screen, none hidden off to the right
        expect(nav.nth(i)).to_be_in_viewport(ratio=1)
    assert_no_horizontal_scroll(page)
    screenshot("home")
    page.get_by_role("link", name="找最近的站点").click()

    # --- stations: the phone's position sorts them, the nearest comes first with its hotline -------------
    expect(page).to_have_url(f"{live_server.url}/stations/")
    page.locator("#locate").click()  # locate.js reads the granted position and reloads with ?lat=&lng=
    expect(page).to_have_url(re.compile(r"/stations/\?lat=34\.760&lng=113\.770$"))
    expect(page.locator("#locate-status")).to_have_text("已按距离从近到远排列。")
    first = page.locator("ul.list > li").first
    expect(first.locator("h3 a")).to_have_text("郑州火车东站")
    expect(first.locator(".badge.ok")).to_have_text("志愿者在岗")
    expect(first.locator('a.tel[href="tel:0371-68880002"]')).to_be_visible()
    expect(page.locator("ul.list > li").nth(1).locator("h3 a")).to_have_text("郑州火车站")
    assert_no_horizontal_scroll(page)
    screenshot("stations-near")

    # --- free tickets: claim two, get the code and its QR ---------------------------------------------------
    page.locator(".pub-nav").get_by_role("link", name="免费门票").click()
    expect(page.locator("section", has_text=gift.donor).locator(".badge.ok")).to_have_text("剩余 30 张")
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="预约领取").click()
    expect(page).to_have_url(f"{live_server.url}/tickets/{gift.pk}/claim/")
    expect(page.get_by_label("个人")).to_be_checked()
    page.get_by_label("姓名或单位名称").fill("李某")
    page.get_by_label("手机号码").fill("138 0013 8000")
    page.get_by_label("领取数量").fill("2")
    assert_no_horizontal_scroll(page)
    screenshot("claim-form")
    page.get_by_role("button", name="提交预约").click()

    claim = TicketClaim.objects.get(donation=gift)
    expect(page).to_have_url(f"{live_server.url}/tickets/claim/{claim.code}/")
    expect(page.locator("p.code")).to_have_text(claim.code)
    qr = page.locator(".qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 120, box  # big enough to scan off the screen
    facts = page.locator("dl.facts").first
    expect(facts.locator("dt", has_text="数量").locator("+ dd")).to_have_text("2")
    expect(facts.locator("dt", has_text="手机号码").locator("+ dd")).to_have_text("138****8000")
    assert "13800138000" not in page.content()
    assert_no_horizontal_scroll(page)
    screenshot("claim-code")
    assert TicketDonation.objects.get(pk=gift.pk).remaining == 28

    # --- help: file a request, then look its status up with the code and the phone's last four digits --
    page.locator(".pub-nav").get_by_role("link", name="求助").click()
    expect(page.locator("h1")).to_have_text("在线求助")
    page.get_by_label("需要什么帮助").select_option("tickets")
    page.get_by_label("请说明情况").fill("想买回信阳的火车票，不会网上订票")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("您在哪个站点附近").select_option(str(city["east"].pk))
    assert_no_horizontal_scroll(page)
    screenshot("help-form")
    page.get_by_role("button", name="提交求助").click()

    code_box = page.get_by_test_id("help-code")
    expect(code_box).to_have_text(re.compile(r"^[A-Z0-9]{6,}$"))
    code = code_box.inner_text()
    assert HelpRequest.objects.get(code=code).organization == world.east
    assert_no_horizontal_scroll(page)
    screenshot("help-filed")

    page.get_by_role("link", name="查看办理进度").click()
    expect(page).to_have_url(f"{live_server.url}/help/status/")
    page.get_by_label("查询码").fill(code.lower())
    page.get_by_label("联系电话后四位").fill("5678")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("h1")).to_have_text("求助进度")
    expect(page.get_by_test_id("help-status")).to_be_visible()
    facts = page.locator("dl.facts")
    expect(facts.locator("dt", has_text="联系电话").locator("+ dd")).to_have_text("138****5678")
    expect(facts.locator("dt", has_text="承办单位").locator("+ dd")).to_have_text(world.east.name)
    assert "13812345678" not in page.content()
    assert_no_horizontal_scroll(page)
    screenshot("help-status")


def test_the_other_public_pages_fit_a_phone(
    page: Page, live_server: Any, world: Any, city: dict[str, Any], screenshot: Any
) -> None:
    event = make_event(world, title="和留守工友一起包饺子，欢迎带孩子来（金水区某社区党群服务中心）")
    news = news_publish(
        by=world.east_officer,
        title="郑东新区志愿者在郑州东站东广场为返乡工友送上热水和姜茶",
        body="正文：志愿者们从早上七点开始在东广场值守。" * 20,
    )
    place = venue(
        world, name="郑州市科学技术馆（新馆，演示）", address="郑州市郑东新区龙湖中环路与如意东路交叉口"
    )

    for path, name in (
        ("/events/", event.title),
        ("/news/", news.title),
        ("/venues/", place.name),
        ("/channels/", "春运服务热线"),
    ):
        page.goto(path)
        link_or_text = page.locator("main").get_by_text(name, exact=False).first
        expect(link_or_text).to_be_visible()
        assert_no_horizontal_scroll(page)
        screenshot(path.strip("/"))

    page.goto("/events/")
    page.get_by_role("link", name=event.title).click()
    expect(page).to_have_url(f"{live_server.url}/events/{event.pk}/")
    assert_no_horizontal_scroll(page)
    page.goto("/news/")
    page.get_by_role("link", name=news.title).click()
    expect(page).to_have_url(f"{live_server.url}/news/{news.pk}/")
    assert_no_horizontal_scroll(page)
    page.goto("/channels/")
    expect(page.locator('a[href^="tel:"]', has_text="0371-67186891").first).to_be_visible()
    page.goto("/venues/")
    page.get_by_role("link", name=place.name).click()
    expect(page).to_have_url(f"{live_server.url}/venues/{place.pk}/")
    assert_no_horizontal_scroll(page)
    screenshot("venue")
