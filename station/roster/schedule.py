"""Capture time slots per class: the order the queue is called in, and who is "on time".

Schools publish a timetable (附件：各学院具体采集时间), one line per class with a date and
a time range; it is imported like the roster, or set slot by slot in the UI.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import sqlite_utils

from station.audit.trail import Action, AuditTrail
from station.db import write_transaction
from station.errors import StationError
from station.i18n import Name, Text
from station.roster.columns import find_header
from station.roster.store import Student, class_key, class_names, class_spellings
from station.roster.table import read_sheets

ALIASES: dict[str, tuple[str, ...]] = {
    "class_name": ("班级", "班级名称", "行政班", "class", "classname"),
    "date": ("日期", "采集日期", "拍摄日期", "date"),
    "start": ("开始时间", "开始", "start", "starttime", "from"),
    "end": ("结束时间", "结束", "end", "endtime", "to"),
    "slot": ("时间", "时间段", "采集时间", "拍摄时间", "time", "slot"),
    "venue": ("地点", "采集地点", "拍摄地点", "venue", "place", "location"),
}
YEARS = (2000, 2099)
# the Chinese headers kept whole where the message wraps, and the English ones ALIASES takes too (s33 walk)
NO_HEADER = Text("时间表中找不到表头：表头需包含“{class_name}”和“{date}”“{time}”列",
                 "No header row found: the schedule needs a class column and date and time columns, headed "
                 "{class_name}, {date} and {time}, or Class, Date and Time")
END_BEFORE_START = Text("{name} 的结束时间必须晚于开始时间", "{name}: the end must be after the start")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_TIME = re.compile(r"(下午|晚上|pm|PM)?\s*(\d{1,2})\s*[:：时]\s*(\d{2})")


@dataclass(frozen=True)
class Slot:
    class_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str = ""

    def contains(self, moment: dt.datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


@dataclass
class ScheduleReport:
    slots: int = 0
    rejected: list[dict] = field(default_factory=list)  # row, class, reason (Text)
    # classes the timetable gives a slot that no roster student is in (yet): kept, as a timetable may come first,
    # but said, since a class spelled otherwise than the roster's would never be called
    not_in_roster: list[str] = field(default_factory=list)

    def to_json(self, lang: str | None = None) -> dict:
        return {"slots": self.slots,
                "rejected": [{**r, "reason": r["reason"].get(lang)} for r in self.rejected],
                "not_in_roster": self.not_in_roster}


def parse_slot(class_name: str, text: str, venue: str = "") -> Slot:
    """'2024-10-22 8:30-9:30', '2024年10月22日 8:30～9:30' and similar; ValueError when unreadable."""
    date = _DATE.search(text)
    times = _TIME.findall(text[date.end():] if date else text)
    if not date or len(times) < 2:
        raise ValueError(text)
    day = dt.date(*(int(x) for x in date.groups()))
    if not YEARS[0] <= day.year <= YEARS[1]:  # "99999-10-22" or a typo of the century is no capture day
        raise ValueError(text)
    afternoon = False  # "下午2:00-3:00": the mark before the first time covers both
    clock = []
    for mark, hour, minute in times[:2]:
        afternoon = afternoon or bool(mark)
        hour = int(hour) + 12 if afternoon and int(hour) < 12 else int(hour)
        clock.append(dt.time(hour, int(minute)))
    start, end = (dt.datetime.combine(day, moment) for moment in clock)
    if end <= start:
        raise ValueError(text)
    return Slot(class_name, start, end, venue)


@dataclass(frozen=True)
class ClassSlot:
    """A class of the roster as the slot editor lists it: its slot, or none (called last), and the times offered."""

    class_name: str
    slot: Slot | None
    offered: Slot  # its slot, else where a new one would go (`suggested_slot`)


def set_slot(db: sqlite_utils.Database, slot: Slot, audit: AuditTrail | None = None) -> Slot:
    """The slot as kept (its class written as the station already writes it: class_spellings). Given the operator's
    `audit` trail, the slot is recorded in it, as the slot editor's are: the slots decide who is called and who counts
    as on time."""
    with write_transaction(db):
        slot = _put_slot(db, slot, class_spellings(db))
        if audit is not None:
            audit.write(Action.SETTINGS, setting="class_slots", slots={slot.class_name: slot_text(slot)})
    return slot


def slot_text(slot: Slot) -> str:
    """How the audit trail writes a slot: start/end."""
    return f"{slot.starts_at:%Y-%m-%d %H:%M}/{slot.ends_at:%Y-%m-%d %H:%M}"


def _put_slot(db: sqlite_utils.Database, slot: Slot, spelled: dict[str, str]) -> Slot:
    """The slot written under its class's known spelling (`spelled`: class_spellings, read once by the caller and
    added to here, so a timetable naming one class twice, spaced otherwise, writes it one way)."""
    slot = replace(slot, class_name=spelled.setdefault(class_key(slot.class_name), slot.class_name))
    db.execute(
        "INSERT INTO class_slots(class_name, starts_at, ends_at, venue) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(class_name) DO UPDATE SET starts_at = excluded.starts_at, "
        "ends_at = excluded.ends_at, venue = excluded.venue",
        [slot.class_name, slot.starts_at.isoformat(sep=" "), slot.ends_at.isoformat(sep=" "), slot.venue],
    )
    return slot


def save_slots(db: sqlite_utils.Database, chosen: list[Slot], cleared: list[str]) -> None:
    """The slot editor's table saved: `chosen` set, the classes `cleared` left without one. All or none: a slot that
    ends before it starts is refused (StationError naming its class) and nothing changes."""
    wrong = next((slot for slot in chosen if slot.ends_at <= slot.starts_at), None)
    if wrong is not None:
        raise StationError(END_BEFORE_START.format(name=wrong.class_name))
    with write_transaction(db):
        spelled = class_spellings(db)
        for slot in chosen:
            _put_slot(db, slot, spelled)
        for name in cleared:
            db.execute("DELETE FROM class_slots WHERE class_name = ?", [name])


def class_order(db: sqlite_utils.Database) -> list[str]:
    """Every class of the roster, each once, in the order they are called (by slot, then name; classes
    without a slot last): the order of `ordered_students`, asked of the database without reading every student (the
    queue board asks at each refresh, on the UI thread)."""
    rows = db.execute(
        "SELECT s.class_name FROM students s LEFT JOIN class_slots c ON c.class_name = s.class_name "
        "GROUP BY s.class_name ORDER BY c.starts_at IS NULL, c.starts_at, s.class_name"
    )
    return [row[0] for row in rows]


def class_slots(db: sqlite_utils.Database, now: dt.datetime) -> list[ClassSlot]:
    """Every class in calling order with its slot, for the slot editor."""
    kept = {slot.class_name: slot for slot in slots(db)}
    return [ClassSlot(name, kept.get(name), kept.get(name) or suggested_slot(db, name, now))
            for name in class_order(db)]


def suggested_slot(db: sqlite_utils.Database, class_name: str, now: dt.datetime) -> Slot:
    """Where a class without a slot would go: one hour after the last slot still to come, else from the next
    whole hour. Only offered in the dialog; nothing is stored until the photographer ticks the class."""
    next_hour = now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    start = max([s.ends_at for s in slots(db) if now < s.ends_at <= dt.datetime(YEARS[1], 12, 31)] + [next_hour])
    return Slot(class_name, start, start + dt.timedelta(hours=1))


def slots(db: sqlite_utils.Database) -> list[Slot]:
    return [
        Slot(r["class_name"], dt.datetime.fromisoformat(r["starts_at"]), dt.datetime.fromisoformat(r["ends_at"]), r["venue"])
        for r in db.query("SELECT * FROM class_slots ORDER BY starts_at, class_name")
    ]


def slot_of(db: sqlite_utils.Database, class_name: str) -> Slot | None:
    return next((s for s in slots(db) if s.class_name == class_name), None)


def current_slot(db: sqlite_utils.Database, moment: dt.datetime) -> Slot | None:
    return now_and_next(db, moment)[0]


def now_and_next(db: sqlite_utils.Database, moment: dt.datetime) -> tuple[Slot | None, Slot | None]:
    """The slot under way at `moment`, and the first starting after it (what the station says between slots and
    before the first), from one read of the timetable: the status bar asks every two seconds."""
    every = slots(db)
    now = next((s for s in every if s.contains(moment)), None)
    return now, next((s for s in every if s.starts_at > moment), None)


def ordered_students(db: sqlite_utils.Database) -> list[Student]:
    """Queue order: class slot (classes without one last), then class, then student number."""
    rows = db.query(
        "SELECT s.* FROM students s LEFT JOIN class_slots c ON c.class_name = s.class_name "
        "ORDER BY c.starts_at IS NULL, c.starts_at, s.class_name, s.student_no"
    )
    return [Student.from_row(r) for r in rows]


def import_schedule(db: sqlite_utils.Database, path: Path | str, audit: AuditTrail | None = None) -> ScheduleReport:
    """The first sheet with a timetable header, whole or not at all; given the operator's `audit` trail, recorded in
    it with the slots (file name, the slots written, rows refused)."""
    report = ScheduleReport()
    for sheet in read_sheets(Path(path)):
        header = find_header(sheet, ALIASES, ("class_name",))
        if header is None or not ({"slot"} <= header.columns.keys() or {"start", "end"} <= header.columns.keys()):
            continue
        rostered = set(class_names(db))
        with write_transaction(db):  # the timetable whole or not at all: a write failing part-way keeps none
            spelled = class_spellings(db)
            for row_no, cells in sheet.rows[header.index + 1:]:
                cell = {f: (cells[i] if i < len(cells) else "") for f, i in header.columns.items()}
                if not any(cell.values()):
                    continue
                text = " ".join(cell.get(f, "") for f in ("date", "slot", "start", "end"))
                try:
                    if not cell["class_name"]:
                        raise ValueError("class")
                    kept = _put_slot(db, parse_slot(cell["class_name"], text, cell.get("venue", "")), spelled)
                    report.slots += 1
                    if kept.class_name not in rostered and kept.class_name not in report.not_in_roster:
                        report.not_in_roster.append(kept.class_name)
                except ValueError:
                    report.rejected.append({
                        "row": row_no, "class": cell.get("class_name", ""),
                        "reason": Text(f"无法识别班级或时间：{text.strip()}", f"Unreadable class or time: {text.strip()}"),
                    })
            if audit is not None:
                audit.write(Action.SETTINGS, setting="class_slots", file=Path(path).name, slots=report.slots,
                            rejected=len(report.rejected))
        return report
    raise StationError(NO_HEADER.format(class_name=Name("班级"), date=Name("日期"), time=Name("时间")))
