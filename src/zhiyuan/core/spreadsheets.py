"""Reading uploaded XLSX files safely and writing cells that cannot turn into formulas."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
FORMULA_STARTS = ("=", "+", "-", "@")


def check_xlsx(file: IO[bytes], *, size: int, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse what is not an XLSX workbook by its content, not its name; and anything too large."""
    if size > max_bytes:
        raise ValidationError(_("文件过大（上限 %(mb)s MB）。") % {"mb": max_bytes // (1024 * 1024)})
    head = file.read(4)
    file.seek(0)
    if head != b"PK\x03\x04":
        raise ValidationError(_("请上传 Excel 2007 及以上版本的 .xlsx 文件。"))
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise ValidationError(_("文件已损坏，无法读取。")) from None
    finally:
        file.seek(0)
    if "xl/workbook.xml" not in names:
        raise ValidationError(_("请上传 Excel 2007 及以上版本的 .xlsx 文件。"))


def read(path_or_file: Any) -> tuple[int, Iterator[tuple[int, list[Any]]]]:
    """The row count the first sheet declares (for a progress bar before reading it all) and its rows,
    streamed: (row number as Excel shows it, values) for every non-empty row. The workbook is opened once:
    opening it reads the whole shared-strings table, the costliest step for a large file."""
    from openpyxl import load_workbook

    workbook = load_workbook(path_or_file, read_only=True, data_only=False)
    sheet = workbook.worksheets[0]

    def stream() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if values and any(v not in (None, "") for v in values):
                    yield number, list(values)
        finally:
            workbook.close()

    return sheet.max_row or 0, stream()


def text(value: Any) -> str:
    """A cell as text: numbers without a trailing .0 (phones typed as numbers), dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def safe_cell(value: Any) -> Any:
    """A value to write. `new_workbook` already stores every string as text (`=SUM(1,2)` stays those
    characters, never a formula), so no visible apostrophe is added; kept so writers say what they mean."""
    return value


# Print layout every worksheet gets (A4, fit to the page width, margins in inches, page numbers).
PAPER_A4 = 9
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.6}
FOOTER = "&C第 &P 页，共 &N 页"


def print_layout(
    sheet: Any,
    *,
    landscape: bool = False,
    header_rows: tuple[int, int] | None = None,
    one_page: bool = False,
) -> None:
    """How a sheet prints: A4, portrait or landscape, as wide as one page (and as tall, for a one-page
    form), the header rows repeated on every page, margins and a footer with the page number."""
    sheet.set_paper(PAPER_A4)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 1 if one_page else 0)
    sheet.set_margins(**MARGINS)
    sheet.set_footer(FOOTER)
    sheet.center_horizontally()
    if header_rows is not None:
        sheet.repeat_rows(*header_rows)


def new_workbook() -> tuple[io.BytesIO, Any]:
    """An in-memory xlsxwriter workbook that writes every string as text: nothing written can become a
    formula, a number or a link, whatever it starts with. Every sheet it adds already prints on A4 at the
    page's width with page numbers (`print_layout`); a writer then says orientation and header rows."""
    import xlsxwriter

    class PrintReady(xlsxwriter.Workbook):
        def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> Any:
            sheet = super().add_worksheet(name, worksheet_class)
            print_layout(sheet)
            return sheet

    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    return buffer, PrintReady(buffer, options)


def form_formats(book: Any) -> dict[str, Any]:
    """The cell formats the printed forms share: the 附件N： label, the title, headers, cells, notes."""
    border = {"border": 1, "valign": "vcenter", "text_wrap": True}
    return {
        "label": book.add_format({"bold": True, "font_size": 12, "align": "left", "valign": "vcenter"}),
        "title": book.add_format(
            {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter", "text_wrap": True}
        ),
        "head": book.add_format({**border, "bold": True, "align": "center"}),
        "cell": book.add_format({**border, "align": "center"}),
        "left": book.add_format({**border, "align": "left"}),
        "note": book.add_format({"text_wrap": True, "valign": "top", "align": "left"}),
    }


def form_book() -> tuple[io.BytesIO, Any, dict[str, Any]]:
    buffer, book = new_workbook()
    return buffer, book, form_formats(book)


def form_heading(
    sheet: Any, f: dict[str, Any], *, label: str, title: str, width: int, title_height: int = 48
) -> int:
    """The 附件N： label over the title, both across `width` columns; returns the first free row."""
    sheet.merge_range(0, 0, 0, width - 1, label, f["label"])
    sheet.merge_range(1, 0, 1, width - 1, title, f["title"])
    sheet.set_row(1, title_height)
    return 2


def sheet_name(text: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts (≤ 31 characters, none of []:*?/\\), unique in the workbook."""
    import re

    base = re.sub(r"[\[\]:*?/\\]", "", text).strip() or "Sheet"
    name, n = base[:31], 2
    while name in taken:
        suffix = f"({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name
