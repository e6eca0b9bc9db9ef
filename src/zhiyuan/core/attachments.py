"""The printed forms (附件N) a campaign's notice asks units to fill, registered by the app that owns each.

An attachment is its number, its title, the builder that fills the XLSX from the database and the one field
list shared by the report form that collects it and the export that prints it. Each app registers its own
in `AppConfig.ready()` (campaigns: 1 and 5; outreach: 3; reporting: 2 and 4), so the command, the campaign
page and the report form all find a form here without any app importing another's export code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Field:
    """One field of a printed form, as the report form asks for it and the export prints it."""

    name: str
    label: str | Promise
    required: bool = True
    multiline: bool = False
    number: bool = False
    max_length: int = 2000


@dataclass(frozen=True)
class Attachment:
    number: int
    title: str | Promise  # the form's title after "<city><year>年春运期间", as the notice prints it
    build: Callable[[Any], bytes]  # campaign → XLSX bytes
    fields: tuple[Field, ...] = ()
    form: str = ""  # the report form (reporting.Form) that collects it, if units submit it


class NotAvailable(Exception):
    """No attachment with that number is registered."""


_REGISTRY: dict[int, Attachment] = {}


def register(attachment: Attachment) -> None:
    known = _REGISTRY.get(attachment.number)
    if known is not None and known.build is not attachment.build:
        raise ValueError(f"attachment {attachment.number} is registered twice")
    _REGISTRY[attachment.number] = attachment


def registered() -> list[Attachment]:
    return [_REGISTRY[n] for n in sorted(_REGISTRY)]


def get(number: int) -> Attachment:
    try:
        return _REGISTRY[number]
    except KeyError:
        numbers = "、".join(str(n) for n in sorted(_REGISTRY))
        raise NotAvailable(
            _("没有附件%(n)s（可选：%(numbers)s）。") % {"n": number, "numbers": numbers}
        ) from None


def for_form(form: str) -> Attachment | None:
    return next((a for a in _REGISTRY.values() if a.form and a.form == form), None)


def export(campaign: Any, number: int) -> bytes:
    return get(number).build(campaign)


def label(number: int) -> str:
    """The label the notice prints above each form: 附件1：."""
    return f"附件{number}："


def city(campaign: Any) -> str:
    """How the notice names the organiser in a title: 郑州市 for 郑州市文明办."""
    return str(campaign.organizer.name).removesuffix("文明办")


def title(campaign: Any, text: str | Promise) -> str:
    """郑州市2019年春运期间<text>: the organiser, the campaign's year, then the form's own title."""
    return f"{city(campaign)}{campaign.starts_on.year}年春运期间{text}"


def note(campaign: Any, number: int) -> str:
    """The 备注 line the campaign prints under attachment N (Campaign.form_notes), or nothing."""
    notes = getattr(campaign, "form_notes", None) or {}
    return str(notes.get(str(number), ""))
