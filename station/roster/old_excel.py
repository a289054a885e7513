"""The cells of an old Excel workbook (.xls, BIFF8): what many registry systems and WPS still save. Read with xlrd,
which also gives each cell's number format (a student number formatted 0000000000 is shown with its zeros) and the
merged ranges; the values are given as Python values for table.py to turn into text like any workbook's."""

from __future__ import annotations

import io
from dataclasses import dataclass

import xlrd

from station.errors import StationError
from station.i18n import Text

UNREADABLE_XLS = Text("无法读取这个 .xls 工作簿：文件已损坏，或加了密码（加了密码的 .xlsx 也是这样保存的）。请在 Excel 或 WPS "
                      "中打开，另存为 .xlsx（不设密码）或 CSV 后再导入",
                      "Cannot read this .xls workbook: it is damaged or protected by a password (a password-protected "
                      ".xlsx is stored this way too); open it in Excel or WPS and save it as .xlsx (without a "
                      "password) or CSV, then import that")


@dataclass(frozen=True)
class XlsSheet:
    name: str
    cells: list[list[tuple[object, str]]]  # each row's (value, number format) pairs, from row 1
    merges: list[tuple[int, int, int, int]]  # (first row, last row, first column, last column), all from 0


def read_xls(data: bytes) -> list[XlsSheet]:
    """The visible sheets (a hidden one is an old list or a lookup table the registrar never sees)."""
    try:
        # xlrd writes its warnings to stdout by default, where they would break `--json`
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO())
    except Exception as exc:  # noqa: BLE001  xlrd's errors for a damaged or encrypted file have no common class
        raise StationError(UNREADABLE_XLS) from exc
    try:
        return [XlsSheet(sheet.name, [[_value(book, cell) for cell in sheet.row(r)] for r in range(sheet.nrows)],
                         [(top, bottom - 1, left, right - 1) for top, bottom, left, right in sheet.merged_cells])
                for sheet in book.sheets() if sheet.visibility == 0]
    finally:
        book.release_resources()


def _value(book: xlrd.Book, cell: xlrd.sheet.Cell) -> tuple[object, str]:
    number_format = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
    if cell.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode), number_format
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value), number_format
    if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None, number_format
    return cell.value, number_format
