"""The seed notice's attachments as XLSX, filled from the database (`zhiyuan export_attachment`)."""

from __future__ import annotations

import io
from collections.abc import Callable
from itertools import groupby
from typing import Any

from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Campaign, Duty, Station
from zhiyuan.core.spreadsheets import new_workbook, safe_cell
from zhiyuan.organizations.models import CATEGORY_ORDER, ContactCategory, Organization, UnitContact


class NotAvailable(Exception):
    """The attachment comes from a part of the system not built yet."""


def _book() -> tuple[io.BytesIO, Any, dict[str, Any]]:
    buffer, book = new_workbook()
    border = {"border": 1, "valign": "vcenter", "text_wrap": True}
    formats = {
        "title": book.add_format(
            {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter", "text_wrap": True}
        ),
        "head": book.add_format({**border, "bold": True, "align": "center"}),
        "cell": book.add_format({**border, "align": "center"}),
        "left": book.add_format({**border, "align": "left"}),
    }
    return buffer, book, formats


def _short_office(org: Organization) -> str:
    """How attachment 1 names an office: 火车站地区, 郑东新区 — its first alias, else its name less 文明办."""
    aliases = [a for a in org.aliases.splitlines() if a.strip()]
    return aliases[0] if aliases else org.name.removesuffix("文明办")


def _team_label(team: Organization) -> str:
    agencies = [
        a.name for a in ([team.parent_agency] if team.parent_agency else []) + list(team.co_agencies.all())
    ]
    return f"{team.name}（{'、'.join(agencies)}）" if agencies else team.name


def _city(campaign: Campaign) -> str:
    return campaign.organizer.name.removesuffix("文明办")


def attachment_1(campaign: Campaign) -> bytes:
    """郑州市2019年春运期间“文明使者”志愿服务站点联动单位情况一览表: place cells merged over their rows, and the
    office cell merged where the document leaves it blank under the same place."""
    stations = list(
        Station.objects.filter(campaign=campaign)
        .select_related("responsible_office")
        .prefetch_related("links__team__parent_agency", "links__team__co_agencies")
        .order_by("order", "pk")
    )
    buffer, book, f = _book()
    sheet = book.add_worksheet("附件1")
    year = campaign.starts_on.year
    sheet.merge_range(
        0, 0, 0, 3, f"{_city(campaign)}{year}年春运期间“文明使者”志愿服务站点联动单位情况一览表", f["title"]
    )
    sheet.set_row(0, 40)
    for col, (header, width) in enumerate(
        [("站点设置", 22), ("数量分布", 14), ("联动志愿服务团队", 60), ("所属文明办", 14)]
    ):
        sheet.write_string(1, col, header, f["head"])
        sheet.set_column(col, col, width)
    row = 2
    for place, group in groupby(stations, key=lambda s: s.place):
        members = list(group)
        first = row
        for s in members:
            count = f"{s.sub_location}{s.points}个" if s.sub_location else f"{s.points}个"
            sheet.write_string(row, 1, count, f["cell"])
            teams = "、".join(_team_label(link.team) for link in s.links.all())
            sheet.write_string(row, 2, safe_cell(teams), f["left"])
            row += 1
        _merged(sheet, first, row - 1, 0, place, f["cell"])
        offices = [_short_office(s.responsible_office) for s in members]
        start = first
        for office, same in groupby(offices):
            span = len(list(same))
            _merged(sheet, start, start + span - 1, 3, office, f["cell"])
            start += span
    book.close()
    return buffer.getvalue()


def _merged(sheet: Any, first: int, last: int, col: int, value: str, fmt: Any) -> None:
    if last > first:
        sheet.merge_range(first, col, last, col, safe_cell(value), fmt)
    else:
        sheet.write_string(first, col, safe_cell(value), fmt)


def attachment_2(campaign: Campaign) -> bytes:
    """各单位信息一览表: one sheet per unit that has contacts, the four categories in the document's order."""
    contacts = UnitContact.objects.select_related("organization").order_by("organization__path", "category")
    buffer, book, f = _book()
    year = campaign.starts_on.year
    for org, group in groupby(contacts, key=lambda c: c.organization):
        by_category = {c.category: c for c in group}
        sheet = book.add_worksheet(f"{org.pk}-{org.name}"[:31])
        sheet.merge_range(
            0,
            0,
            0,
            4,
            f"{_city(campaign)}{year}年春运期间关爱外来务工人员志愿服务活动各单位信息一览表",
            f["title"],
        )
        sheet.set_row(0, 40)
        sheet.merge_range(1, 0, 1, 4, safe_cell(f"填报单位名称（盖章）：{org.name}"), f["left"])
        for col, header in enumerate(["类别", "姓名", "职务", "办公电话", "手机"]):
            sheet.write_string(2, col, header, f["head"])
            sheet.set_column(col, col, 18)
        for row, category in enumerate(
            sorted(ContactCategory.values, key=lambda c: CATEGORY_ORDER[c]), start=3
        ):
            c = by_category.get(category)
            values = [
                str(ContactCategory(category).label),
                *([c.name, c.title, c.office_phone, c.mobile] if c else ["", "", "", ""]),
            ]
            for col, value in enumerate(values):
                sheet.write_string(row, col, safe_cell(value), f["cell"])
    if not book.worksheets():
        book.add_worksheet("附件2").write_string(0, 0, _("尚无单位填写联系人。"))
    book.close()
    return buffer.getvalue()


def attachment_5(campaign: Campaign, notes: list[str] | None = None) -> bytes:
    """集中志愿服务时间安排一览表: a blank row where the rotation pauses (春节), the notes at the bottom."""
    duties = list(
        Duty.objects.filter(campaign=campaign).select_related("responsible").order_by("date", "order")
    )
    buffer, book, f = _book()
    sheet = book.add_worksheet("附件5")
    places = "、".join(dict.fromkeys(f"郑州{d.place}" for d in duties if d.station_id))
    title = f"{_city(campaign)}{campaign.starts_on.year}年春运期间\n{places}集中志愿服务时间安排一览表"
    sheet.merge_range(0, 0, 0, 4, title, f["title"])
    sheet.set_row(0, 48)
    for col, (header, width) in enumerate(
        [("时间", 12), ("地点", 14), ("活动内容", 24), ("责任单位", 30), ("联系人及方式", 22)]
    ):
        sheet.write_string(1, col, header, f["head"])
        sheet.set_column(col, col, width)
    row, previous = 2, None
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
            sheet.write_string(row, col, safe_cell(value), f["cell"])
        row, previous = row + 1, d.date
    if notes:
        sheet.write_string(row, 0, "备 注", f["head"])
        sheet.merge_range(row, 1, row, 4, "\n".join(notes), f["left"])
        sheet.set_row(row, 20 * len(notes))
    book.close()
    return buffer.getvalue()


def attachment_3(campaign: Campaign) -> bytes:
    """赠票活动情况统计表, from the outreach app's ticket donations."""
    from zhiyuan.outreach.exports import attachment_3 as from_donations

    return from_donations(campaign)


def attachment_4(campaign: Campaign) -> bytes:
    """信息上报表: one sheet per activity report submitted or accepted for the campaign, each the printed
    form — the two-line title over both columns, the six row labels, the note merged below. With no report
    yet, one blank form to fill by hand."""
    from zhiyuan.reporting.models import Form, Submission

    reports = list(
        Submission.objects.filter(
            rule__campaign=campaign,
            rule__form=Form.ACTIVITY_REPORT,
            status__in=[Submission.Status.SUBMITTED, Submission.Status.ACCEPTED],
        )
        .select_related("organization", "duty")
        .order_by("first_submitted_at", "pk")
    )
    buffer, book, f = _book()
    title = f"{_city(campaign)}{campaign.starts_on.year}年春运期间关爱外来务工人员\n志愿服务活动信息上报表"
    for number, report in enumerate(reports or [None], start=1):
        name = f"{number}-{report.organization.name}" if report else "附件4"
        _activity_form(book.add_worksheet(name[:31]), title, report, f)
    book.close()
    return buffer.getvalue()


ATTACHMENT_4_ROWS = [
    ("organizer", "组织单位"),
    ("activity_time", "活动时间"),
    ("place", "活动地点"),
    ("content", "活动内容"),
    ("details", "详细信息"),
    ("other", "其他需要说明的情况"),
]
ATTACHMENT_4_NOTE = "备注：请于活动结束后24小时内，将活动信息、相关图片和上报表一并发送至zzszyfwc@126.com。"


def _activity_form(sheet: Any, title: str, report: Any, f: dict[str, Any]) -> None:
    sheet.merge_range(0, 0, 0, 1, title, f["title"])
    sheet.set_row(0, 48)
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 1, 64)
    values = dict(report.fields) if report else {}
    if report and not values.get("organizer"):
        values["organizer"] = report.organization.name
    for row, (key, label) in enumerate(ATTACHMENT_4_ROWS, start=1):
        sheet.write_string(row, 0, label, f["head"])
        sheet.write_string(row, 1, safe_cell(str(values.get(key) or "")), f["left"])
        sheet.set_row(row, 120 if key == "details" else 36)
    sheet.merge_range(
        len(ATTACHMENT_4_ROWS) + 1, 0, len(ATTACHMENT_4_ROWS) + 1, 1, ATTACHMENT_4_NOTE, f["left"]
    )


EXPORTERS: dict[int, Callable[[Campaign], bytes]] = {
    1: attachment_1,
    2: attachment_2,
    3: attachment_3,
    4: attachment_4,
    5: attachment_5,
}


def export_attachment(campaign: Campaign, number: int) -> bytes:
    if number == 5 and campaign.slug == "chunyun-2019":
        from zhiyuan.seeds.campaign_chunyun_2019 import ROTATION_NOTES

        return attachment_5(campaign, notes=ROTATION_NOTES)
    exporter = EXPORTERS.get(number)
    if exporter is None:
        raise NotAvailable(_("附件编号应为 1 到 5。"))
    return exporter(campaign)
