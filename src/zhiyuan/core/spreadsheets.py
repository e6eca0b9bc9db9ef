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
    """A value to write: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def new_workbook() -> tuple[io.BytesIO, Any]:
    """An in-memory xlsxwriter workbook that writes every string as text: nothing written can become a
    formula, a number or a link, whatever it starts with."""
    import xlsxwriter

    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    return buffer, xlsxwriter.Workbook(buffer, options)
