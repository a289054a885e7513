"""`photo-station codes [--class CLASS] --out slips.pdf`: QR slips for one class, or every class (one section
each, in class order)."""

from __future__ import annotations

import argparse

from station.adapters.cli import path_argument
from station.context import Station
from station.errors import StationError
from station.i18n import Text
from station.identify.slips import write_slips_pdf
from station.roster.store import class_names, students_of_class

NO_CLASS = Text("名单中没有班级“{name}”", "No class '{name}' in the roster")
EMPTY_ROSTER = Text("名单是空的：请先导入名单（photo-station roster import FILE）",
                    "The roster is empty: import it first (photo-station roster import FILE)")
WRITTEN = Text("已为 {classes} 个班级的 {students} 名学生生成 {pages} 页：{out}",
               "{pages:page|pages} for {students:student|students} of {classes:class|classes} written to {out}")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("codes", parents=[common],
                                   help="print QR slips for the students of a class, or of every class")
    parser.add_argument("--class", dest="class_name", default=None,
                        help="一个班级（默认：所有班级） / one class (default: every class)")
    parser.add_argument("--out", type=path_argument, required=True, help="要写出的 PDF 文件 / PDF file to write")
    parser.set_defaults(func=_codes)


def _codes(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    classes = [args.class_name] if args.class_name is not None else class_names(station.db)
    students = [s for name in classes for s in students_of_class(station.db, name)]
    if not students:
        raise StationError(NO_CLASS.format(name=args.class_name) if args.class_name is not None else EMPTY_ROSTER)
    pages = write_slips_pdf(students, args.out, Text("毕业图像采集码", "Graduation photo code").get(station.lang))
    print(WRITTEN.format(classes=len(classes), students=len(students), pages=pages, out=args.out).get(station.lang))
    return 0
