"""Attachment 3 of seed 000 (免费向外来务工人员赠票活动情况统计表), filled from the donations.

The notice prints it as a two-column form, one per donor unit, with the 备注 line under it; the export
keeps that shape, one sheet (and one page) per donation, and a blank form when no unit has registered
tickets yet. Its field list is the one the units' report form (reporting, Form.TICKETS) asks for.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from zhiyuan.campaigns.models import Campaign
from zhiyuan.core import attachments
from zhiyuan.core.attachments import Field
from zhiyuan.core.spreadsheets import form_book, form_heading, print_layout, sheet_name
from zhiyuan.outreach.models import TicketDonation

TITLE = gettext_lazy("\n免费向外来务工人员赠票活动情况统计表")
FIELDS = (
    Field("donor", gettext_lazy("赠票单位"), max_length=100),
    Field("agency", gettext_lazy("主管单位"), required=False, max_length=100),
    Field("quantity", gettext_lazy("赠票数量"), number=True),
    Field("requirements", gettext_lazy("领取要求"), required=False, max_length=300),
    Field("claim_time", gettext_lazy("领取时间"), max_length=100),
    Field("claim_place", gettext_lazy("领取地点"), max_length=200),
    Field("contact", gettext_lazy("联系人及联系方式"), max_length=100),
    Field("note", gettext_lazy("备注"), required=False, max_length=300),
)
REQUIREMENTS_HINT = "（如：提供身份证复印件等）"  # printed in the blank form's 领取要求 cell


def _values(d: TicketDonation | None) -> dict[str, str]:
    if d is None:
        return {"requirements": REQUIREMENTS_HINT}
    return {
        "donor": d.donor,
        "agency": d.supervisor,
        "quantity": str(d.quantity),
        "requirements": d.requirements or REQUIREMENTS_HINT,
        "claim_time": d.claim_time,
        "claim_place": d.claim_place,
        "contact": d.contact,
        "note": d.note,
    }


def _form(book: Any, f: dict[str, Any], name: str, title: str, values: dict[str, str], note: str) -> None:
    sheet = book.add_worksheet(name)
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 50)
    row = form_heading(sheet, f, label=attachments.label(3), title=title, width=2)
    print_layout(sheet, header_rows=(0, 1), one_page=True)
    for field in FIELDS:
        sheet.write_string(row, 0, str(field.label), f["head"])
        sheet.write_string(row, 1, values.get(field.name, ""), f["left"])
        sheet.set_row(row, 32)
        row += 1
    if note:
        sheet.merge_range(row, 0, row, 1, note, f["note"])
        sheet.set_row(row, 36)


def attachment_3(campaign: Campaign) -> bytes:
    donations = list(TicketDonation.objects.filter(campaign=campaign).order_by("pk"))
    buffer, book, f = form_book()
    title = attachments.title(campaign, TITLE)
    note = attachments.note(campaign, 3)
    taken: set[str] = set()
    for d in donations:
        _form(book, f, sheet_name(d.donor, taken), title, _values(d), note)
    if not donations:
        _form(book, f, "附件3", title, _values(None), note)
    book.close()
    return buffer.getvalue()


def register() -> None:
    attachments.register(attachments.Attachment(3, TITLE, attachment_3, fields=FIELDS, form="tickets"))
