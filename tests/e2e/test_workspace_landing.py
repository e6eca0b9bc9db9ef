"""The role landing pages on a 375 px phone: a volunteer's day and a team leader's day. Nothing scrolls
sideways, the menu holds only what the person may open, and the main button of each part works."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PASSWORD, assert_no_horizontal_scroll, login
from tests.factories import MembershipFactory
from tests.test_shifts import make_shift, sign, team_volunteers
from zhiyuan.organizations.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("console_errors")]


def _with_password(user: Any) -> Any:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def test_a_volunteer_s_day_on_a_phone(page: Page, live_server: Any, world: Any, screenshot: Any) -> None:
    leader = MembershipFactory(organization=world.east_team, role=Role.LEADER).user
    volunteer = team_volunteers(world.east_team, world.east, 1, start=950)[0]
    sign(volunteer, make_shift(leader, world.east_team, days=2, title="郑州东站东广场引导（周六）"))
    login(page, _with_password(volunteer.user))

    day = page.locator("#volunteer-day")
    expect(day.get_by_text("郑州东站东广场引导（周六）")).to_be_visible()
    expect(day.get_by_text("本周已服务")).to_be_visible()
    nav = page.get_by_role("navigation", name="工作台菜单")
    expect(nav.get_by_role("link", name="我的证明")).to_be_visible()
    expect(nav.get_by_role("link", name="组织")).to_have_count(0)
    expect(nav.get_by_role("link", name="志愿者")).to_have_count(0)
    assert_no_horizontal_scroll(page)
    screenshot("volunteer")
    day.get_by_role("link", name="扫码签到").click()
    expect(page).to_have_url(re.compile(r"/app/scan/$"))


def test_a_team_leader_s_day_on_a_phone(page: Page, live_server: Any, world: Any, screenshot: Any) -> None:
    leader = _with_password(MembershipFactory(organization=world.east_team, role=Role.LEADER).user)
    for v in team_volunteers(world.east_team, world.east, 2, start=960):
        sign(v, make_shift(leader, world.east_team, days=1 + v.pk % 2, title=f"东广场引导{v.pk}"))
    login(page, leader)

    day = page.locator("#leader-day")
    expect(day.get_by_role("heading", name="今天的班次")).to_be_visible()
    expect(day.locator("li", has_text="东广场引导")).to_have_count(2)  # the latest sign-ups
    nav = page.get_by_role("navigation", name="工作台菜单")
    expect(nav.get_by_role("link", name="时长申报审核")).to_be_visible()
    expect(nav.get_by_role("link", name="上报审核")).to_have_count(0)
    assert_no_horizontal_scroll(page)
    screenshot("leader")
    day.get_by_role("link", name=re.compile("时长申报")).click()
    expect(page).to_have_url(re.compile(r"/app/hours/reports/$"))
