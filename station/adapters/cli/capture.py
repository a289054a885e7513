"""`photo-station capture IMAGE --student NO [--reason TEXT] [--retake REASON] [--json]`: one still (a tethered
camera's JPEG) through the station's own capture flow: the same checks, CHSI pipeline, encryption, register and
upload queue as the window's shutter, with the same rules: a failing photo needs --reason, a student already
photographed needs --retake REASON, and a face that is not the student's (against the reference photo, the photo
a retake replaces, or another student's face at this station) needs --identity-reason.

Prints {"student_no", "version", "ok": true, "verdict", "failed": [...], "questions": [...]} when the photo was
saved, else {"ok": false, "reason", "message", ...}; exit 0 when saved, 1 when refused.
"""

from __future__ import annotations

import argparse
import time

from station.adapters.cli import path_argument
from station.camera.source import CameraState, Frame
from station.capture.identity_check import needs_reason
from station.capture.workflow import NOT_THE_SAME_PERSON, CaptureWorkflow, Shot, ShutterRefused
from station.storage.captures import CaptureStore
from station.image_io import read_image, why_unreadable
from station.adapters.cli.output import print_json
from station.adapters.cli.passphrase import cli_station_key
from station.context import Station
from station.errors import StationError
from station.i18n import Text
from station.identify.identify import Outcome

SAVED = Text("已保存{name}（{no}）的照片，第 {version} 版，已加入上传队列", "Saved the photo of {name} ({no}), version {version}; queued for upload")
NEEDS_RETAKE = Text("{name}（{no}）已拍摄过：如需重拍，请用 --retake 给出原因", "{name} ({no}) already has a photo: give --retake REASON to replace it")
COMMAND_LINE = "命令行"  # the operator recorded when none is named and the station has never had one


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("capture", parents=[common],
                              help="save one still (e.g. a tethered camera's) as a student's photo, through every check")
    p.add_argument("image", metavar="IMAGE", type=path_argument, help="照片文件 / the photo file")
    p.add_argument("--student", required=True, help="学生的学号（或采集码） / the student's number (or capture code)")
    p.add_argument("--reason", default="",
                   help="人工放行的原因，有检查项未通过时必填 / override reason, required when a check fails")
    p.add_argument("--retake", default="", metavar="REASON",
                   help="重拍原因，该学生已拍过照片时必填 / retake reason, required for a student already photographed")
    p.add_argument("--identity-reason", default="", metavar="TEXT",
                   help="工作站认为照片中是另一个人时，仍要保存的原因（与照片一起记录） / reason to save a face the "
                        "station finds is another person's (recorded with the photo)")
    p.add_argument("--operator", default=None,
                   help="与照片一起记录的摄影师（默认：上一位） / photographer recorded with the photo (default: the "
                        "last one)")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象 / print one JSON object")
    p.set_defaults(func=_capture)


def _capture(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    image = read_image(args.image)
    if image is None:
        return _say(args, {"ok": False, "reason": "unreadable", "path": str(args.image)}, why_unreadable(args.image))
    if args.operator:
        station.remember_operator(args.operator)  # the studio's photographer, for the next still too
    workflow = CaptureWorkflow(station, CaptureStore(station, cli_station_key(station)),
                               args.operator or station.last_operator or COMMAND_LINE)
    try:
        return _through_the_flow(args, workflow, image)
    finally:
        workflow.close()


def _through_the_flow(args: argparse.Namespace, workflow: CaptureWorkflow, image) -> int:
    found = workflow.identify(args.student)
    if not found.ok:
        return _say(args, {"ok": False, "reason": "unknown_student"}, found.message)
    student = found.student
    if found.outcome is Outcome.ALREADY_CAPTURED:
        if not args.retake.strip():
            return _say(args, {"ok": False, "reason": "already_captured", "student_no": student.student_no},
                        NEEDS_RETAKE.format(name=student.name, no=student.student_no))
        workflow.start_retake(args.retake)
    request = workflow.press(Frame(0, time.monotonic(), image), CameraState.LIVE)
    if isinstance(request, ShutterRefused):
        return _say(args, {"ok": False, "reason": "refused"}, request.message)
    measured = workflow.measure(request)
    outcome = workflow.take(measured, override_reason=args.reason)
    analysis = measured.analysis
    checks = {"verdict": analysis.verdict, "failed": [c for c, _ in analysis.problems],
              "questions": [c for c, _ in analysis.questions]}
    if isinstance(outcome, ShutterRefused):
        reason = "checks_failed" if outcome.can_override else (measured.chsi.refusal.reason if measured.chsi.refusal
                                                                 else "refused")
        return _say(args, {"ok": False, "reason": reason, "student_no": student.student_no, **checks}, outcome.message)
    assert isinstance(outcome, Shot)
    if needs_reason(outcome.identity) and not args.identity_reason.strip():
        identity = [{"against": c.against, "level": c.level, "score": c.verdict.score if c.verdict else None}
                    for c in outcome.identity]
        return _say(args, {"ok": False, "reason": "not_the_same_person", "student_no": student.student_no,
                           "identity": identity, **checks}, NOT_THE_SAME_PERSON)
    try:
        version = workflow.accept(args.identity_reason)
    except StationError as exc:  # a full disk: nothing was saved
        return _say(args, {"ok": False, "reason": "not_saved", "student_no": student.student_no, **checks}, exc.text)
    saved = {"student_no": student.student_no, "version": version.version, "ok": True, **checks}
    return _say(args, saved, SAVED.format(name=student.name, no=student.student_no, version=version.version))


def _say(args: argparse.Namespace, record: dict[str, object], message: Text) -> int:
    if args.json:
        print_json({**record, "message": message.get(args.lang)})
    else:
        print(message.get(args.lang))
    return 0 if record["ok"] else 1
