"""`write_report`: the day or class report to an .xlsx or a .pdf, chosen by the file name's ending."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils

from station.errors import StationError
from station.i18n import Text
from station.documents.output_file import write_output_file
from station.reports.day_report import DayReport, build_report
from station.reports.pdf import report_pdf
from station.reports.xlsx import report_xlsx

FORMATS = {".xlsx": report_xlsx, ".pdf": report_pdf}
UNKNOWN_FORMAT = Text("报表文件名须以 .xlsx 或 .pdf 结尾：{out}", "The report's file name must end in .xlsx or .pdf: {out}")


def write_report(db: sqlite_utils.Database, out: Path, lang: str, day: dt.date, class_name: str | None = None,
                 tz: dt.tzinfo | None = None) -> DayReport:
    writer = FORMATS.get(out.suffix.lower())
    if writer is None:
        raise StationError(UNKNOWN_FORMAT.format(out=out))
    report = build_report(db, day, class_name, tz)
    write_output_file(out, writer(report, lang))
    return report
