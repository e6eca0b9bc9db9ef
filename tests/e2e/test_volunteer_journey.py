"""End to end on a phone: a newcomer registers, applies to a recruitment, is approved by the team's leader in
another browser, and then finds the team and its required training on their own pages.

The one-time code is read from `sms.MemoryBackend.outbox`: pytest-django's live server runs in a thread of
this process, so the list it appends to is the one this test reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    PHONE,
    RESULTS_DIR,
    _slug,
    assert_no_horizontal_scroll,
    login,
    make_user,
    officer_of,
)
from tests.factories import MembershipFactory, OrganizationFactory
from tests.people_helpers import id_number, last_code
from zhiyuan.core import ids, sms
from zhiyuan.organizations.models import Kind, Membership, Organization
from zhiyuan.organizations.roles import Role
from zhiyuan.people.models import Application, Recruitment, TrainingCourse, Volunteer
from zhiyuan.people.services import recruitment as recruitment_services
from zhiyuan.people.services import training as training_services

pytestmark = pytest.mark.e2e

MOBILE = "13938271605"
FULL_NAME = "陈思远"
ID_NUMBER = id_number(date(1996, 5, 17), seq=357)  # 357: odd, a man
PASSWORD = "Ruyihu-Spring-2027"


@dataclass
class EastDistrict:
    east: Organization  # 郑东新区文明办: the newcomer's 所属区域
    west: Organization  # 中原区文明办: the other choice in the list
    brigade: Organization  # 支队 under the east office; requires the course
    team: Organization  # 服务队 under the 支队; the recruitment fills it
    officer: Any  # officer at the east office: writes and publishes the notice
    leader: Any  # the team's 队长: decides on applications
    notice: Recruitment
    course: TrainingCourse  # required for the 支队, so for the team below it
    elsewhere: TrainingCourse  # required for a west team only: must not be asked of the newcomer


@pytest.fixture
def district(transactional_db: None) -> EastDistrict:
    city = OrganizationFactory(name="郑州市文明办", kind=Kind.OFFICE)
    east = OrganizationFactory(name="郑东新区文明办", kind=Kind.OFFICE, parent=city)
    west = OrganizationFactory(name="中原区文明办", kind=Kind.OFFICE, parent=city)
    brigade = OrganizationFactory(name="郑东新区青年志愿服务支队", kind=Kind.BRIGADE, parent=east)
    team = OrganizationFactory(name="如意湖青年志愿服务队", kind=Kind.TEAM, parent=brigade)
    west_team = OrganizationFactory(name="中原区巾帼志愿服务队", kind=Kind.TEAM, parent=west)
    officer = officer_of(east, username="zd_officer", full_name="王东区")
    west_officer = officer_of(west, username="zy_officer", full_name="李中原")
    leader = make_user(username="ruyihu_leader", full_name="赵队长")
    MembershipFactory(user=leader, organization=team, role=Role.LEADER)

    start = timezone.localdate() + timedelta(days=20)
    draft = recruitment_services.recruitment_create(
        by=officer,
        organization=east,
        team=team,
        title="2027年春运郑州东站志愿者招募",
        content="在东广场引导旅客进站、咨询问询、帮扶重点旅客",
        recipients="进出站旅客",
        starts_on=start,
        ends_on=start + timedelta(days=40),
        time_slots="每天 8:00-12:00、14:00-18:00",
        location="郑州东站东广场",
        wanted=3,
        risks="室外低温，人流密集处可能发生拥挤、踩踏",
        insurance="由郑东新区文明办统一购买人身意外伤害保险",
        deadline=timezone.now() + timedelta(days=10),
    )
    notice = recruitment_services.recruitment_publish(by=officer, recruitment=draft)

    course = training_services.course_create(
        by=officer,
        organizer=brigade,
        name="春运志愿服务岗前培训",
        content="服务礼仪、站内引导、应急处置",
        hours=Decimal("2.5"),
        date=timezone.localdate() - timedelta(days=30),
        required_for=[brigade],
    )
    elsewhere = training_services.course_create(
        by=west_officer,
        organizer=west_team,
        name="中原区应急救护培训",
        content="心肺复苏、止血包扎",
        hours=Decimal("4"),
        date=timezone.localdate() - timedelta(days=30),
        required_for=[west_team],
    )
    return EastDistrict(east, west, brigade, team, officer, leader, notice, course, elsewhere)


@pytest.fixture
def sms_outbox(settings: Any) -> Iterator[list[sms.Sent]]:
    """Text messages go to the in-memory outbox, emptied before and after the test."""
    settings.ZHIYUAN_SMS_BACKEND = "zhiyuan.core.sms.MemoryBackend"
    sms.MemoryBackend.outbox.clear()
    yield sms.MemoryBackend.outbox
    sms.MemoryBackend.outbox.clear()


@pytest.fixture
def leader_page(browser: Browser, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A second phone, in its own browser context: the team leader's, with no cookie shared."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        screen=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(15_000)
    page = context.new_page()
    js_errors: list[str] = []
    page.on("pageerror", lambda exc: js_errors.append(str(exc)))
    yield page
    call = getattr(request.node, "_e2e_call", None)
    if call is not None and call.failed:
        RESULTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=RESULTS_DIR / f"{_slug(request.node.name)}-leader-FAILED.png", full_page=True)
    context.close()
    assert not js_errors, f"JavaScript errors on the leader's page: {js_errors}"


@pytest.fixture
def leader_screenshot(leader_page: Page, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """Like `screenshot`, for the leader's phone."""

    def take(step: str) -> Path:
        RESULTS_DIR.mkdir(exist_ok=True)
        path = RESULTS_DIR / f"{_slug(request.node.name)}-{step}.png"
        leader_page.screenshot(path=path, full_page=True)
        return path

    return take


def _assert_id_hidden(page: Page) -> None:
    """The full ID number is nowhere in what the server sent, visible or not."""
    html = page.content()
    assert ID_NUMBER not in html, f"full ID number on {page.url}"
    assert ID_NUMBER[6:14] not in html, f"birth-date digits of the ID number on {page.url}"


def test_newcomer_registers_applies_is_approved_and_sees_team_and_training(
    page: Page,
    leader_page: Page,
    live_server: Any,
    district: EastDistrict,
    sms_outbox: list[sms.Sent],
    screenshot: Callable[[str], Path],
    leader_screenshot: Callable[[str], Path],
) -> None:
    notice, team = district.notice, district.team

    # --- 1. register on the phone --------------------------------------------------------------------------
    page.goto("/register/")
    expect(page.locator("h1")).to_have_text("志愿者注册")
    assert_no_horizontal_scroll(page)
    page.locator("#id_mobile").fill(MOBILE)
    page.get_by_role("button", name="获取验证码").click()  # htmx posts the mobile to /register/code/
    expect(page.locator("#code-status")).to_contain_text("验证码已发送")
    assert [m.mobile for m in sms_outbox] == [MOBILE]
    code = last_code(MOBILE)

    page.locator("#id_code").fill(code)
    page.locator("#id_full_name").fill(FULL_NAME)
    expect(page.locator("#id_id_type")).to_have_value("resident")
    page.locator("#id_id_number").fill(ID_NUMBER)
    page.locator("#id_home_organization").select_option(label=district.east.name)
    page.locator("#id_political_status").select_option(label="群众")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_privacy_consent").check()
    assert_no_horizontal_scroll(page)
    screenshot("register")
    page.get_by_role("button", name="注册", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/app/me/")
    volunteer = Volunteer.objects.select_related("user", "home_organization").get(user__mobile=MOBILE)
    assert re.fullmatch(r"ZY\d{12}", volunteer.number), volunteer.number
    assert volunteer.home_organization == district.east
    assert volunteer.mobile_verified_at is not None
    expect(page.locator(".messages")).to_contain_text(f"注册成功！您的志愿者编号是 {volunteer.number}。")
    expect(page.locator("h1")).to_contain_text(FULL_NAME)
    expect(page.locator("h1 .badge")).to_have_text(volunteer.number)
    expect(page.locator("#id-number")).to_have_text(ids.mask(ID_NUMBER))
    expect(page.locator(".facts")).to_contain_text(district.east.name)
    expect(page.locator("#teams .empty")).to_contain_text("还没有加入队伍")
    _assert_id_hidden(page)
    assert_no_horizontal_scroll(page)
    screenshot("me-registered")

    # --- 2. find the notice, read the risks and the insurance, apply --------------------------------------
    page.goto("/recruit/")
    page.locator("#recruit-results").get_by_role("link", name=notice.title).click()
    expect(page).to_have_url(f"{live_server.url}/recruit/{notice.pk}/")
    facts = page.locator(".facts")
    expect(facts).to_contain_text(team.name)
    expect(facts.locator("dt", has_text="可能的风险").locator("+ dd")).to_have_text(notice.risks)
    expect(facts.locator("dt", has_text="意外保险").locator("+ dd")).to_have_text(notice.insurance)
    expect(page.locator("#places-left")).to_have_text("剩余 3 个名额")
    _assert_id_hidden(page)
    assert_no_horizontal_scroll(page)
    screenshot("recruit-detail")

    apply = page.locator("#apply")
    apply.get_by_role("button", name="报名", exact=True).click()  # htmx swaps the box in place
    expect(apply).to_contain_text("报名成功，请等待审核。")
    expect(apply.locator(".badge")).to_have_text("待审核")
    assert_no_horizontal_scroll(page)
    screenshot("recruit-applied")

    page.goto("/app/me/applications/")
    row = page.locator("ul.list > li", has=page.get_by_role("link", name=notice.title))
    expect(row).to_have_count(1)
    expect(row.locator(".badge").first).to_have_text("待审核")
    expect(row).to_contain_text(team.name)
    _assert_id_hidden(page)
    assert_no_horizontal_scroll(page)

    # --- 3. the team's leader, on their own phone, approves -----------------------------------------------
    login(leader_page, district.leader)
    leader_page.goto("/app/recruitments/")
    leader_page.locator("#recruitment-results").get_by_role("link", name="1 人待审核").click()
    expect(leader_page).to_have_url(
        f"{live_server.url}/app/recruitments/{notice.pk}/applications/?status=pending"
    )
    application = Application.objects.get(recruitment=notice, volunteer=volunteer)
    entry = leader_page.locator(f"#application-{application.pk}")
    expect(entry).to_contain_text(FULL_NAME)
    expect(entry).to_contain_text(volunteer.number)
    expect(entry.locator(".badge", has_text="待审核")).to_be_visible()
    _assert_id_hidden(leader_page)
    assert_no_horizontal_scroll(leader_page)
    leader_screenshot("leader-queue")

    entry.get_by_role("button", name="录用", exact=True).click()  # htmx replaces the row
    expect(entry.locator(".badge", has_text="已录用")).to_be_visible()
    expect(entry).to_contain_text("赵队长")
    expect(entry.get_by_role("button")).to_have_count(0)
    expect(leader_page.locator("#places-left")).to_have_text("剩余 2 个名额")
    assert_no_horizontal_scroll(leader_page)
    leader_screenshot("leader-approved")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.decided_by == district.leader
    assert Membership.objects.filter(user=volunteer.user, organization=team, role=Role.VOLUNTEER).exists()

    # --- 4. back on the volunteer's phone: approved, in the team, training still to do --------------------
    page.goto("/app/me/applications/")
    expect(row.locator(".badge").first).to_have_text("已录用")
    expect(row.get_by_role("button", name="撤回报名")).to_have_count(0)

    page.goto("/app/me/")
    expect(page.locator("#teams li")).to_have_count(1)
    expect(page.locator("#teams li")).to_contain_text(team.name)
    expect(page.locator("#teams li .badge")).to_have_text("志愿者")
    summary = page.locator("#training")  # loaded by htmx after the page
    expect(summary.get_by_role("link", name=district.course.name)).to_be_visible()
    expect(summary).not_to_contain_text(district.elsewhere.name)
    _assert_id_hidden(page)
    assert_no_horizontal_scroll(page)
    screenshot("me-in-team")

    page.goto("/app/me/training/")
    required = page.locator("#required")
    course_row = required.locator("li", has=page.get_by_role("link", name=district.course.name))
    expect(course_row).to_have_count(1)
    expect(course_row.locator(".badge")).to_have_text("待完成")
    expect(course_row).to_contain_text(district.brigade.name)
    expect(required).not_to_contain_text(district.elsewhere.name)
    expect(page.locator("#completed .empty")).to_contain_text("还没有完成的培训")
    _assert_id_hidden(page)
    assert_no_horizontal_scroll(page)
    screenshot("training")
