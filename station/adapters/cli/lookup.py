"""`photo-station lookup CODE [--json]`: who a code belongs to, and whether they are photographed."""

from __future__ import annotations

import argparse
import sys

from station.adapters.cli.output import print_json
from station.context import Station
from station.i18n import Text
from station.identify.decoders import shown_code
from station.identify.identify import Identification, Outcome, identify
from station.localtime import local_time
from station.roster.idnumber import mask

NOT_CAPTURED = Text("{name}（{no}，{class_name}）：尚未拍摄", "{name} ({no}, {class_name}): not photographed yet")
CAPTURED = Text("{name}（{no}，{class_name}）：已拍摄 {versions} 版，最近一次 {when}",
                "{name} ({no}, {class_name}): photographed, {versions:version|versions}, the last at {when}")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("lookup", parents=[common],
                                   help="find the student for a capture code, slip, student number or ID number")
    parser.add_argument("code", metavar="CODE", help="采集码、回执上的二维码内容、学号或身份证号 / a capture code, a slip's QR code, "
                                     "a student number or an ID number")
    parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象 / print one JSON object")
    parser.set_defaults(func=_lookup)


def student_json(found: Identification, lang: str) -> dict:
    """What may be shown of a student: never the full ID number."""
    s, status = found.student, found.status
    assert s is not None and status is not None
    return {
        "student_no": s.student_no,
        "name": s.name,
        "gender": s.gender,
        "class": s.class_name,
        "college": s.college,
        "major": s.major,
        "level": s.level,
        "id_number": mask(s.id_number) if s.id_number else "",
        "capture_code": shown_code(s.capture_code) if s.capture_code else "",  # an ID pasted as a code, masked
        "matched_by": found.matched_by,
        "status": status.code,
        "versions": status.versions,
        "last_captured_at": status.last_captured_at,
        "message": found_message(found).get(lang),
        "warnings": [w.get(lang) for w in found.warnings],
    }


def found_message(found: Identification) -> Text:
    """What the lookup found, in one line (the kiosk's own message tells the photographer what to do next)."""
    s, status = found.student, found.status
    assert s is not None and status is not None
    if not status.captured:
        return NOT_CAPTURED.format(name=s.name, no=s.student_no, class_name=s.class_name)
    return CAPTURED.format(name=s.name, no=s.student_no, class_name=s.class_name, versions=status.versions,
                           when=local_time(status.last_captured_at))


def _lookup(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    code = args.code  # bytes that are not UTF-8 arrive as lone surrogates: unreadable here, shown as � below
    found = identify(station.db, code)
    if not found.ok:
        if args.json:
            error = "ambiguous_code" if found.outcome is Outcome.AMBIGUOUS else "unknown_code"
            print_json({"error": error, "code": shown_code(code), "message": found.message.get(station.lang)})
        else:
            print(found.message.get(station.lang), file=sys.stderr)
        return 1
    if args.json:
        print_json(student_json(found, station.lang))
        return 0
    info = student_json(found, station.lang)
    labels = {
        "name": Text("姓名", "Name"), "student_no": Text("学号", "Student no."), "class": Text("班级", "Class"),
        "college": Text("学院", "College"), "major": Text("专业", "Major"), "id_number": Text("证件号", "ID number"),
    }
    for key, label in labels.items():
        if info[key]:  # a roster without 学院 or 专业 columns: no empty lines
            print(f"{label.get(station.lang)}: {info[key]}")
    status = Text("已拍摄", "photographed") if found.status and found.status.captured else Text("未拍摄", "not photographed")
    print(f"{Text('状态', 'Status').get(station.lang)}: {status.get(station.lang)}")
    print(info["message"])
    for warning in found.warnings:
        print(warning.get(station.lang))
    return 0
