"""Browser fixtures: one headless Debian Chromium per session, a fresh phone-sized context per test.

Chromium is the system one (/usr/bin/chromium); Playwright's own browser download is never used. Without it
the tests skip on a developer's machine and fail when CI is set, so CI cannot go green by not running them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django would otherwise refuse ORM calls from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from tests.factories import MembershipFactory, UserFactory
from zhiyuan.organizations.roles import Role

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}
PASSWORD = "pass-word-123"
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"

expect.set_options(timeout=10_000)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    """Remember each phase's outcome on the item, so the page fixture can photograph a failure."""
    report = yield
    setattr(item, f"_e2e_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        message = f"{CHROMIUM} not found: the browser tests need Debian's chromium package"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser, live_server: Any, transactional_db: None) -> Iterator[BrowserContext]:
    """A phone: 375 px wide, touch, Chinese first (Chromium says en-US otherwise and the app would follow)."""
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
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    page = context.new_page()
    js_errors: list[str] = []
    page.on("pageerror", lambda exc: js_errors.append(str(exc)))
    yield page
    call = getattr(request.node, "_e2e_call", None)
    if call is not None and call.failed:
        RESULTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=RESULTS_DIR / f"{_slug(request.node.name)}-FAILED.png", full_page=True)
    assert not js_errors, f"JavaScript errors on the page: {js_errors}"


@pytest.fixture
def console_errors(page: Page) -> Iterator[list[str]]:
    """Fail the test on anything the page logs as a console error (a 404 script, a CSP refusal, a JS error)."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"{page.url}: {msg.text}") if msg.type == "error" else None)
    yield errors
    assert not errors, f"console errors: {errors}"


@pytest.fixture
def screenshot(page: Page, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """Save a full-page screenshot as test-results/<test>-<step>.png and return its path."""

    def take(step: str) -> Path:
        RESULTS_DIR.mkdir(exist_ok=True)
        path = RESULTS_DIR / f"{_slug(request.node.name)}-{step}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


def _slug(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name)


def make_user(**kwargs: Any) -> Any:
    """A user who can log in with PASSWORD.

    UserFactory's set_password runs after the row is written and is never saved (skip_postgeneration_save),
    so a factory user has an empty password in the database; save it here.
    """
    user = UserFactory(**kwargs)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def officer_of(organization: Any, **user_fields: Any) -> Any:
    user = make_user(**user_fields)
    MembershipFactory(user=user, organization=organization, role=Role.OFFICER)
    return user


def login(page: Page, user: Any) -> None:
    """Log in through the form, as a person would, and land on the workspace (their day)."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/app/$"))


def assert_no_horizontal_scroll(page: Page) -> None:
    """The page fits the phone: nothing sticks out to the right of 375 px."""
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= PHONE["width"]:
        return
    culprits = page.evaluate(
        """(limit) => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > limit + 0.5)
            .slice(0, 8)
            .map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
                       + `${el.className ? '.' + String(el.className).split(' ').join('.') : ''}`
                       + ` right=${Math.round(el.getBoundingClientRect().right)}`)""",
        PHONE["width"],
    )
    pytest.fail(f"{page.url} scrolls sideways: scrollWidth={width} > {PHONE['width']}; widest: {culprits}")
