"""`photo-station roster import FILE [--json]` and `roster list`."""

from __future__ import annotations

import argparse

from station.adapters.cli import path_argument
from station.adapters.cli.output import print_json
from station.audit.trail import AuditTrail, default_operator
from station.context import Station
from station.errors import StationError
from station.roster import store
from station.roster.importer import import_roster


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    roster = subparsers.add_parser("roster", parents=[common], help="the list of expected graduates")
    actions = roster.add_subparsers(dest="action", metavar="ACTION", required=True)
    importing = actions.add_parser("import", parents=[common],
                                   help="导入学校的学生名单（.xlsx、.xls 或 .csv） / import the school's .xlsx, .xls or "
                                        ".csv roster")
    importing.add_argument("file", metavar="FILE", type=path_argument, help="名单文件，如 名单.xlsx / the roster file")
    importing.add_argument("--json", action="store_true", help="输出一个 JSON 对象 / print one JSON object")
    importing.set_defaults(func=_import)
    photos = actions.add_parser("photos", parents=[common],
                                help="导入参考照片（文件夹或 zip，文件名为学号或身份证号） / import reference photos "
                                     "(folder or zip; file names are student or ID numbers)")
    photos.add_argument("path", metavar="PATH", type=path_argument, nargs="?",
                        help="照片文件夹或 zip 文件（或用 --from-server） / a folder or zip (or --from-server)")
    photos.add_argument("--from-server", action="store_true",
                        help="从接收服务器取回它保存的参考照片（由 photo-station-server import-references 导入） / "
                             "fetch the photos the receiving server holds (photo-station-server import-references)")
    photos.add_argument("--json", action="store_true", help="输出一个 JSON 对象 / print one JSON object")
    photos.add_argument("--roster", type=path_argument, default=None,
                        help="名单文件，其“照片”列写明每名学生的照片文件名 / a roster file whose 照片 column names "
                             "each student's photo file")
    photos.set_defaults(func=_photos)
    listing = actions.add_parser("list", parents=[common],
                                 help="列出一个班级的学生，或所有班级 / list the students of a class, or the classes")
    listing.add_argument("--class", dest="class_name",
                         help="列出这个班级的学生（不给出时列出所有班级） / list this class's students (without it: the "
                              "classes)")
    listing.add_argument("--json", action="store_true", help="输出一个 JSON 对象 / print one JSON object")
    listing.set_defaults(func=_list)


def _import(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    db = station.db  # a data folder that cannot be used is not an unreadable roster
    try:
        report = import_roster(db, args.file, audit=AuditTrail(station, default_operator(station)))
    except StationError as exc:
        raise StationError(exc.text, exc.exit_code, code="unreadable_roster") from exc
    if args.json:
        print_json(report.to_json(station.lang))
        return 0
    print(report.summary().get(station.lang))
    for rejected in report.rejected:
        who = "".join(f" {part}" for part in (rejected.student_no, rejected.name) if part)
        print(f"  {rejected.where().get(station.lang)}{who}: {rejected.reason.get(station.lang)}")
    return 0


def _photos(args: argparse.Namespace) -> int:
    from station.adapters.cli.reference_photos import import_photos  # OpenCV and the face models only for this command

    return import_photos(args)


def _list(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    if not args.class_name:
        names = store.class_names(station.db)
        if args.json:
            print_json({"classes": names})
        else:
            print("\n".join(names))
        return 0
    students = store.students_of_class(station.db, args.class_name)
    if args.json:
        print_json({"class": args.class_name, "students": [
            {"student_no": s.student_no, "name": s.name} for s in students]})
    else:
        for s in students:
            print(f"{s.student_no}\t{s.name}")
    return 0
