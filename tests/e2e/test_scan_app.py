"""The scan app on a 375 px phone: installable (manifest, service worker), opens offline, queues a scan
made offline and syncs it when the network returns, showing what became of it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import PASSWORD, assert_no_horizontal_scroll, officer_of
from tests.factories import OrganizationFactory
from tests.people_helpers import bulk_volunteers
from zhiyuan.campaigns.models import Shift, Signup
from zhiyuan.hours.models import CheckIn
from zhiyuan.hours.services.posters import poster_code, poster_current
from zhiyuan.organizations.models import Kind

pytestmark = pytest.mark.e2e


def test_install_open_offline_scan_and_sync_later(page: Page, context: BrowserContext) -> None:
    office = OrganizationFactory(name="郑东新区文明办", kind=Kind.OFFICE)
    team = OrganizationFactory(name="青年志愿服务队", kind=Kind.TEAM, parent=office)
    leader = officer_of(office)
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=20)
    shift = Shift.objects.create(
        organization=team, title="东广场引导", starts_at=start, ends_at=start + timedelta(hours=2), capacity=5
    )
    volunteer = bulk_volunteers(office, 1, prefix="离线扫码")[0]
    volunteer.user.set_password(PASSWORD)
    volunteer.user.save(update_fields=["password"])
    Signup.objects.create(shift=shift, volunteer=volunteer, status="accepted")
    code = poster_code(poster_current(by=leader, shift=shift))  # the poster on the wall

    page.goto("/accounts/login/")
    page.locator("#id_username").fill(volunteer.user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.goto(f"/app/scan/?t={code}")
    # installable: a manifest with its icons, and a service worker that takes control of the page
    manifest = page.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/app/scan/"
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    expect(page.locator("#scan")).to_be_visible()
    assert page.evaluate("!!navigator.serviceWorker.controller")
    assert_no_horizontal_scroll(page)

    # offline: the app still opens from the phone, and a scan waits in the queue
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="签到 / 签退")).to_be_visible()
    page.get_by_role("button", name="签到", exact=True).click()
    expect(page.locator("#scan-queue li")).to_have_count(1)
    expect(page.locator("#scan-queue")).to_contain_text("等待网络补传")
    assert not CheckIn.objects.exists()

    # back online: the queue syncs, and the outcome says which shift and what happened
    context.set_offline(False)
    expect(page.locator("#scan-log")).to_contain_text(re.compile(r"签到 .* · 东广场引导 · 已签到"))
    expect(page.locator("#scan-queue li")).to_have_count(0)
    scan = CheckIn.objects.get()
    assert scan.shift_id == shift.pk and not scan.held
    assert_no_horizontal_scroll(page)
