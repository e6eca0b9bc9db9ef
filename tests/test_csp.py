"""Content-Security-Policy: scripts come only from the site's static files, so every page must work with
no inline <script>, no on*= handler and no javascript: URL. Checked on the template sources and on every
page without a URL parameter as a visitor and as an officer sees it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

SRC = Path(__file__).resolve().parents[1] / "src" / "zhiyuan"


class InlineScripts(HTMLParser):
    """Collects what a strict script-src blocks: inline scripts, event-handler attributes, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src") and values.get("type") != "application/json":
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> at line {self.getpos()[0]}")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…> at line {self.getpos()[0]}")


def inline_scripts(html: str) -> list[str]:
    parser = InlineScripts()
    parser.feed(html)
    return parser.found


def test_the_parser_finds_what_the_policy_blocks() -> None:
    html = '<p onclick="x()"></p><script>alert(1)</script><a href="javascript:go()">x</a><script src="/a.js"></script>'
    assert len(inline_scripts(html)) == 3


def test_no_template_has_an_inline_script_or_handler() -> None:
    offenders = []
    for path in sorted(SRC.glob("*/templates/**/*.html")):
        text = path.read_text()
        # the template source: a tag's attributes may hold {% %} and {{ }}, which HTMLParser reads as text
        for match in re.finditer(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text):
            offenders.append(f"{path.relative_to(SRC)}: {match.group(0)}")
        for match in re.finditer(r"<[a-zA-Z][^>]*\s(on[a-z]+)\s*=", text):
            offenders.append(f"{path.relative_to(SRC)}: {match.group(1)}=")
        if "javascript:" in text:
            offenders.append(f"{path.relative_to(SRC)}: javascript: URL")
    assert offenders == []


def _plain_paths() -> list[str]:
    """Every page path of the project without a URL parameter (the API and the admin aside)."""
    paths: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if "<" in route or "(?P" in route or route.startswith("^"):
                continue
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern):
                paths.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted({p for p in paths if not p.startswith(("/api/", "/admin/", "/accounts/logout"))})


@pytest.mark.parametrize("as_officer", [False, True])
def test_every_page_passes_the_policy(world: Any, as_officer: bool) -> None:
    client = Client()
    if as_officer:
        client.force_login(world.east_officer)
    checked = 0
    offenders: dict[str, list[str]] = {}
    for path in _plain_paths():
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        checked += 1
        policy = response.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy and "object-src 'none'" in policy, path
        found = inline_scripts(response.content.decode())
        if found:
            offenders[path] = found
    assert offenders == {}
    assert checked >= (60 if as_officer else 10)  # the walk really reached the pages


def test_the_api_docs_load_their_scripts_from_this_site(db: Any) -> None:
    response = Client().get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "cdn.jsdelivr" not in html
    assert inline_scripts(html) == []
