"""The operations board on a 375 px phone and a 1280 px screen: it fits, and a scan shows up on it within
30 seconds without a reload (the panel polls). Screenshots of the board and the dashboard at both sizes."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_no_horizontal_scroll, login, officer_of
from tests.people_helpers import bulk_volunteers
from tests.test_ops_board import _busy, _stations
from tests.test_ops_board import campaign as campaign  # the fixture, re-exported for pytest
from zhiyuan.campaigns.models import Shift, Signup
from zhiyuan.hours.services.checkin import checkin_record, poster_token

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("console_errors")]


def test_the_board_fits_a_phone_and_shows_a_scan_without_a_reload(
    page: Page, live_server: Any, world: Any, campaign: Any, screenshot: Any
) -> None:
    stations = _stations(world, campaign, 4)
    _busy(world, stations[:2])
    quiet = stations[3]
    now = timezone.now().replace(microsecond=0)
    shift = Shift.objects.create(
        organization=world.east_team,
        station=quiet,
        campaign=campaign,
        title="值守班",
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(hours=3),
        capacity=2,
        minimum=1,
    )
    (volunteer,) = bulk_volunteers(world.east, 1, start=700, prefix="看板")
    Signup.objects.create(shift=shift, volunteer=volunteer, status="accepted")
    login(page, officer_of(world.east, username="ops_officer", full_name="郑东新区文明办值班员"))
    page.goto("/app/ops/")
    card = page.locator(f'[data-station="{quiet.pk}"]')
    expect(card.locator("[data-staffed]")).to_have_text("0")
    assert_no_horizontal_scroll(page)
    screenshot("board-375")
    # when the volunteer scans the shift's poster
    checkin_record(
        by=volunteer.user,
        volunteer=volunteer,
        key=uuid.uuid4().hex,
        kind="in",
        token=poster_token(shift=shift),
    )
    # then the board shows them within 30 s, without a reload
    expect(page.locator(f'[data-station="{quiet.pk}"] [data-staffed]')).to_have_text("1", timeout=30_000)
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot("board-1280")
    page.goto("/app/ops/dashboard/")
    expect(page.locator("h1")).to_have_text("数据看板")
    screenshot("dashboard-1280")
    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    assert_no_horizontal_scroll(page)
    screenshot("dashboard-375")
