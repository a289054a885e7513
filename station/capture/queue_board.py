"""The queue screen's content: the current class and the next, in student-number order.

It never carries ID numbers; names are masked when the station's setting says so.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

import sqlite_utils

from station.fees.ledger import paid_students
from station.privacy import mask_name, mask_student_nos
from station.roster import schedule
from station.roster.store import Student, students_of_class
from station.storage.captures import version_counts


class QueueState(enum.Enum):
    WAITING = "waiting"
    NOW = "now"
    DONE = "done"
    RETAKE = "retake"
    ABSENT = "absent"


@dataclass(frozen=True)
class QueueEntry:
    student_no: str
    name: str  # masked when asked
    shown_no: str  # as the queue screen may show it: masked with the name, never two alike in a class
    class_name: str
    state: QueueState
    paid: bool = True  # the fee: the queue screen marks who has not paid yet


@dataclass(frozen=True)
class QueueBoard:
    current_class: str | None
    next_class: str | None
    entries: list[QueueEntry]


def build_board(db: sqlite_utils.Database, now: dt.datetime, current_student: str | None = None,
                mask_names: bool = True, retake_begun: bool = False) -> QueueBoard:
    """`current_student`: the student at the camera, whose class the board shows; `retake_begun`: their retake's
    reason has been given. A student photographed before and identified again (come back to look, or for a retake
    not begun) is not being photographed: the board keeps saying done or retaken until her retake begins (it said
    正在拍摄, and the students watching read her as not done: s28 walk)."""
    classes = schedule.class_order(db)
    current = _current_class(db, now, current_student, classes)
    following = _next_class(db, current, classes)
    versions = version_counts(db)
    paid = paid_students(db)
    entries = []
    for class_name in (current, following):
        students = students_of_class(db, class_name) if class_name else []
        numbers = mask_student_nos(s.student_no for s in students) if mask_names else {}
        entries += [QueueEntry(s.student_no, mask_name(s.name) if mask_names else s.name,
                               numbers.get(s.student_no, s.student_no), s.class_name,
                               _state(s, versions.get(s.student_no, 0), current_student, retake_begun),
                               s.student_no in paid)
                    for s in students]
    return QueueBoard(current, following, entries)


def _current_class(db: sqlite_utils.Database, now: dt.datetime, current_student: str | None,
                   classes: list[str]) -> str | None:
    """The class being photographed: the student at the camera's, else the slot's, else the first in calling order
    with someone still to photograph (between slots, or on a day without any, the queue shows the class to line up,
    not a first class long done), else the first."""
    if current_student:
        row = db.execute("SELECT class_name FROM students WHERE student_no = ?", [current_student]).fetchone()
        if row:
            return row[0]
    slot = schedule.current_slot(db, now)
    if slot is not None and slot.class_name in classes:
        return slot.class_name
    waiting = _classes_waiting(db)
    return next((name for name in classes if name in waiting), classes[0] if classes else None)


def _classes_waiting(db: sqlite_utils.Database) -> set[str]:
    """The classes with a student neither photographed nor absent."""
    return {row[0] for row in db.execute(
        "SELECT DISTINCT class_name FROM students s WHERE NOT absent "
        "AND NOT EXISTS (SELECT 1 FROM captures c WHERE c.student_no = s.student_no)")}


def _next_class(db: sqlite_utils.Database, current: str | None, classes: list[str]) -> str | None:
    """The first class after the current one, in calling order and round to the start, with someone still to be
    photographed: a student of a class without a slot (called last) at the camera leaves the classes waiting in
    sight, not "下一个班级：无"."""
    if current not in classes:
        return None
    waiting = _classes_waiting(db)
    at = classes.index(current)
    return next((name for name in classes[at + 1:] + classes[:at] if name in waiting), None)


def _state(student: Student, versions: int, current_student: str | None, retake_begun: bool) -> QueueState:
    if student.student_no == current_student and (versions == 0 or retake_begun):
        return QueueState.NOW
    if versions > 1:
        return QueueState.RETAKE
    if versions == 1:
        return QueueState.DONE
    return QueueState.ABSENT if student.absent else QueueState.WAITING


def next_waiting(board: QueueBoard) -> QueueEntry | None:
    """Whom to call next: the first student still waiting, current class first."""
    return next((e for e in board.entries if e.state is QueueState.WAITING), None)
