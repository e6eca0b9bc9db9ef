"""The scoreboard as an XLSX workbook: the ranked table, and the heat-map with the same colours as the page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from zhiyuan.core.spreadsheets import new_workbook, print_layout, safe_cell
from zhiyuan.reporting.selectors.scoreboard import Cell, Scoreboard
from zhiyuan.reporting.services.deadlines import SHANGHAI

# the page's heat-map colours (templates/reporting/scoreboard/page.html), so print and screen agree
COLOURS = {
    Cell.ON_TIME: "#1b7f3b",
    Cell.LATE_HOUR: "#f2c94c",
    Cell.LATE_DAY: "#f2994a",
    Cell.LATER: "#c8161d",
    Cell.MISSING: "#4a4a4a",
    Cell.PENDING: "#e3e8ee",
}
LIGHT_TEXT = {Cell.ON_TIME, Cell.LATER, Cell.MISSING}


def ranked_headers() -> list[str]:
    return [
        _("名次"),
        _("单位"),
        _("应报"),
        _("按时"),
        _("迟报"),
        _("未报"),
        _("未到期"),
        _("按时率（%）"),
        _("平均迟报（小时）"),
        _("集中服务（次）"),
        _("活跃志愿者（人）"),
        _("服务时长（小时）"),
    ]


def scoreboard_xlsx(board: Scoreboard) -> bytes:
    buffer, book = new_workbook()
    border = {"border": 1, "valign": "vcenter", "text_wrap": True}
    f = {
        "title": book.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}),
        "head": book.add_format({**border, "bold": True, "align": "center", "bg_color": "#eef2f7"}),
        "cell": book.add_format({**border, "align": "center"}),
        "left": book.add_format({**border, "align": "left"}),
    }
    heat = {
        cell: book.add_format(
            {
                **border,
                "align": "center",
                "bg_color": colour,
                "font_color": "#ffffff" if cell in LIGHT_TEXT else "#1f2933",
            }
        )
        for cell, colour in COLOURS.items()
    }
    _ranked(book.add_worksheet(_("排名")), board, f)
    _heatmap(book.add_worksheet(_("热力图")), board, f, heat)
    book.close()
    return buffer.getvalue()


def _ranked(sheet: Any, board: Scoreboard, f: dict[str, Any]) -> None:
    headers = ranked_headers()
    sheet.merge_range(
        0, 0, 0, len(headers) - 1, _("上报考核排名 · %(w)s") % {"w": board.window.label}, f["title"]
    )
    sheet.set_row(0, 28)
    for col, header in enumerate(headers):
        sheet.write_string(1, col, header, f["head"])
        sheet.set_column(col, col, 30 if col == 1 else 11)
    for row, r in enumerate(board.rows, start=2):
        sheet.write_number(row, 0, r.rank, f["cell"])
        sheet.write_string(row, 1, safe_cell(r.organization.name), f["left"])
        for col, value in enumerate((r.due, r.on_time, r.late, r.missing, r.pending), start=2):
            sheet.write_number(row, col, value, f["cell"])
        for col, opt in ((7, r.on_time_percent), (8, r.average_lateness_hours)):
            if opt is None:
                sheet.write_blank(row, col, None, f["cell"])
            else:
                sheet.write_number(row, col, opt, f["cell"])
        sheet.write_number(row, 9, r.activity.duties_done, f["cell"])
        sheet.write_number(row, 10, r.activity.volunteers, f["cell"])
        sheet.write_number(row, 11, float(r.activity.hours), f["cell"])
    sheet.freeze_panes(2, 2)
    print_layout(sheet, landscape=True, header_rows=(0, 1))


def _heatmap(sheet: Any, board: Scoreboard, f: dict[str, Any], heat: dict[str, Any]) -> None:
    last_col = max(len(board.deadlines), 1)
    sheet.merge_range(0, 0, 0, last_col, _("上报期限热力图 · %(w)s") % {"w": board.window.label}, f["title"])
    legend = "；".join(f"{Cell.LABELS[c]}" for c in Cell.ORDER)
    sheet.merge_range(1, 0, 1, last_col, safe_cell(_("图例：") + legend + _("；空白为无需上报")), f["left"])
    for col, cell in enumerate(Cell.ORDER, start=1):  # the colours themselves, next to the legend row
        sheet.write_string(2, col, str(Cell.LABELS[cell]), heat[cell])
    sheet.write_string(3, 0, _("单位"), f["head"])
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, last_col, 12)
    for col, d in enumerate(board.deadlines, start=1):
        due = d.due_at.astimezone(SHANGHAI)
        sheet.write_string(3, col, safe_cell(f"{d.title}\n{due:%m-%d %H:%M}"), f["head"])
    sheet.set_row(3, 45)
    for row, (r, cells) in enumerate(board.heat_rows(), start=4):
        sheet.write_string(row, 0, safe_cell(r.organization.name), f["left"])
        for col, cell in enumerate(cells, start=1):
            if cell:
                sheet.write_string(row, col, str(Cell.LABELS[cell]), heat[cell])
            else:
                sheet.write_blank(row, col, None, f["cell"])
    sheet.freeze_panes(4, 1)
    print_layout(sheet, landscape=True, header_rows=(3, 3))
    sheet.repeat_columns(0, 0)  # the unit names on every page when the deadlines run over several
