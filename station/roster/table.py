"""Reading the school's roster file into rows of text cells, whatever produced it.

Chinese Excel writes CSV in GBK, newer tools in UTF-8 (often with a BOM), and
"Unicode text" exports are UTF-16 with tabs; .xlsx workbooks are read with openpyxl.
Cells come back as NFKC-normalised, stripped text so full-width digits and spaces
typed in Chinese input methods compare equal to their ASCII forms.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from station.errors import StationError
from station.i18n import Text


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[tuple[int, list[str]]]  # (row number as the user sees it, cells)


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of a workbook, or the single table of a CSV/TSV file."""
    if not path.is_file():
        raise StationError(Text(f"找不到文件：{path}", f"File not found: {path}"))
    suffix = path.suffix.lower()
    try:
        if suffix in {".xlsx", ".xlsm"}:
            return _read_xlsx(path)
        if suffix == ".xls":
            raise StationError(Text("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV",
                                    "Old .xls files are not supported; save the workbook as .xlsx or CSV"))
        return [Sheet(path.name, _read_delimited(path.read_bytes()))]
    except StationError:
        raise
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, csv.Error) as exc:
        raise StationError(Text(f"无法读取名单文件 {path.name}：{exc}",
                                f"Cannot read roster file {path.name}: {exc}")) from exc


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15G}"  # large numbers lost digits in Excel: keep the E notation visible
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip()


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [
            Sheet(ws.title, [(n, [cell_text(v) for v in row])
                             for n, row in enumerate(ws.iter_rows(values_only=True), start=1)])
            for ws in workbook.worksheets
        ]
    finally:
        workbook.close()


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise StationError(Text("无法识别文件编码（支持 UTF-8、GBK/GB18030、UTF-16）",
                                "Unknown text encoding (UTF-8, GBK/GB18030 and UTF-16 are supported)")) from exc


def _read_delimited(data: bytes) -> list[tuple[int, list[str]]]:
    text = decode_text(data)
    if "\x00" in text:
        raise StationError(Text("这不是文本表格文件（CSV），请导出为 CSV 或 .xlsx",
                                "This is not a text table (CSV); export the roster as CSV or .xlsx"))
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    return [(n, [cell_text(c) for c in row]) for n, row in enumerate(reader, start=1)]
