"""What the day and class reports say, gathered once from the register: per class who is photographed,
retaken, absent or still to come (the 未拍摄名单 a class monitor checks), the overrides with their reasons and
the identity verdicts; for the day, students photographed per hour per station and the median time from
identifying a student to their accepted photo. The xlsx and PDF writers only lay this out.

Class figures are as of now (a monitor wants who is still missing, whatever the day); the day's figures count
the accepted photos whose local date is the day. Times are stored in UTC and read in the station's time zone.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sqlite_utils

from station.errors import StationError
from station.i18n import Text
from station.localtime import clock_of
from station.reports.class_fees import NOTHING_PAID, ClassFees, class_fees
from station.roster.store import RefusedRow, all_refused, class_names, students_of_class

NO_CLASS = Text("名单中没有班级“{name}”", "No class '{name}' in the roster")
EMPTY_ROSTER = Text("名单是空的：请先导入名单", "The roster is empty: import it first")
BAD_DAY = Text("日期“{day}”无法识别：请写成 2025-05-20", "Cannot read the day '{day}': write it as 2025-05-20")


@dataclass(frozen=True)
class Person:
    student_no: str
    name: str
    class_name: str


@dataclass(frozen=True)
class Missing:
    person: Person
    absent: bool  # marked absent at the queue (F3), else simply not come yet


@dataclass(frozen=True)
class ClassSummary:
    class_name: str
    students: int
    photographed: int
    retaken: int  # photographed more than once
    absent: int  # marked absent and not photographed since
    waiting: int  # neither photographed nor marked absent
    missing: list[Missing]  # absent and waiting, in student-number order
    fees: ClassFees


@dataclass(frozen=True)
class Override:
    """A photo accepted against a rule: a failing check overridden, another face, or a retake; with its reason."""

    person: Person
    version: int
    at: dt.datetime  # local time
    operator: str
    kind: str  # checks | identity | retake
    reason: str


@dataclass(frozen=True)
class IdentityVerdict:
    person: Person
    version: int
    at: dt.datetime
    against: str  # reference (enrolment photo) | previous (the photo a retake replaced) | swap (another student's)
    level: str  # same | uncertain | different | unmeasured
    score: float | None
    reason: str  # why a photo of "another person" was accepted all the same
    other_student: str = ""  # for a swap: the student whose photo shows this face


@dataclass(frozen=True)
class DayReport:
    day: dt.date
    class_name: str | None  # the one class reported, or None for all
    classes: list[ClassSummary]
    overrides: list[Override]
    identities: list[IdentityVerdict]
    photos: int  # accepted on the day (retakes included)
    students: int  # photographed on the day
    per_hour: dict[str, Counter]  # station id -> {hour: students photographed in that hour}
    median_to_photo_s: float | None  # identification to accepted photo, over the day's timed photos
    timed_photos: int  # the day's photos whose identification time is recorded
    clock: Text  # which clock its times and hours are read on (北京时间, or a laptop's other zone's UTC offset)
    # roster rows the import refused (the whole day's report only: their class is not known): students on no list
    # otherwise, who cannot be photographed until the school corrects the row
    refused: list[RefusedRow] = field(default_factory=list)

    @property
    def missing_count(self) -> int:
        """Students of the classes reported still without a photo, those marked absent among them: the figure the
        window and `photo-station report` say once the report is written."""
        return sum(len(c.missing) for c in self.classes)


def parse_day(text: str | None, tz: dt.tzinfo | None = None) -> dt.date:
    """'2025-05-20' (or None: today in the station's time zone)."""
    if not text:
        return dt.datetime.now(tz).astimezone(tz).date()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise StationError(BAD_DAY.format(day=text)) from exc


def build_report(db: sqlite_utils.Database, day: dt.date, class_name: str | None = None,
                 tz: dt.tzinfo | None = None) -> DayReport:
    """`tz`: the time zone the day and the hours are read in (None: the station's own)."""
    names = [class_name] if class_name is not None else class_names(db)
    if not names:
        raise StationError(EMPTY_ROSTER)
    rosters = {name: students_of_class(db, name) for name in names}
    if class_name is not None and not rosters[class_name]:
        raise StationError(NO_CLASS.format(name=class_name))
    captures = _captures(db, set(names), tz)
    versions = Counter(c["student_no"] for c in captures)
    fees = class_fees(db)
    classes = []
    for name, students in rosters.items():
        missing = [Missing(Person(s.student_no, s.name, name), s.absent) for s in students if not versions[s.student_no]]
        absent = sum(m.absent for m in missing)
        classes.append(ClassSummary(name, len(students), len(students) - len(missing),
                                    sum(versions[s.student_no] > 1 for s in students), absent, len(missing) - absent,
                                    missing, fees.get(name, NOTHING_PAID)))
    today = [c for c in captures if c["at"].date() == day]
    per_hour: dict[str, Counter] = defaultdict(Counter)
    for station_id, hour, _ in {(c["station_id"], c["at"].hour, c["student_no"]) for c in today}:
        per_hour[station_id or "—"][hour] += 1  # a student retaken within the hour counts once
    waits = [(c["at_utc"] - c["identified"]).total_seconds() for c in today if c["identified"] is not None]
    waits = [w for w in waits if w >= 0]
    return DayReport(day, class_name, classes, _overrides(captures), _identities(captures), len(today),
                     len({c["student_no"] for c in today}), dict(per_hour), statistics.median(waits) if waits else None,
                     len(waits), clock_of(dt.datetime.now(tz).astimezone(tz)),
                     all_refused(db) if class_name is None else [])


def _captures(db: sqlite_utils.Database, classes: set[str], tz: dt.tzinfo | None) -> list[dict]:
    rows = db.query(
        "SELECT c.student_no, s.name, s.class_name, c.version, c.captured_at, c.operator, c.station_id, c.reason, "
        "c.override_reason, c.identity, c.identified_at FROM captures c JOIN students s USING (student_no) "
        "ORDER BY c.captured_at, c.student_no, c.version"
    )
    captures = []
    for row in rows:
        if row["class_name"] not in classes:
            continue
        at_utc = _utc(row["captured_at"])
        if at_utc is None:
            continue  # an unreadable time (an edited database) cannot be placed in a day
        row["at_utc"], row["at"] = at_utc, at_utc.astimezone(tz)
        row["identified"] = _utc(row["identified_at"])
        row["person"] = Person(row["student_no"], row["name"], row["class_name"])
        captures.append(row)
    return captures


def _utc(iso: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _identity(row: dict) -> dict:
    try:
        recorded = json.loads(row["identity"]) if row["identity"] else {}
    except ValueError:
        return {}
    return recorded if isinstance(recorded, dict) else {}


def _overrides(captures: list[dict]) -> list[Override]:
    found = []
    for row in captures:
        reasons = (("checks", row["override_reason"]), ("identity", str(_identity(row).get("reason") or "")),
                   ("retake", row["reason"]))
        found += [Override(row["person"], row["version"], row["at"], row["operator"], kind, reason)
                  for kind, reason in reasons if reason]
    return found


def _identities(captures: list[dict]) -> list[IdentityVerdict]:
    found = []
    for row in captures:
        recorded = _identity(row)
        for check in recorded.get("checks") or []:
            score = check.get("score")
            found.append(IdentityVerdict(row["person"], row["version"], row["at"], str(check.get("against", "")),
                                         str(check.get("level", "")), float(score) if score is not None else None,
                                         str(recorded.get("reason") or ""), str(check.get("student_no") or "")))
    return found
