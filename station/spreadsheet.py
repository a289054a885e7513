"""Tables written for people to open in Excel or WPS: .xlsx (one sheet each) or .csv (the first only).

The fee report and the audit export share it; a file is written whole or not at all. Every table the station and
the server write for people goes through `add_row` / `csv_rows`: text from a roster or an operator that Excel would
run as a formula (a name typed as =HYPERLINK(...), the =cmd|... trick) stays the text it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from station.documents.output_file import IN_USE, name_refusal
from station.errors import StationError, os_reason
from station.i18n import Text
from station.storage.atomic import write_atomic

Cell = str | int | float | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what Excel and WPS read as the start of a formula in a CSV
NOT_A_TABLE = Text("不支持的文件类型 {name}：请以 .xlsx 或 .csv 结尾", "Unsupported file type {name}: end it in .xlsx or .csv")
CANNOT_WRITE = Text("无法写入 {path}：{reason}", "Cannot write {path}: {reason}")


@dataclass(frozen=True)
class Sheet:
    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def check_table_path(path: Path, csv_allowed: bool = True) -> None:
    """Said before any work is done: a name that is neither .xlsx nor (where allowed) .csv."""
    suffixes = (".xlsx", ".csv") if csv_allowed else (".xlsx",)
    if path.suffix.lower() not in suffixes:
        raise StationError(NOT_A_TABLE.format(name=path.name))


def write_tables(path: Path, sheets: Sequence[Sheet]) -> None:
    check_table_path(path)
    if (refusal := name_refusal(path)) is not None:
        raise StationError(CANNOT_WRITE.format(path=path, reason=refusal))
    data = _csv(sheets[0]) if path.suffix.lower() == ".csv" else _xlsx(sheets)
    try:
        write_atomic(path, data)
    except PermissionError as exc:  # Windows: the workbook is open in Excel or WPS (write_atomic waited 1.6 s)
        raise StationError(CANNOT_WRITE.format(path=path, reason=IN_USE)) from exc
    except OSError as exc:
        raise StationError(CANNOT_WRITE.format(path=path, reason=os_reason(exc))) from exc


def _formula_like(value: object) -> bool:
    if not (isinstance(value, str) and value.startswith(FORMULA_STARTS)):
        return False
    try:
        float(value)  # -20.00, a refund: a number, not a formula
        return False
    except ValueError:
        return True


def add_row(page: Worksheet, row: Sequence[object]) -> None:
    """Append a row; formula-like text is stored as text (openpyxl would store "=1+2" as a formula)."""
    page.append(list(row))
    for cell in page[page.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def csv_rows(rows: Sequence[Sequence[object]]) -> list[list[object]]:
    """The rows with formula-like text behind an apostrophe, which Excel shows instead of running it."""
    return [[f"'{cell}" if _formula_like(cell) else cell for cell in row] for row in rows]


def _csv(sheet: Sheet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sheet.header)
    writer.writerows(csv_rows(sheet.rows))
    return out.getvalue().encode("utf-8-sig")  # with the BOM, Excel reads the Chinese as UTF-8


def _xlsx(sheets: Sequence[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        page = book.create_sheet(sheet.title[:31])  # Excel's limit on a sheet name
        page.append(list(sheet.header))
        for row in sheet.rows:
            add_row(page, row)
        page.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
