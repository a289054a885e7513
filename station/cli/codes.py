"""`photo-station codes --class CLASS --out slips.pdf`: QR slips for a class."""

from __future__ import annotations

import argparse
from pathlib import Path

from station.context import Station
from station.errors import StationError
from station.i18n import Text
from station.identify.slips import write_slips_pdf
from station.roster.store import students_of_class


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("codes", parents=[common], help="print QR slips for the students of a class")
    parser.add_argument("--class", dest="class_name", required=True)
    parser.add_argument("--out", type=Path, required=True, help="PDF file to write")
    parser.set_defaults(func=_codes)


def _codes(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    students = students_of_class(station.db, args.class_name)
    if not students:
        raise StationError(Text(f"名单中没有班级“{args.class_name}”", f"No class '{args.class_name}' in the roster"))
    pages = write_slips_pdf(students, args.out, Text("毕业图像采集码", "Graduation photo code").get(station.lang))
    print(Text(f"已为 {len(students)} 名学生生成 {pages} 页：{args.out}",
               f"{pages} page(s) for {len(students)} students written to {args.out}").get(station.lang))
    return 0
