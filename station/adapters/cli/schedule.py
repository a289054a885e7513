"""`photo-station schedule import FILE | set CLASS SLOT | show`."""

from __future__ import annotations

import argparse
import sys

from station.adapters.cli import path_argument
from station.adapters.cli.output import print_json
from station.audit.trail import AuditTrail, default_operator
from station.context import Station
from station.errors import StationError
from station.i18n import Text
from station.roster import schedule
from station.roster.store import class_names

IMPORTED = Text("导入 {slots} 个时段，拒绝 {rejected} 行", "{slots:slot|slots} imported, {rejected:row|rows} rejected")
NO_CLASS = Text("请给出班级名称", "Give the class name")
SET = Text("已设置 {name} 的采集时段：{start}-{end}", "Slot of {name} set: {start}-{end}")
NOT_IN_ROSTER = Text("注意：名单中还没有班级“{name}”；时段已保存，导入包含该班级的名单后生效。",
                     "Note: the roster has no class '{name}' yet; the slot is kept and applies once a roster "
                     "with that class is imported.")

def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("schedule", parents=[common], help="capture time slots per class")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    importing = actions.add_parser("import", parents=[common],
                                   help="导入拍摄时间表（.xlsx/.csv） / import a timetable (.xlsx/.csv)")
    importing.add_argument("file", metavar="FILE", type=path_argument, help="时间表文件，如 时间表.xlsx / the timetable file")
    importing.add_argument("--json", action="store_true", help="输出一个 JSON 对象 / print one JSON object")
    importing.set_defaults(func=_import)
    setting = actions.add_parser("set", parents=[common],
                                 help='设置一个班级的拍摄时段，如 set 软件2101 "2024-10-22 8:30-9:30" / set a class\'s '
                                      'slot, e.g. set 软件2101 "2024-10-22 8:30-9:30"')
    setting.add_argument("class_name", metavar="CLASS", help="班级，如 软件2101 / the class, e.g. 软件2101")
    setting.add_argument("slot", metavar="SLOT", help='日期和时间段，如 "2024-10-22 8:30-9:30" / the day and the time, e.g. '
                                      '"2024-10-22 8:30-9:30"')
    setting.add_argument("--venue", default="", help="拍摄地点，如 体育馆 / where, e.g. the gym")
    setting.set_defaults(func=_set)
    showing = actions.add_parser("show", parents=[common], help="按顺序列出各班的拍摄时段 / the slots in queue order")
    showing.add_argument("--json", action="store_true", help="输出一个 JSON 对象 / print one JSON object")
    showing.set_defaults(func=_show)


def _import(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    report = schedule.import_schedule(station.db, args.file, audit=AuditTrail(station, default_operator(station)))
    if args.json:
        print_json(report.to_json(station.lang))
    else:
        print(IMPORTED.format(slots=report.slots, rejected=len(report.rejected)).get(station.lang))
        for r in report.rejected:
            print(f"  {r['row']}: {r['reason'].get(station.lang)}")
        for name in report.not_in_roster:
            print(NOT_IN_ROSTER.format(name=name).get(station.lang), file=sys.stderr)
    return 0


def _set(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    class_name = args.class_name.strip()
    if not class_name:
        raise StationError(NO_CLASS)
    try:
        slot = schedule.parse_slot(class_name, args.slot, args.venue)
    except ValueError:
        raise StationError(Text(f"无法识别时间段：{args.slot}（例：2024-10-22 8:30-9:30）",
                                f"Unreadable slot: {args.slot} (e.g. 2024-10-22 8:30-9:30)"))
    slot = schedule.set_slot(station.db, slot, audit=AuditTrail(station, default_operator(station)))
    class_name = slot.class_name  # as the roster writes it
    said = SET.format(name=class_name, start=f"{slot.starts_at:%Y-%m-%d %H:%M}", end=f"{slot.ends_at:%H:%M}")
    print(said.get(station.lang))
    if class_name not in class_names(station.db):  # a timetable may come before the roster: kept, but said
        print(NOT_IN_ROSTER.format(name=class_name).get(station.lang), file=sys.stderr)
    return 0


def _show(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    found = schedule.slots(station.db)
    if args.json:
        print_json({"slots": [{"class": s.class_name, "starts_at": s.starts_at.isoformat(sep=" "),
                               "ends_at": s.ends_at.isoformat(sep=" "), "venue": s.venue} for s in found]})
    else:
        for s in found:
            print(f"{s.starts_at:%Y-%m-%d %H:%M}-{s.ends_at:%H:%M}  {s.class_name}  {s.venue}")
    return 0
