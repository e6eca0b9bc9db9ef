"""Reading uploaded XLSX files safely and writing cells that cannot turn into formulas."""

from __future__ import annotations

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


def rows(path_or_file: Any) -> Iterator[tuple[int, list[Any]]]:
    """(row number as Excel shows it, values) for every non-empty row of the first sheet, streamed."""
    from openpyxl import load_workbook

    workbook = load_workbook(path_or_file, read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if values and any(v not in (None, "") for v in values):
                yield number, list(values)
    finally:
        workbook.close()


def declared_rows(path_or_file: Any) -> int:
    """The row count the workbook declares (its dimension), for a progress bar before reading it all."""
    from openpyxl import load_workbook

    workbook = load_workbook(path_or_file, read_only=True)
    try:
        return workbook.worksheets[0].max_row or 0
    finally:
        workbook.close()


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
