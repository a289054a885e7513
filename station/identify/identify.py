"""The decision after a scan: who it is, and what the photographer must be told."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

import sqlite_utils

from station.storage import captures
from station.storage.captures import CaptureStatus
from station.i18n import Name, Text
from station.localtime import local_time
from station.identify.decoders import ColumnDecoder, Decoder, clean_payload, default_decoders, shown_code
from station.roster import idnumber, schedule
from station.roster.store import Student, refused_row


BY_STUDENT_NO = ColumnDecoder("student_no", "student_no")
SEVERAL = Text("“{code}”对应多名学生：{names}。请按学号从名单中选择（名单 → 选择学生…）",
               "'{code}' matches several students: {names}. Pick the student by number from the roster (Roster → Pick a "
               "student…)")
PHOTOGRAPHED = Text("{name}已于 {at} 拍摄过（{versions} 版），如需重拍请按 F2（“已拍过：重拍…”）",
                    "{name} was already photographed at {at} (versions so far: {versions}); press F2 (retake) to "
                    "replace it")
REFUSED_AT_IMPORT = Text("“{code}”{name}在导入名单时被拒绝（{file} {place}：{reason}），所以名单中没有：请学校改正这一行后重新导入名单",
                         "'{code}'{name} was refused when the roster was imported ({file}, {place}: {reason}), so is "
                         "not in the roster: have the school correct that row and import the roster again")
TAKE_YOUR_PLACE = Text("{name}，请就位", "{name}, please take your place")


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
    chosen = decoders if decoders is not None else default_decoders()
    # the exact matches first, those ignoring case only when there is none; and of each, every decoder is asked: the
    # value one column names a student by (her ID number) may be another column's for someone else (his student
    # number), and the first decoder's student would be a guess
    for tier in ([d for d in chosen if not getattr(d, "ignore_case", False)],
                 [d for d in chosen if getattr(d, "ignore_case", False)]):
        matches = [(decoder, decoder.match(db, payload)) for decoder in tier]
        named = {student.student_no: student for _, found in matches for student in found}
        if len(named) > 1:
            shown = [(s.name, shown_code(s.student_no)) for s in named.values()]
            names = Text("、".join(f"{name}（{no}）" for name, no in shown),
                         ", ".join(f"{name} ({no})" for name, no in shown))
            return Identification(Outcome.AMBIGUOUS, SEVERAL.format(code=shown_code(payload), names=names))
        for decoder, found in matches:
            if found:
                return _found(db, found[0], decoder.name, now or dt.datetime.now())
    refused = refused_row(db, payload)
    if refused is not None:  # a number typed right, whose row the import refused: said so, with where and why
        named = Text("（{who}）", " ({who})").format(who=Name(refused.name)) if refused.name else Text("", "")
        return Identification(Outcome.UNKNOWN, REFUSED_AT_IMPORT.format(
            code=shown_code(payload), name=named, file=Name(refused.file), place=refused.place, reason=refused.reason))
    return Identification(Outcome.UNKNOWN, Text(
        f"名单中没有“{shown_code(payload)}”：请核对采集码，或输入学号", f"'{shown_code(payload)}' is not in the roster: check the capture code or type the student number"))


def identify_number(db: sqlite_utils.Database, student_no: str) -> Identification:
    """The student with this number, whatever another column of the roster holds (picked from the roster by number,
    or switched to with F4): never another student whose code or ID number it also is."""
    return identify(db, student_no, decoders=[BY_STUDENT_NO])


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
        return Identification(Outcome.ALREADY_CAPTURED, PHOTOGRAPHED.format(
            name=Name(student.name), at=local_time(status.last_captured_at), versions=status.versions),
            student, matched_by, status, warnings)
    return Identification(Outcome.FOUND, TAKE_YOUR_PLACE.format(name=Name(student.name)), student, matched_by, status,
                          warnings)
