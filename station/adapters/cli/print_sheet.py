"""`photo-station print-sheet (--class C | STUDENT_NO...) --out FILE.pdf [--layout 6inch|a4] [--json]`: each
student's registered photo 8 times at 2-inch size, to print at 100 % (not "fit to page")."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from station.adapters.cli import path_argument
from station.adapters.cli.output import print_json
from station.adapters.cli.passphrase import cli_station_key
from station.context import Station
from station.errors import StationError
from station.i18n import Text
from station.printing.layout import LAYOUTS
from station.printing.sheet import PrintSheet, write_print_sheet
from station.storage.captures import CaptureStore

WHOM = Text("请给出 --class 班级 或学号（二者选一）", "Give --class CLASS or student numbers (one of the two)")
WRITTEN = Text("已写入 {out}：{printed} 名学生，{pages} 页（打印时请选“实际大小/100%”，不要“适合页面”）",
               "{out} written: {printed:student|students}, {pages:page|pages} (print at actual size / 100 %, not 'fit to page')")
NOT_PRINTED = Text("未打印 {student_no} {name}：{reason}", "Not printed {student_no} {name}: {reason}")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("print-sheet", parents=[common],
                                   help="a PDF of 2-inch prints (8 per student) for a class or for student numbers")
    parser.add_argument("student_nos", nargs="*", metavar="STUDENT_NO", help="要打印的学生的学号 / students to print")
    parser.add_argument("--class", dest="class_name", default=None,
                        help="这个班级的全部学生 / every student of this class")
    parser.add_argument("--out", type=path_argument, required=True, help="要写出的 PDF 文件 / PDF file to write")
    parser.add_argument("--layout", choices=sorted(LAYOUTS), default="6inch",
                        help="6inch：每张 6 寸（152 x 102 mm）相纸一名学生；a4：每页 A4 四名学生 / 6inch: one student per "
                             "6-inch (152 x 102 mm) photo paper; a4: four per A4 page")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出结果 / print the result as JSON")
    parser.set_defaults(func=_print_sheet)


def _print_sheet(args: argparse.Namespace) -> int:
    if (args.class_name is None) == (not args.student_nos):
        raise StationError(WHOM)
    station = Station.from_args(args)
    store = CaptureStore(station, cli_station_key(station))
    sheet = write_print_sheet(store, args.out, args.layout, args.class_name, args.student_nos)
    if args.json:
        print_json(sheet_json(sheet, args.out, station.lang))
    else:
        print(WRITTEN.format(out=args.out, printed=len(sheet.printed), pages=sheet.pages).get(station.lang))
        for missing in sheet.missing:
            print(NOT_PRINTED.format(student_no=missing.student_no, name=missing.name,
                                     reason=missing.reason).get(station.lang), file=sys.stderr)
    return 1 if sheet.missing else 0


def sheet_json(sheet: PrintSheet, out: Path, lang: str) -> dict:
    return {"out": str(out), "layout": sheet.layout, "pages": sheet.pages,
            "printed": [{"student_no": p.student_no, "name": p.name, "class": p.class_name, "version": p.version,
                         "dpi": p.dpi} for p in sheet.printed],
            "missing": [{"student_no": m.student_no, "name": m.name, "code": m.code, "reason": m.reason.get(lang)}
                        for m in sheet.missing]}
