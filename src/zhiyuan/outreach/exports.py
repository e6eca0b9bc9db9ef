"""Attachment 3 of seed 000 (免费向外来务工人员赠票活动情况统计表) filled from the donations.

The notice prints it as a two-column form, one per donor unit, with the 备注 line under it; the export
keeps that shape, one sheet per donation, and a blank form when no unit has registered tickets yet.
"""

from __future__ import annotations

import re
from typing import Any

from zhiyuan.campaigns.models import Campaign
from zhiyuan.core.spreadsheets import safe_cell
from zhiyuan.outreach.models import TicketDonation

LABELS = ["赠票单位", "主管单位", "赠票数量", "领取要求", "领取时间", "领取地点", "联系人及联系方式", "备注"]
REQUIREMENTS_HINT = "（如：提供身份证复印件等）"  # printed in the blank form's 领取要求 cell


def _values(d: TicketDonation | None) -> list[str]:
    if d is None:
        return ["", "", "", REQUIREMENTS_HINT, "", "", "", ""]
    return [
        d.donor,
        d.supervisor,
        str(d.quantity),
        d.requirements or REQUIREMENTS_HINT,
        d.claim_time,
        d.claim_place,
        d.contact,
        d.note,
    ]


def _sheet_name(d: TicketDonation) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", f"{d.pk}-{d.donor}")[:31]


def _form(book: Any, f: dict[str, Any], name: str, title: str, values: list[str], note: str) -> None:
    sheet = book.add_worksheet(name)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 46)
    sheet.merge_range(0, 0, 0, 1, title, f["title"])
    sheet.set_row(0, 48)
    for row, (label, value) in enumerate(zip(LABELS, values, strict=True), start=1):
        sheet.write_string(row, 0, label, f["head"])
        sheet.write_string(row, 1, safe_cell(value), f["left"])
        sheet.set_row(row, 30)
    if note:
        sheet.merge_range(len(LABELS) + 1, 0, len(LABELS) + 1, 1, note, f["note"])
        sheet.set_row(len(LABELS) + 1, 36)


def attachment_3(campaign: Campaign) -> bytes:
    from zhiyuan.campaigns.exports import _book, _city
    from zhiyuan.seeds.outreach_data import ATTACHMENT_3_NOTES

    donations = list(TicketDonation.objects.filter(campaign=campaign).order_by("pk"))
    buffer, book, f = _book()
    f["note"] = book.add_format({"text_wrap": True, "valign": "top"})
    title = f"{_city(campaign)}{campaign.starts_on.year}年春运期间\n免费向外来务工人员赠票活动情况统计表"
    note = ATTACHMENT_3_NOTES.get(campaign.slug, "")
    for d in donations:
        _form(book, f, _sheet_name(d), title, _values(d), note)
    if not donations:
        _form(book, f, "附件3", title, _values(None), note)
    book.close()
    return buffer.getvalue()
