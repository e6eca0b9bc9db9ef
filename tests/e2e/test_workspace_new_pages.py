"""The workspace pages added with issues 7 and 8, on a 375 px phone: my reports due and a report form, the
scoreboard, the inbox, a shift's attendance board with a bulk sign-in, the hours corrections and recognition
pages, and the outreach and community indexes. Nothing scrolls sideways, the key control works, and the
console stays clean.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_no_horizontal_scroll, login, officer_of
from tests.factories import MembershipFactory
from tests.people_helpers import bulk_volunteers
from tests.test_attendance import book
from tests.test_attendance import shift as shift  # the fixtures, re-exported for pytest
from tests.test_attendance import station as station
from tests.test_ledger import _at, credit
from tests.test_reporting_pages import _media as _media  # autouse: uploads go to a temporary folder
from tests.test_reporting_pages import live as live
from zhiyuan.hours.models import CheckIn
from zhiyuan.hours.services.corrections import correction_request
from zhiyuan.notifications.models import Notification
from zhiyuan.organizations.roles import Role
from zhiyuan.reporting.models import Submission

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("console_errors")]


@pytest.fixture
def boss(world: Any) -> Any:
    """The east office's officer who is also the east team's liaison: reports due, boards, queues, inbox."""
    user = officer_of(world.east, username="east_boss", full_name="郑东新区文明办综合协调科王继跃")
    MembershipFactory(user=user, organization=world.east_team, role=Role.LIAISON)
    return user


def test_reports_due_a_report_form_the_scoreboard_and_the_inbox(
    page: Page, live_server: Any, world: Any, live: Any, boss: Any, screenshot: Any
) -> None:
    _campaign, soon, late = live
    Notification.objects.create(
        user=boss,
        subject="附件2 已逾期：请尽快上报郑东新区青年志愿服务队春运期间志愿服务活动开展情况统计表",
        body="截止时间已过，请在今天 15:30 前补报。" * 3,
        url="/app/reports/",
    )
    Notification.objects.create(user=boss, subject="班次提醒", body="明天 8:00 到岗", url="/app/shifts/")
    login(page, boss)

    # --- my reports due, then the form behind the first one ------------------------------------------------
    page.goto("/app/reports/")
    rows = page.locator("table tbody tr")
    expect(rows.filter(has_text=soon.title).locator(".badge", has_text="24小时内截止")).to_be_visible()
    expect(rows.filter(has_text=late.title).locator(".badge", has_text="已逾期")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("dues")

    rows.filter(has_text=soon.title).get_by_role("link", name=soon.title).click()
    expect(page.locator("h1")).to_have_text(soon.title)
    page.get_by_role("button", name="开始填写").click()
    submission = Submission.objects.get(rule=soon)
    expect(page).to_have_url(f"{live_server.url}/app/reports/submissions/{submission.pk}/")
    page.locator("#id_text").fill("郑东新区青年志愿服务队春运期间在郑州东站东广场开展引导服务的活动方案。")
    assert_no_horizontal_scroll(page)
    screenshot("report-form")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.get_by_role("button", name="保存草稿")).to_have_count(0)
    submission.refresh_from_db()
    assert submission.status == "submitted" and submission.on_time
    assert_no_horizontal_scroll(page)

    # --- the scoreboard: only the page's own width (its chart is being rebuilt) ---------------------------
    page.goto("/app/reports/scoreboard/")
    expect(page.locator("h1")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("scoreboard")

    # --- the inbox: unread first, opening one follows its link and marks it read --------------------------
    page.goto("/app/inbox/")
    expect(page.locator("main")).to_contain_text("附件2 已逾期")
    assert_no_horizontal_scroll(page)
    screenshot("inbox")
    page.locator("ul.list > li", has_text="班次提醒").get_by_role("button", name="查看").click()
    expect(page).to_have_url(re.compile(r"/app/shifts/$"))
    assert Notification.objects.get(subject="班次提醒").read_at is not None


def test_the_attendance_board_signs_two_in_and_the_hours_and_outreach_pages_fit(
    page: Page, live_server: Any, world: Any, shift: Any, boss: Any, screenshot: Any
) -> None:
    first, second, third = book(shift, 3, prefix="东广场引导志愿者（长期）")
    volunteer = bulk_volunteers(world.east, 1, start=500, prefix="更正")[0]
    entry = credit(world, volunteer, _at(2, 8), _at(2, 12))
    correction_request(
        by=volunteer.user,
        entry=entry,
        reason="服务时间不对：11点就签退了，系统记成了12点，请帮忙更正为实际离岗时间",
        new_starts_at=_at(2, 8),
        new_ends_at=_at(2, 11),
    )
    login(page, boss)

    # --- the board: tick two, sign them in at one time, their rows change --------------------------------
    page.goto(f"/app/shifts/{shift.pk}/attendance/")
    expect(page.locator("#board-rows")).to_contain_text("未到 3 · 在岗 0 · 已签退 0 · 待核查 0")
    assert_no_horizontal_scroll(page)
    screenshot("board")
    for v in (first, second):
        page.locator(f"#person-{v.pk} input[name=v]").check()
    page.get_by_label("操作").select_option("in")
    at = timezone.localtime(shift.starts_at + timedelta(minutes=5))
    page.get_by_label("时间").fill(at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="登记").click()

    expect(page.locator("#board-rows")).to_contain_text("未到 1 · 在岗 2 · 已签退 0 · 待核查 0")
    for v in (first, second):
        expect(page.locator(f"#person-{v.pk} .badge.ok")).to_have_text(f"已签到 {at:%H:%M}")
    expect(page.locator(f"#person-{third.pk} .badge.warn")).to_have_text("未到")
    assert CheckIn.objects.filter(shift=shift, kind="in", source="bulk").count() == 2
    assert_no_horizontal_scroll(page)
    screenshot("board-signed-in")

    # --- hours: the corrections queue and the recognition page --------------------------------------------
    page.goto("/app/hours/corrections/")
    expect(page.locator("main")).to_contain_text(volunteer.user.display_name)
    expect(page.get_by_role("button", name="更正", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="不予更正")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("corrections")

    page.goto("/app/hours/recognition/")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main form").first).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("recognition")

    # --- the outreach and community indexes ---------------------------------------------------------------
    page.goto("/app/outreach/")
    expect(page.locator("main").get_by_role("link", name=re.compile("赠票")).first).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("outreach")

    page.goto("/app/community/")
    expect(page).to_have_url(f"{live_server.url}/app/community/help/")
    expect(page.locator("h1")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("community")
