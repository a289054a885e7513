"""Reading the school's roster file into rows of text cells, whatever produced it.

Chinese Excel writes CSV in GBK, newer tools in UTF-8 (often with a BOM), and
"Unicode text" exports are UTF-16 with tabs; .xlsx workbooks are read with openpyxl, old .xls ones with xlrd.
Cells come back as NFKC-normalised, stripped text so full-width digits and spaces
typed in Chinese input methods compare equal to their ASCII forms.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from openpyxl.utils.cell import column_index_from_string

from station.errors import StationError
from station.i18n import Text
from station.paths import is_dir, is_file
from station.roster.web_table import web_table_rows
from station.roster.uncalculated import Uncalculated, placeholder_results, sheet_parts, uncalculated_cells

log = logging.getLogger(__name__)


DELIMITERS = ",\t;|"


class Merge(NamedTuple):
    """A merged range: columns from 0, rows numbered as the user sees them, both ends included."""

    first_column: int
    first_row: int
    last_column: int
    last_row: int


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[tuple[int, list[str]]]  # (row number as the user sees it, cells)
    uncalculated: Uncalculated = field(default_factory=dict)  # formula cells read as empty: no result was stored


# what .xls (and .xls renamed to .xlsx) starts with; Excel also wraps a password-protected .xlsx in it
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURE = b"PK\x03\x04"  # what .xlsx is
_WEB_PAGE = re.compile(rb"(?:\xef\xbb\xbf)?\s*<(?:!doctype html|html|table|\?xml|meta|head|body)", re.I)
NO_WEB_TABLE = Text("这个名单文件其实是网页或 XML 表格，其中没有可读的表格：请用 Excel 或 WPS 打开，另存为 .xlsx 或 CSV 后再导入",
                    "This roster file is really a web page or an XML table, with no table that can be read: open it "
                    "in Excel or WPS and save it as .xlsx or CSV, then import that")
_MISSING_SHEET = Text("工作簿已损坏：有工作表无法读取，请在 Excel 中打开后另存一份再导入",
                      "The workbook is damaged: a sheet cannot be read; open it in Excel, save a copy and import that")
# Excel's ways of keeping a long number as text in a CSV: ="0123", and an apostrophe before digits.
_EXCEL_TEXT = re.compile(r'^="(.*)"$|^\'([\dXx\s-]+)$', re.S)
_ZEROS = re.compile(r"0{2,}")  # a number format of zeros only: the digits Excel pads a whole number to
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def is_workbook(data: bytes) -> bool:
    """An Excel workbook's bytes (.xlsx, .xls, a password-protected .xlsx), whatever the file is named."""
    return data.startswith((_OLE2_SIGNATURE, _ZIP_SIGNATURE))


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of a workbook, or the single table of a CSV/TSV file."""
    if is_dir(path):
        raise StationError(Text(f"{path} 是文件夹，请选择名单文件（.xlsx 或 .csv）",
                                f"{path} is a folder; choose the roster file (.xlsx or .csv)"))
    if not is_file(path):
        raise StationError(Text(f"找不到文件：{path}", f"File not found: {path}"))
    try:
        data = path.read_bytes()
        if not data.strip():
            raise StationError(Text(f"名单文件 {path.name} 是空的", f"The roster file {path.name} is empty"))
        # What the bytes are decides, not the name: a workbook renamed .csv, a CSV renamed .xlsx, and the ".xls" a
        # registry system exports that is really text or a web page are all common.
        if data.startswith(_OLE2_SIGNATURE):
            return _read_xls(data)
        if data.startswith(_ZIP_SIGNATURE) or (path.suffix.lower() in {".xlsx", ".xlsm"} and not _is_text(data)):
            return _read_xlsx(io.BytesIO(data))
        if _WEB_PAGE.match(data):
            return [_read_web_page(path.name, data)]
        if path.suffix.lower() == ".xls" and not _is_text(data):  # Excel 2 to 4's .xls have no OLE2 wrapper
            return _read_xls(data)
        return [Sheet(path.name, _read_delimited(data))]
    except StationError:
        raise
    except PermissionError as exc:  # Windows: Excel keeps the workbook it has open locked; elsewhere: permissions
        raise StationError(Text(f"名单文件 {path.name} 被其他程序占用（例如正在 Excel 中打开）或没有读取权限，请关闭后重试",
                                f"The roster file {path.name} is in use by another program (open in Excel?) or "
                                "may not be read; close it and try again")) from exc
    except Exception as exc:  # noqa: BLE001  a damaged file can fail anywhere inside openpyxl or the csv module
        log.warning("roster file %s not read: %r", path, exc)  # the parser's words ("unclosed token"), for support
        raise StationError(Text(f"无法读取名单文件 {path.name}：文件已损坏，或不是 Excel、CSV 表格。请在 Excel 或 WPS 中"
                                "打开它，另存为 .xlsx 后再导入",
                                f"Cannot read roster file {path.name}: it is damaged, or not an Excel or CSV table. "
                                "Open it in Excel or WPS, save it as .xlsx, and import that")) from exc


def _read_web_page(name: str, data: bytes) -> Sheet:
    """The first table of an HTML file (Excel 2003's XML spreadsheets have none: they are refused)."""
    rows = web_table_rows(decode_text(data))
    if not any(any(cells) for cells in rows):
        raise StationError(NO_WEB_TABLE)
    return Sheet(name, [(n, [cell_text(c) for c in cells]) for n, cells in enumerate(rows, start=1)])


def _is_text(data: bytes) -> bool:
    """Text has no NUL bytes (except UTF-16, which starts with its byte-order mark)."""
    return data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in data[:4096]


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15G}"  # large numbers lost digits in Excel: keep the E notation visible
    if isinstance(value, dt.datetime):  # Excel keeps a date as a datetime at midnight: a date it is
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    # Format characters show as nothing but make "Z3" and "Z3<ZWSP>" differ: zero-width spaces and joiners,
    # direction marks, soft hyphens, and the byte-order marks left where UTF-8-BOM files were pasted together.
    # Control characters (a line break typed with Alt+Enter, a stray bell or escape) become spaces: they would
    # otherwise reach the terminal and the screens raw.
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in unicodedata.normalize("NFKC", str(value))
                   if unicodedata.category(c) != "Cf").strip()
    excel_text = _EXCEL_TEXT.match(text)
    if excel_text:
        text = (excel_text[1] if excel_text[1] is not None else excel_text[2]).strip()
    return text


def _read_xlsx(data: io.BytesIO) -> list[Sheet]:
    """The visible sheets (a hidden one is an old list or a lookup table the registrar never sees)."""
    import openpyxl

    workbook = openpyxl.load_workbook(data, read_only=True, data_only=True)
    try:
        with zipfile.ZipFile(data) as package:  # openpyxl silently skips a sheet whose part is missing
            parts = [name for name in package.namelist() if name.endswith("/workbook.xml")]
            listed = len(re.findall(rb"<(?:\w+:)?sheet\s", package.read(parts[0]))) if parts else 0
            if listed > len(workbook.sheetnames):
                raise StationError(_MISSING_SHEET)
            sheets = []
            cells = sheet_parts(package, parts[0]) if parts else {}
            placeholders = placeholder_results(package.read(parts[0])) if parts else False
            for ws in workbook.worksheets:
                if ws.sheet_state != "visible":
                    continue
                # Some export tools write a stale used range; read-only openpyxl would stop there and drop rows.
                ws.reset_dimensions()
                rows = [(n, [cell_text(_as_shown(c)) for c in row]) for n, row in enumerate(ws.iter_rows(), 1)]
                part = package.read(cells[ws.title]) if ws.title in cells else b""
                fill_merged_down(rows, _xml_merges(part))
                uncalculated = uncalculated_cells(part, placeholders) if part else {}
                sheets.append(Sheet(ws.title, rows, uncalculated))
        return sheets
    finally:
        workbook.close()


def _read_xls(data: bytes) -> list[Sheet]:
    from station.roster.old_excel import read_xls  # xlrd loaded for an .xls only, as openpyxl for an .xlsx

    sheets = []
    for sheet in read_xls(data):
        rows = [(n, [cell_text(as_shown(value, number_format)) for value, number_format in cells])
                for n, cells in enumerate(sheet.cells, start=1)]
        fill_merged_down(rows, [Merge(left, top + 1, right, bottom + 1) for top, bottom, left, right in sheet.merges])
        sheets.append(Sheet(sheet.name, rows))
    return sheets


def _as_shown(cell: object) -> object:
    return as_shown(getattr(cell, "value", None), getattr(cell, "number_format", ""))


def as_shown(value: object, number_format: str) -> object:
    """A whole number in a cell formatted 0000000 as Excel shows it, leading zeros kept: a student number typed
    as 0210101 into a number column is stored as 210101 and shown again as 0210101 by that format."""
    if (isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer()
            and 0 <= value < 1e15 and _ZEROS.fullmatch(number_format or "")):
        return str(int(value)).zfill(len(number_format))
    return value


def _xml_merges(sheet_xml: bytes) -> list[Merge]:
    return [Merge(column_index_from_string(left.decode()) - 1, int(top), column_index_from_string(right.decode()) - 1,
                  int(bottom)) for left, top, right, bottom in _MERGE.findall(sheet_xml)]


def fill_merged_down(rows: list[tuple[int, list[str]]], merges: list[Merge]) -> None:
    """A cell merged down over several rows (one 班级 for a whole class) gives its text to every row it covers, as
    Excel shows it; openpyxl and xlrd read it in the top row only. Merges across columns (a title) are left as they
    are."""
    by_number = {number: cells for number, cells in rows}
    for column, first, last_column, last in merges:
        top = by_number.get(first, [])
        value = top[column] if column < len(top) else ""
        if column != last_column or not value:
            continue
        for number in range(first + 1, last + 1):
            cells = by_number.get(number)
            if cells is not None:
                cells.extend([""] * (column + 1 - len(cells)))
                cells[column] = value


UNKNOWN_ENCODING = Text("无法识别文件编码（支持 UTF-8、GBK/GB18030、UTF-16）：请用 Excel 打开，另存为 .xlsx 或“CSV UTF-8”后再导入",
                        "Unknown text encoding (UTF-8, GBK/GB18030 and UTF-16 are supported): open it in Excel, save it "
                        "as .xlsx or 'CSV UTF-8', then import that")
DAMAGED_UTF16 = Text("文件标明是 UTF-16 文本（Excel 的“Unicode 文本”），但内容已损坏或不完整，可能没有拷贝完整：请重新导出",
                     "the file is marked as UTF-16 text (Excel's 'Unicode text') but is damaged or cut short: it may "
                     "not have been copied whole; export it again")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:  # an odd number of bytes or a lone surrogate: a copy cut short
            raise StationError(DAMAGED_UTF16) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise StationError(UNKNOWN_ENCODING) from exc


def _read_delimited(data: bytes) -> list[tuple[int, list[str]]]:
    text = decode_text(data).rstrip("\x00")  # some tools pad the end of a file with NUL bytes
    if "\x00" in text:
        raise StationError(Text("这不是文本表格文件（CSV），请导出为 CSV 或 .xlsx",
                                "This is not a text table (CSV); export the roster as CSV or .xlsx"))
    sample = text[:8192]
    try:
        reader = csv.reader(io.StringIO(text, newline=""), csv.Sniffer().sniff(sample, delimiters=DELIMITERS))
    except csv.Error:
        # The sniffer wants every line alike, but Excel leaves off trailing empty cells: take the commonest.
        delimiter = max(DELIMITERS, key=lambda d: sum(line.count(d) for line in sample.splitlines()[:20]))
        reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    return [(n, [cell_text(c) for c in row]) for n, row in enumerate(reader, start=1)]
