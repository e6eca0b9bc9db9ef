"""Issue 15 on a 375 px phone: a liaison finds the returned report in the inbox with the officer's comment,
follows the link to revise it, and sets their notification preferences from the menu."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_no_horizontal_scroll, login, make_user
from tests.factories import MembershipFactory
from tests.test_reporting_fixtures import absolute, bj, campaign
from zhiyuan.notifications.models import Preference
from zhiyuan.organizations.models import Kind
from zhiyuan.organizations.roles import Role
from zhiyuan.reporting.services.reviews import submission_return
from zhiyuan.reporting.services.submissions import submission_open, submission_submit

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("console_errors")]


def test_a_returned_report_reaches_the_liaison_and_preferences_are_set_from_the_menu(
    page: Page, live_server: Any, world: Any, screenshot: Any
) -> None:
    rule = absolute(campaign(world.city), bj(2099, 1, 23, 12), applies_to=world.city, kinds=[Kind.TEAM])
    liaison = make_user(username="liaison_e2e", full_name="联络员某")
    MembershipFactory(user=liaison, organization=world.east_team, role=Role.LIAISON)
    s = submission_open(by=liaison, rule=rule, organization=world.east_team, period="once")
    submission_submit(by=liaison, submission=s, text="方案初稿")
    submission_return(by=world.east_officer, submission=s, comment="请补充各站点的时间安排")

    login(page, liaison)
    page.get_by_role("link", name=re.compile("^通知")).first.click()
    expect(page).to_have_url(re.compile(r"/app/inbox/$"))
    item = page.locator("li", has_text="上报被退回")
    expect(item).to_contain_text("请补充各站点的时间安排")
    assert_no_horizontal_scroll(page)
    screenshot("inbox")
    item.get_by_role("button", name="查看").click()
    expect(page).to_have_url(re.compile(rf"/app/reports/submissions/{s.pk}/$"))

    page.get_by_role("link", name="通知设置").first.click()
    expect(page).to_have_url(re.compile(r"/app/inbox/preferences/$"))
    assert_no_horizontal_scroll(page)
    page.get_by_label("上报与审核 短信").uncheck()
    expect(page.get_by_label("应急响应 短信")).to_be_disabled()
    page.locator("input[name=quiet_from]").fill("22:00")
    page.locator("input[name=quiet_to]").fill("07:00")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".msg")).to_contain_text("通知设置已保存")
    screenshot("preferences")
    preference = Preference.objects.get(user=liaison)
    assert preference.muted == {"reports": ["sms"]} and preference.quiet_from.hour == 22
