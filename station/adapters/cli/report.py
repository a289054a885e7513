"""`photo-station report [--day D] [--class C] --out FILE.xlsx|FILE.pdf [--json]`: the day and class report."""

from __future__ import annotations

import argparse
from pathlib import Path

from station.adapters.cli import path_argument
from station.adapters.cli.output import print_json
from station.context import Station
from station.i18n import Text
from station.reports.day_report import DayReport, parse_day
from station.reports.write import write_report

WRITTEN = Text("已写入 {out}：{classes} 个班级，未拍摄 {missing} 人；{day} 确认照片 {photos} 张",
               "{out} written: {classes:class|classes}, {missing} not yet photographed; {photos:photo|photos} accepted on {day}")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("report", parents=[common],
                                   help="the day and class report (who is photographed, absent, still missing; "
                                        "overrides; photos per hour) as .xlsx or .pdf")
    parser.add_argument("--day", default=None,
                        help="日期，如 2025-05-20（默认：今天） / the day, e.g. 2025-05-20 (default: today)")
    parser.add_argument("--class", dest="class_name", default=None,
                        help="一个班级（默认：所有班级） / one class (default: every class)")
    parser.add_argument("--out", type=path_argument, required=True,
                        help="要写出的文件：FILE.xlsx 或 FILE.pdf / FILE.xlsx or FILE.pdf")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出各项数字 / print the figures as JSON")
    parser.set_defaults(func=_report)


def _report(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    report = write_report(station.db, args.out, station.lang, parse_day(args.day), args.class_name)
    if args.json:
        print_json(report_json(report, args.out))
    else:
        print(WRITTEN.format(out=args.out, classes=len(report.classes), missing=report.missing_count,
                             day=report.day.isoformat(), photos=report.photos).get(station.lang))
    return 0


def report_json(report: DayReport, out: Path) -> dict:
    return {
        "out": str(out), "day": report.day.isoformat(), "photos": report.photos, "students": report.students,
        "median_to_photo_s": report.median_to_photo_s, "timed_photos": report.timed_photos,
        "per_hour": {station: {f"{h:02d}": n for h, n in sorted(hours.items())}
                     for station, hours in report.per_hour.items()},
        "classes": [{"class": c.class_name, "students": c.students, "photographed": c.photographed, "retaken": c.retaken,
                     "absent": c.absent, "not_yet": c.waiting,
                     "missing": [{"student_no": m.person.student_no, "name": m.person.name, "absent": m.absent}
                                 for m in c.missing]} for c in report.classes],
        "overrides": len(report.overrides),
    }
