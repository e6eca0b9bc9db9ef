"""Translations: Chinese is the source language and the default; English comes from locale/en.

The catalogue tests guard the workflow: a string added to the .po without a translation, a fuzzy entry, or
a .po edited without recompiling the .mo fails here, naming the string.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

import zhiyuan

LC_MESSAGES = Path(zhiyuan.__file__).parent / "locale" / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"
RECOMPILE = "run `cd src/zhiyuan && msgfmt --check -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po`"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


# --- pages ------------------------------------------------------------------------------------------------


def page(client: Client, path: str, **headers: Any) -> str:
    response = client.get(path, **headers)
    assert response.status_code == 200, f"GET {path} → {response.status_code}"
    return response.content.decode()


def test_login_page_is_chinese_by_default(db) -> None:
    body = page(Client(), "/accounts/login/")
    assert '<html lang="zh-hans">' in body
    assert "<h1>登录</h1>" in body
    assert "Log in" not in body


def test_language_cookie_switches_login_page_to_english(db) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = page(client, "/accounts/login/")
    assert '<html lang="en">' in body
    assert "<h1>Log in</h1>" in body
    assert ">Mobile number / volunteer number / username</label>" in body
    assert ">Password</label>" in body
    assert "登录" not in body


def test_accept_language_header_switches_login_page_to_english(db) -> None:
    body = page(Client(), "/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "<h1>Log in</h1>" in body
    assert "登录" not in body


def signed_in(user) -> Client:
    # The factory sets the password on the instance only (skip_postgeneration_save); reload so the session's
    # auth hash matches the stored row, or the session is flushed on the first request.
    user.refresh_from_db()
    client = Client()
    client.force_login(user)
    return client


def test_org_tree_in_english(world) -> None:
    client = signed_in(world.east_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = page(client, "/app/orgs/")
    assert "<h1>Organizations</h1>" in body
    assert ">Organizations</a>" in body  # top navigation
    assert ">Log out</button>" in body
    # Model choice labels (gettext_lazy) are translated too: the officer's own 文明办 is a root of the tree.
    assert world.east.name in body
    assert '<span class="badge">Civilization Office</span>' in body
    assert "组织" not in body.replace(world.east.name, "")


def test_org_tree_in_chinese_by_default(world) -> None:
    client = signed_in(world.east_officer)
    body = page(client, "/app/orgs/")
    assert "<h1>组织</h1>" in body
    assert '<span class="badge">文明办</span>' in body


# --- catalogue --------------------------------------------------------------------------------------------


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        return f"django.po:{self.line} {self.msgid!r}"


def _unquote(token: str) -> str:
    return ast.literal_eval(token)  # a PO string is a C string literal; for our content Python agrees


def parse_po(path: Path) -> list[Entry]:
    """Just enough of the PO format: flags, msgctxt, msgid(_plural), msgstr / msgstr[n], continuation lines.

    Obsolete entries (`#~`) are skipped. The header (empty msgid) is returned like any other entry.
    """
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None
    pending_flags: set[str] = set()

    def start(lineno: int) -> Entry:
        nonlocal pending_flags
        entry = Entry(line=lineno, flags=pending_flags)
        pending_flags = set()
        entries.append(entry)
        return entry

    def append(entry: Entry, key: tuple[str, int | None], text: str) -> None:
        name, index = key
        if name == "msgstr":
            entry.msgstr[index or 0] = entry.msgstr.get(index or 0, "") + text
        else:
            setattr(entry, name, (getattr(entry, name) or "") + text)

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            pending_flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            assert current is not None and target is not None, f"django.po:{lineno}: stray string"
            append(current, target, _unquote(line))
            continue
        keyword, _, rest = line.partition(" ")
        match = re.fullmatch(r"(msgctxt|msgid|msgid_plural|msgstr)(?:\[(\d+)\])?", keyword)
        assert match, f"django.po:{lineno}: cannot parse {raw!r}"
        name, index = match.group(1), match.group(2)
        if name == "msgctxt" or (name == "msgid" and (target is None or target[0] != "msgctxt")):
            current = start(lineno)
        assert current is not None, f"django.po:{lineno}: {keyword} before any msgid"
        target = (name, int(index) if index is not None else None)
        if name == "msgstr":
            current.msgstr.setdefault(target[1] or 0, "")
        append(current, target, _unquote(rest))
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    entries = parse_po(PO)
    assert entries and entries[0].msgid == "", "django.po has no header entry"
    return entries


@pytest.fixture(scope="module")
def mo() -> gettext.GNUTranslations:
    assert MO.exists(), f"{MO} is missing; {RECOMPILE}"
    with MO.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_po_header(po_entries) -> None:
    header = po_entries[0]
    assert "fuzzy" not in header.flags, "django.po header is marked fuzzy; msgfmt would ignore its metadata"
    text = header.msgstr[0]
    assert "Language: en\n" in text
    assert "Content-Type: text/plain; charset=UTF-8\n" in text
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in text


def test_every_string_is_translated(po_entries) -> None:
    problems = []
    for entry in po_entries[1:]:
        if "fuzzy" in entry.flags:
            problems.append(f"{entry}: marked fuzzy (review the translation, then drop the flag)")
        expected = 2 if entry.msgid_plural is not None else 1
        forms = [entry.msgstr.get(i, "") for i in range(expected)]
        if not all(form.strip() for form in forms):
            problems.append(f"{entry}: no English translation")
        for form in forms:
            if form and sorted(PLACEHOLDER.findall(form)) != sorted(PLACEHOLDER.findall(entry.msgid)):
                problems.append(f"{entry}: placeholders differ in {form!r}")
    assert not problems, "django.po is incomplete:\n" + "\n".join(problems)


def test_mo_is_compiled_from_current_po(po_entries, mo) -> None:
    assert mo.info().get("language") == "en", f"django.mo header lacks `Language: en`; {RECOMPILE}"
    stale = []
    for entry in po_entries[1:]:
        if entry.msgid_plural is not None:
            for n, index in ((1, 0), (2, 1)):
                if entry.msgctxt is not None:
                    got = mo.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                else:
                    got = mo.ngettext(entry.msgid, entry.msgid_plural, n)
                if got != entry.msgstr.get(index, ""):
                    stale.append(f"{entry} (n={n}): .mo has {got!r}, .po has {entry.msgstr.get(index)!r}")
        else:
            got = (
                mo.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt is not None
                else mo.gettext(entry.msgid)
            )
            if got != entry.msgstr.get(0, ""):
                stale.append(f"{entry}: .mo has {got!r}, .po has {entry.msgstr.get(0)!r}")
    assert not stale, f"django.mo is out of date with django.po; {RECOMPILE}\n" + "\n".join(stale)
