"""The account pages on a 375 px phone, by clicks (issue 12 item 6): an officer adds a 联络员 and sees the
pending invitation; the 联络员 sets a password with the SMS code, logs in with the mobile, changes the
password from the profile, and resets it from the login page's 忘记密码 link."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db.models import F
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_no_horizontal_scroll, login, officer_of
from tests.people_helpers import last_code
from zhiyuan.core import sms
from zhiyuan.people.models import PhoneVerification

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("console_errors")]

MOBILE = "13912340001"


@pytest.fixture(autouse=True)
def _memory_sms(settings: Any) -> None:
    settings.ZHIYUAN_SMS_BACKEND = "zhiyuan.core.sms.MemoryBackend"
    sms.MemoryBackend.outbox.clear()


def _log_in_with(page: Page, login_name: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(login_name)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()


def test_invitation_login_by_mobile_change_and_reset(page: Page, world: Any, screenshot: Any) -> None:
    from datetime import timedelta

    officer = officer_of(world.east, username="east_officer_e2e", full_name="郑东新区文明办某官")
    login(page, officer)
    # the officer adds a 联络员 from the organisation page
    page.goto(f"/app/orgs/{world.east.pk}/")
    page.get_by_role("link", name="添加成员").click()
    page.locator("#id_full_name").fill("王某联")
    page.locator("#id_mobile").fill(MOBILE)
    page.locator("#id_role").select_option("liaison")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已添加成员“王某联”")).to_be_visible()
    page.get_by_role("link", name="待激活的账号").click()
    expect(page.locator("li", has_text="王某联")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("invitations")
    _log_out(page)

    # the 联络员 follows the SMS: sets a password with the code
    page.goto("/accounts/login/")
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="收到邀请短信？用验证码设置密码").click()
    page.locator("#id_mobile").fill(MOBILE)
    page.locator("#id_code").fill(last_code(MOBILE))
    page.locator("#id_password").fill("Liaison-pass-2027")
    page.locator("#id_password2").fill("Liaison-pass-2027")
    assert_no_horizontal_scroll(page)
    screenshot("set-password")
    page.get_by_role("button", name="设置密码").click()
    expect(page.get_by_text("密码已设置")).to_be_visible()
    _log_out(page)

    # logs in with the mobile, and changes the password from the profile
    _log_in_with(page, MOBILE, "Liaison-pass-2027")
    page.goto("/app/me/")
    page.get_by_role("link", name="修改密码").click()
    page.locator("#id_old_password").fill("Liaison-pass-2027")
    page.locator("#id_new_password").fill("Liaison-two-2027")
    page.locator("#id_new_password2").fill("Liaison-two-2027")
    assert_no_horizontal_scroll(page)
    screenshot("change-password")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("密码已修改")).to_be_visible()
    _log_out(page)

    # a day later, forgotten: 忘记密码 from the login page
    PhoneVerification.objects.update(created_at=F("created_at") - timedelta(days=1))
    page.goto("/accounts/login/")
    page.get_by_role("link", name="忘记密码").click()
    page.locator("#id_login").fill(MOBILE)
    assert_no_horizontal_scroll(page)
    screenshot("forgot")
    page.get_by_role("button", name="获取验证码或重设链接").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/set/$"))
    expect(page.locator("#id_mobile")).to_have_value(MOBILE)
    page.locator("#id_code").fill(last_code(MOBILE))
    page.locator("#id_password").fill("Liaison-new-2027")
    page.locator("#id_password2").fill("Liaison-new-2027")
    page.get_by_role("button", name="设置密码").click()
    expect(page.get_by_text("密码已设置")).to_be_visible()
    _log_out(page)
    _log_in_with(page, MOBILE, "Liaison-new-2027")
    expect(page).to_have_url(re.compile(r"/app/"))
    expect(page.get_by_role("button", name="退出")).to_be_visible()
