"""The decision after a scan: who it is, and what the photographer must be told."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

import sqlite_utils

from station.storage import captures
from station.storage.captures import CaptureStatus
from station.i18n import Text
from station.localtime import local_time
from station.identify.decoders import Decoder, clean_payload, default_decoders, shown_code
from station.roster import idnumber, schedule
from station.roster.store import Student


class Outcome(enum.Enum):
    FOUND = "found"
    ALREADY_CAPTURED = "already_captured"  # offer a retake
    UNKNOWN = "unknown"
    AMBIGUOUS = "ambiguous"  # the code belongs to several students: ask for the student number


@dataclass(frozen=True)
class Identification:
    outcome: Outcome
    message: Text
    student: Student | None = None
    matched_by: str = ""
    status: CaptureStatus | None = None
    warnings: list[Text] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.student is not None

    @property
    def shown_id_number(self) -> str:
        """The student's ID number as a screen shows it: masked (the first 6 and the last 4); "" when there is
        none. The whole number stays in memory, for matching a card."""
        student = self.student
        return idnumber.mask(student.id_number) if student is not None and student.id_number else ""


def identify(
    db: sqlite_utils.Database,
    raw: str,
    now: dt.datetime | None = None,
    decoders: list[Decoder] | None = None,
) -> Identification:
    payload = clean_payload(raw)
    if payload is None:
        return Identification(Outcome.UNKNOWN, Text("无法识别的采集码（内容为空或含有非法字符）",
                                                    "Unreadable code (empty or malformed)"))
    for decoder in decoders if decoders is not None else default_decoders():
        found = decoder.match(db, payload)
        if len(found) > 1:
            return Identification(Outcome.AMBIGUOUS, Text(
                f"“{shown_code(payload)}”对应多名学生，请改用学号", f"'{shown_code(payload)}' matches several students; use the student number"))
        if found:
            return _found(db, found[0], decoder.name, now or dt.datetime.now())
    return Identification(Outcome.UNKNOWN, Text(
        f"名单中没有“{shown_code(payload)}”：请核对采集码，或输入学号", f"'{shown_code(payload)}' is not in the roster: check the capture code or type the student number"))


def _found(db: sqlite_utils.Database, student: Student, matched_by: str, now: dt.datetime) -> Identification:
    status = captures.status(db, student.student_no)
    warnings = []
    slot = schedule.slot_of(db, student.class_name)
    if slot is not None and not slot.contains(now):
        warnings.append(Text(
            f"{student.class_name} 的采集时段是 {slot.starts_at:%m-%d %H:%M}-{slot.ends_at:%H:%M}，不在当前时段，仍可拍摄",
            f"{student.class_name} is scheduled {slot.starts_at:%m-%d %H:%M}-{slot.ends_at:%H:%M}, not now; capture is still allowed",
        ))
    if status.captured:
        return Identification(Outcome.ALREADY_CAPTURED, Text(
            f"{student.name}已于 {local_time(status.last_captured_at)} 拍摄过（{status.versions} 版），如需重拍请按 F2（“已拍过：重拍…”）",
            f"{student.name} was already photographed at {local_time(status.last_captured_at)} (versions so far: {status.versions}); press F2 (retake) to replace it",
        ), student, matched_by, status, warnings)
    return Identification(Outcome.FOUND, Text(f"{student.name}，请就位", f"{student.name}, please take your place"),
                          student, matched_by, status, warnings)
