"""The campaign's own printed forms: attachment 1 (stations and their linked teams) and attachment 5 (the
rotation of 集中志愿服务), registered in `core.attachments` (see CampaignsConfig.ready)."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.utils.translation import gettext_lazy

from zhiyuan.campaigns.models import Campaign, Duty, Station
from zhiyuan.core import attachments
from zhiyuan.core.attachments import NotAvailable
from zhiyuan.core.spreadsheets import form_book, form_heading, print_layout
from zhiyuan.organizations.models import Organization

__all__ = ["NotAvailable", "attachment_1", "attachment_5", "export_attachment", "register"]


def _short_office(org: Organization) -> str:
    """How attachment 1 names an office: 火车站地区, 郑东新区 — its first alias, else its name less 文明办."""
    aliases = [a for a in org.aliases.splitlines() if a.strip()]
    return aliases[0] if aliases else org.name.removesuffix("文明办")


def _team_label(team: Organization) -> str:
    agencies = [
        a.name for a in ([team.parent_agency] if team.parent_agency else []) + list(team.co_agencies.all())
    ]
    return f"{team.name}（{'、'.join(agencies)}）" if agencies else team.name


ATTACHMENT_1_TITLE = gettext_lazy("“文明使者”志愿服务站点联动单位情况一览表")
ATTACHMENT_1_COLUMNS = [
    (gettext_lazy("站点设置"), 22),
    (gettext_lazy("数量分布"), 14),
    (gettext_lazy("联动志愿服务团队"), 60),
    (gettext_lazy("所属文明办"), 14),
]


def attachment_1(campaign: Campaign) -> bytes:
    """站点联动单位情况一览表: place cells merged over their rows, and the office cell merged where the
    document leaves it blank under the same place. One landscape page."""
    stations = list(
        Station.objects.filter(campaign=campaign)
        .select_related("responsible_office")
        .prefetch_related("links__team__parent_agency", "links__team__co_agencies")
        .order_by("order", "pk")
    )
    buffer, book, f = form_book()
    sheet = book.add_worksheet("附件1")
    head = form_heading(
        sheet, f, label=attachments.label(1), title=attachments.title(campaign, ATTACHMENT_1_TITLE), width=4
    )
    for col, (header, width) in enumerate(ATTACHMENT_1_COLUMNS):
        sheet.write_string(head, col, str(header), f["head"])
        sheet.set_column(col, col, width)
    print_layout(sheet, landscape=True, header_rows=(head, head), one_page=True)
    row = head + 1
    for place, group in groupby(stations, key=lambda s: s.place):
        members = list(group)
        first = row
        for s in members:
            count = f"{s.sub_location}{s.points}个" if s.sub_location else f"{s.points}个"
            sheet.write_string(row, 1, count, f["cell"])
            teams = "、".join(_team_label(link.team) for link in s.links.all())
            sheet.write_string(row, 2, teams, f["left"])
            row += 1
        _merged(sheet, first, row - 1, 0, place, f["cell"])
        offices = [_short_office(s.responsible_office) for s in members]
        start = first
        for office, same in groupby(offices):
            span = len(list(same))
            _merged(sheet, start, start + span - 1, 3, office, f["cell"])
            start += span
    _note(sheet, f, row, 4, attachments.note(campaign, 1))
    book.close()
    return buffer.getvalue()


def _merged(sheet: Any, first: int, last: int, col: int, value: str, fmt: Any) -> None:
    if last > first:
        sheet.merge_range(first, col, last, col, value, fmt)
    else:
        sheet.write_string(first, col, value, fmt)


def _note(sheet: Any, f: dict[str, Any], row: int, width: int, text: str) -> None:
    if text:
        sheet.merge_range(row, 0, row, width - 1, text, f["note"])
        sheet.set_row(row, 18 * (text.count("\n") + 1) + 6)


ATTACHMENT_5_TITLE = gettext_lazy("集中志愿服务时间安排一览表")
ATTACHMENT_5_COLUMNS = [
    (gettext_lazy("时间"), 12),
    (gettext_lazy("地点"), 14),
    (gettext_lazy("活动内容"), 24),
    (gettext_lazy("责任单位"), 30),
    (gettext_lazy("联系人及方式"), 22),
]


def attachment_5(campaign: Campaign) -> bytes:
    """集中志愿服务时间安排一览表: a blank row where the rotation pauses (春节), the campaign's 备注 at the
    bottom. One page."""
    duties = list(
        Duty.objects.filter(campaign=campaign).select_related("responsible").order_by("date", "order")
    )
    buffer, book, f = form_book()
    sheet = book.add_worksheet("附件5")
    places = "、".join(dict.fromkeys(f"郑州{d.place}" for d in duties if d.station_id))
    title = attachments.title(campaign, f"\n{places}{ATTACHMENT_5_TITLE}")
    head = form_heading(sheet, f, label=attachments.label(5), title=title, width=5)
    for col, (header, width) in enumerate(ATTACHMENT_5_COLUMNS):
        sheet.write_string(head, col, str(header), f["head"])
        sheet.set_column(col, col, width)
    print_layout(sheet, header_rows=(head, head), one_page=True)
    row, previous = head + 1, None
    for d in duties:
        if previous is not None and (d.date - previous).days > 1:
            for col in range(5):
                sheet.write_blank(row, col, None, f["cell"])
            row += 1
        contact = " ".join(x for x in (d.contact_name, d.contact_phone) if x)
        values = [
            f"{d.date.month}月{d.date.day}日",
            d.place,
            d.content,
            d.responsible_label or d.responsible.name,
            contact,
        ]
        for col, value in enumerate(values):
            sheet.write_string(row, col, value, f["cell"])
        row, previous = row + 1, d.date
    notes = attachments.note(campaign, 5)
    if notes:
        sheet.write_string(row, 0, "备 注", f["head"])
        sheet.merge_range(row, 1, row, 4, notes, f["left"])
        sheet.set_row(row, 20 * (notes.count("\n") + 1))
    book.close()
    return buffer.getvalue()


def export_attachment(campaign: Campaign, number: int) -> bytes:
    """The campaign's attachment N, whichever app owns it (core.attachments)."""
    return attachments.export(campaign, number)


def register() -> None:
    attachments.register(attachments.Attachment(1, ATTACHMENT_1_TITLE, attachment_1))
    attachments.register(attachments.Attachment(5, ATTACHMENT_5_TITLE, attachment_5))
