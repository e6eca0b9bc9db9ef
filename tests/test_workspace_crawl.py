"""Every page a demo role may use is reachable by clicks from /app/, and no linked page answers 403.

The demo is loaded once for the module. Each role signs in and follows every <a href> under /app/ from the
landing page (a handful of instances per URL pattern, so the organisation tree is not walked leaf by leaf).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from zhiyuan.core.models import User
from zhiyuan.workspace.menu import MENU

ROLES = ["officer", "district", "leader", "squadron", "gridhead", "liaison", "volunteer"]
PER_PATTERN = 3  # instances of one URL pattern to open (three organisations, three shifts …)
HREF = re.compile(r"""<a\b[^>]*\bhref\s*=\s*["']([^"']+)["']""", re.I)
# Downloads and the htmx fragments are not pages a person navigates to.
NOT_PAGES = ("xlsx", ".pdf", ".ics", ".csv", "/badge/", ".png", ".svg")

# Beside the menu, the pages the issue names, for the roles that may use them.
MUST_REACH = {
    "volunteer": ["hours:my_certificates", "campaigns:my_shifts", "hours:my_hours", "hours:scan"],
    "officer": ["hours:compliance", "hours:report_queue", "reporting:review_queue", "reporting:scoreboard"],
    "district": ["hours:compliance", "hours:report_queue", "reporting:review_queue"],
    "leader": ["hours:compliance", "hours:report_queue", "campaigns:shifts"],
    "squadron": ["hours:compliance", "hours:report_queue"],
    "liaison": ["reporting:my_dues"],
    "gridhead": ["hours:compliance"],
}
OFFICER_ONLY = ["reporting:review_queue", "campaigns:list", "people:search", "organizations:tree"]


@dataclass
class Crawl:
    reached: dict[str, int] = field(default_factory=dict)  # path -> status
    names: set[str] = field(default_factory=set)
    forbidden: list[tuple[str, str]] = field(default_factory=list)  # (linked page, linked from)
    broken: list[tuple[str, int, str]] = field(default_factory=list)


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client: Client, start: str = "/app/") -> Crawl:
    result = Crawl()
    seen_per_name: dict[str, int] = {}
    queue: deque[tuple[str, str]] = deque([(start, "")])
    queued = {start}
    while queue:
        path, source = queue.popleft()
        response = client.get(path)
        result.reached[path] = response.status_code
        name = _url_name(urlsplit(path).path)
        if response.status_code == 403:
            result.forbidden.append((path, source))
            continue
        if response.status_code >= 400:
            result.broken.append((path, response.status_code, source))
            continue
        if name:
            result.names.add(name)
        if response.status_code in (301, 302):
            target = response["Location"]
            if target.startswith("/app/") and target not in queued:
                queued.add(target)
                queue.append((target, path))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for raw in HREF.findall(response.content.decode()):
            href = urldefrag(unescape(raw))[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/app/"):
                continue
            if any(marker in parts.path for marker in NOT_PAGES):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query and "page=" not in parts.query else "")
            if target in queued:
                continue
            target_name = _url_name(parts.path) or parts.path
            if seen_per_name.get(target_name, 0) >= PER_PATTERN:
                continue
            seen_per_name[target_name] = seen_per_name.get(target_name, 0) + 1
            queued.add(target)
            queue.append((target, path))
    return result


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_every_permitted_page_is_reachable_from_the_landing_page_and_none_linked_is_forbidden(demo, username):
    user = User.objects.get(username=username)
    result = crawl(signed_in(username))
    # no link leads to a page that refuses the person
    assert result.forbidden == []
    assert result.broken == []
    # every menu entry the person may use, and the pages the issue names, are reached by clicks
    permitted = {e.url for e in MENU if e.allows(user) and e.url != "admin:index"}
    assert permitted, username
    missing = sorted((permitted | set(MUST_REACH[username])) - result.names)
    assert missing == []


@pytest.mark.django_db
def test_a_volunteer_sees_no_officer_menu_item(demo):
    page = signed_in("volunteer").get("/app/").content.decode()
    nav = page[page.index("<nav") : page.index("</nav>")]
    for name in OFFICER_ONLY:
        assert f'href="{reverse(name)}"' not in nav, name
    for name in MUST_REACH["volunteer"]:
        assert f'href="{reverse(name)}"' in nav, name
