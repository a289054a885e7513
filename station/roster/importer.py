"""Importing the roster: every good row lands, every bad row is named with its reason.

Re-importing a corrected file updates changed fields and adds new students; it never
deletes a student nor touches their captures, so nothing photographed is ever lost.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from station.audit.trail import Action, AuditTrail
from station.db import write_transaction
from station.errors import StationError
from station.i18n import Name, Text
from station.roster import idnumber
from station.roster.columns import ALIASES, REQUIRED, find_header
from station.roster.store import RefusedRow, class_key, class_spellings, keep_refused
from station.roster.table import read_sheets

FIELD_NAMES = {
    "student_no": Text("学号", "student number"),
    "name": Text("姓名", "name"),
    "class_name": Text("班级", "class"),
}
_STUDENT_NO = re.compile(r"^[0-9A-Za-z_-]{1,32}$")


def valid_student_no(number: str) -> bool:
    """The roster's character rule for a student number; the receiving server checks uploads against it too."""
    return bool(_STUDENT_NO.match(number))


_OTHER_DOCUMENT = re.compile(r"^[0-9A-Z]{5,20}$")
# GB/T 2261.1 codes 1 and 2 too, as student information systems export them.
_GENDERS = {"m": "男", "male": "男", "男": "男", "男性": "男", "1": "男",
            "f": "女", "female": "女", "女": "女", "女性": "女", "2": "女"}
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?E\+?\d+$", re.I)
_FLOAT_NUMBER = re.compile(r"^(\d+)\.0+$")  # 202101010042.0: a number that went through a float
# A space between two Chinese characters is padding (李　四 lined up with three-character names), not part of the
# name; between Latin letters (John Smith) it is kept.
_CJK = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff·・•"  # ideographs (extension B on too), name dots
_SPACE_IN_CJK = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
# The Chinese headers a school's file has, kept whole where the message wraps (a break in 学号 read as two words), and
# the English ones ALIASES takes too: an English-speaking photographer's roster was told only the Chinese (s33 walk)
NO_HEADER = Text("名单中找不到表头：表头需包含“{student_no}”“{name}”“{class_name}”这几列",
                 "No header row found: the roster needs a student number, a name and a class column, headed "
                 "{student_no}, {name} and {class_name}, or Student No., Name and Class")
_DUPLICATE_NUMBER = Text("学号与{where}重复", "Student number duplicates {where}")
_DUPLICATE_CODE = Text("采集码与{where}重复", "Capture code duplicates {where}")
_DUPLICATE_ID = Text("证件号码与{where}重复", "ID number duplicates {where}")
_CODE_TAKEN = Text("采集码已属于学号 {holder} 的学生", "Capture code already belongs to student {holder}")
_ID_TAKEN = Text("证件号码已属于学号 {holder} 的学生", "ID number already belongs to student {holder}")
_CODE_IS_A_NUMBER = Text("采集码“{code}”是另一名学生的学号（采集码列可能错位了）",
                         "Capture code '{code}' is another student's student number (is the column shifted?)")
_NUMBER_IS_A_CODE = Text("学号是学号 {holder} 的学生的采集码（采集码列可能错位了）",
                         "The student number is student {holder}'s capture code (is a column shifted?)")
_CODE_IS_AN_ID = Text("采集码是一个证件号码（采集码列可能错位了）",
                      "The capture code is an ID number (is the column shifted?)")
_NUMBER_IS_AN_ID = Text("学号是学号 {holder} 的学生的证件号码（学号列可能填成了身份证号）",
                        "The student number is student {holder}'s ID number (does the student number column hold ID "
                        "numbers?)")
_NUMBER_DIFFERS_IN_CASE = Text("学号与已导入的学号 {holder} 只差大小写，请统一写法",
                               "The student number differs only in letter case from {holder}, imported already; write "
                               "both the same way")
# A line with none of these names nobody: a template's numbered blank lines (序号 only), or a class merged down
# past the last student. It is passed over, not refused.
_NAMES_SOMEONE = ("student_no", "name", "id_number", "capture_code")
_NO_STUDENTS = Text("名单文件 {file} 只有表头，没有学生行，未导入任何学生：请确认选对了文件",
                    "The roster file {file} has a header but no student rows; nothing was imported: is it the right "
                    "file?")
_EXAMPLE = Text("这是填写示例，未导入", "An example row of the template; not imported")
_UNCALCULATED = Text("单元格 {cells} 是未计算的公式：请在 Excel 或 WPS 中打开文件并保存后再导入",
                     "Cell {cells}: a formula never calculated; open the file in Excel or WPS, save it, then import it")
_ALL_UNCALCULATED = Text("名单的每一行都有未计算的公式（如单元格 {cells}）：请在 Excel 或 WPS 中打开文件并保存后再"
                         "导入",
                         "Every row of the roster has a formula never calculated (cell {cells}, for one): open the "
                         "file in Excel or WPS, save it, then import it")
SUMMARY = Text("新增 {imported} 人，更新 {updated} 人，未变 {unchanged} 人，拒绝 {rejected} 行",
               "{imported} added, {updated} updated, {unchanged} unchanged, {rejected:row|rows} rejected")
CHANGED_AFTER_PHOTO = Text("注意：已拍照的 {n} 名学生的姓名、证件号码或采集码改了（{students}）。他们的照片是按原来的名单归入的，"
                           "请核对照片是否本人，不是的请重拍",
                           "Note: the name, ID number or capture code changed for {n:student|students} already "
                           "photographed ({students}). Their photos were filed by the roster before: check that each "
                           "shows that student, and retake any that does not")
CHANGED_REFERENCE = Text("注意：有参考照片（学籍照片）的 {n} 名学生的姓名或证件号码改了（{students}）。参考照片是按原来的名单"
                         "对应的（文件名是证件号码时尤其如此），请重新导入参考照片",
                         "Note: the name or ID number changed for {n:student|students} with a reference (enrolment) "
                         "photo ({students}). Those photos were matched by the roster before (by ID number, when files "
                         "are named so): import the reference photos again")
SHOWN_CHANGED = 10  # student numbers named in the summary; `--json` lists them all
RESPELLED = Text("班级名称按已有写法统一：{pairs}", "Classes written as already known: {pairs}")


@dataclass(frozen=True)
class Rejected:
    row: int
    student_no: str
    reason: Text
    sheet: str = ""  # named when the workbook has students on several sheets, as row numbers repeat
    name: str = ""  # whom the row is about, as the file spells it: a row without a readable number is still someone

    def where(self) -> Text:
        return where(self.sheet, self.row)

    def to_json(self, lang: str | None = None) -> dict:
        reason = self.reason.get(lang)
        return {"row": self.row, "student_no": self.student_no, "name": self.name,
                "reason": f"{self.where().get(lang)}: {reason}" if self.sheet else reason}


def where(sheet: str, row: int) -> Text:
    """'第 3 行', or '工作表“计科2101”第 3 行' when the sheet must be named."""
    if sheet:
        return Text(f"工作表“{sheet}”第 {row} 行", f"sheet '{sheet}' row {row}")
    return Text(f"第 {row} 行", f"row {row}")


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    classes: set[str] = field(default_factory=set)  # the classes of the rows taken (imported, updated or unchanged)
    # students already photographed whose name, ID number or capture code this import changed: their photos were filed
    # by the code or card that named them then, which may be another student's now (a corrected 采集码 column)
    photographed_changed: list[str] = field(default_factory=list)
    # students with a reference photo whose name or ID number changed: it was matched to them by the roster before
    references_changed: list[str] = field(default_factory=list)
    # class names of this file written otherwise than a class the station knows (class_key): as written -> as kept
    respelled: dict[str, str] = field(default_factory=dict)

    def summary(self) -> Text:
        """The counts, as the window's import report and `roster import` say them, and the photographed students, and
        those with a reference photo, whose entry changed."""
        lines = [SUMMARY.format(imported=self.imported, updated=self.updated, unchanged=self.unchanged,
                                rejected=len(self.rejected))]
        for said, numbers in ((CHANGED_AFTER_PHOTO, self.photographed_changed),
                              (CHANGED_REFERENCE, self.references_changed)):
            if numbers:
                shown = numbers[:SHOWN_CHANGED] + (["…"] if len(numbers) > SHOWN_CHANGED else [])
                lines.append(said.format(n=len(numbers), students=Text("、".join(shown), ", ".join(shown))))
        if self.respelled:
            pairs = [f"{given} → {kept}" for given, kept in self.respelled.items()]
            lines.append(RESPELLED.format(pairs=Text("；".join(pairs), "; ".join(pairs))))
        return Text("\n".join(line.zh for line in lines), "\n".join(line.en for line in lines))

    def to_json(self, lang: str | None = None) -> dict:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [r.to_json(lang) for r in self.rejected],
            "photographed_changed": self.photographed_changed,
            "references_changed": self.references_changed,
            "classes_respelled": self.respelled,
        }


@dataclass(frozen=True, eq=False)
class Row:
    """One student line of the file: where it is, and its cells by field (each row is its own key)."""

    sheet: str
    number: int
    record: dict[str, str]
    uncalculated: tuple[str, ...] = ()  # its cells that a formula should fill but hold no result ("C5")


def import_roster(db: sqlite_utils.Database, path: Path | str, now: dt.datetime | None = None,
                  audit: AuditTrail | None = None) -> ImportReport:
    """Read, validate and upsert; raises StationError only when the file cannot be used at all (no student rows
    included). Given the operator's `audit` trail (on this database), the import is recorded in it: file name and
    counts, written with the students, so no roster change is ever missing from the chain."""
    path = Path(path)
    rows = _rows(path)
    several_sheets = len({row.sheet for row in rows}) > 1
    stamp = (now or dt.datetime.now()).isoformat(timespec="seconds")
    report = ImportReport()
    with write_transaction(db):
        # checked and written holding the write lock: a second import at the same moment (the window and the
        # command line) waits, instead of passing the same checks and then breaking a uniqueness rule
        problems = _row_problems(rows)
        problems.update(_held_elsewhere(db, [row for row in rows if row not in problems]))
        accepted = [row for row in rows if row not in problems]
        before = [_entries_of(db, table, fields) for table, fields in _WATCHED]  # before any code is released
        _release_codes(db, accepted)
        spelled = class_spellings(db)
        for row in rows:
            if row in problems:
                report.rejected.append(Rejected(row.number, row.record.get("student_no", ""), problems[row],
                                                row.sheet if several_sheets else "", row.record.get("name", "")))
                continue
            given = row.record["class_name"]
            row.record["class_name"] = spelled.setdefault(class_key(given), given)
            if row.record["class_name"] != given:
                report.respelled[given] = row.record["class_name"]
            outcome = _upsert(db, row.record, stamp)
            setattr(report, outcome, getattr(report, outcome) + 1)
            report.classes.add(row.record["class_name"])
        keep_refused(db, [RefusedRow(r.student_no, r.name, path.name, r.where(), r.reason)
                          for r in report.rejected if r.student_no], stamp)
        after = [_entries_of(db, table, fields) for table, fields in _WATCHED]
        report.photographed_changed, report.references_changed = (
            changed_entries(was, now) for was, now in zip(before, after))
        if audit is not None:
            audit.write(Action.ROSTER, file=path.name, imported=report.imported, updated=report.updated,
                        unchanged=report.unchanged, rejected=len(report.rejected),
                        **{key: numbers for key, numbers in (("photographed_changed", report.photographed_changed),
                                                             ("references_changed", report.references_changed))
                           if numbers})
    return report


def _rows(path: Path) -> list[Row]:
    """The student lines of every sheet that has a header (one sheet per class is common). A file whose every
    line (or header) has a formula never calculated is refused whole: it was written by a script, not saved."""
    rows, found_header, first_formula = [], False, ""
    for sheet in read_sheets(path):
        if sheet.uncalculated and not first_formula:
            first_formula = next(iter(sheet.uncalculated[min(sheet.uncalculated)].values()))
        header = find_header(sheet)
        if header is None:
            continue
        found_header = True
        used = set(header.columns.values())
        for row_no, cells in sheet.rows[header.index + 1:]:
            unread = {column: name for column, name in sheet.uncalculated.get(row_no, {}).items() if column in used}
            record = {f: (cells[i] if i < len(cells) and i not in unread else "")  # XlsxWriter's 0 is no value
                      for f, i in header.columns.items()}
            if any(record.get(f) for f in _NAMES_SOMEONE) or unread:
                rows.append(Row(sheet.name, row_no, _normalized(record), tuple(unread[c] for c in sorted(unread))))
    if rows and all(row.uncalculated for row in rows):
        raise StationError(_ALL_UNCALCULATED.format(cells=_cells(rows[0].uncalculated)))
    if not found_header and first_formula:  # the header itself made by formulas
        raise StationError(_UNCALCULATED.format(cells=_cells([first_formula])))
    if not found_header:
        raise StationError(NO_HEADER.format(**{f: Name(ALIASES[f][0]) for f in REQUIRED}))
    if not rows:  # a blank template, or the wrong sheet saved: said, not "0 added"
        raise StationError(_NO_STUDENTS.format(file=path.name))
    return rows


def _cells(names: tuple[str, ...] | list[str]) -> Text:
    return Text("、".join(names), ", ".join(names))


def _normalized(record: dict[str, str]) -> dict[str, str]:
    out = {k: re.sub(r"\s+", " ", v).strip() for k, v in record.items()}
    out["student_no"] = _FLOAT_NUMBER.sub(r"\1", out.get("student_no", "").replace(" ", ""))
    if out.get("name"):
        out["name"] = _SPACE_IN_CJK.sub("", out["name"])
    if out.get("id_number"):
        out["id_number"] = idnumber.normalize(out["id_number"])
    if out.get("gender"):
        out["gender"] = _GENDERS.get(out["gender"].lower(), out["gender"])
    if "capture_code" in out:
        out["capture_code"] = out["capture_code"].replace(" ", "")
    return out


def _row_problems(rows: list[Row]) -> dict[Row, Text]:
    """Problems a row has on its own or against earlier rows of the file. Capture codes compare
    ignoring case, as a scanner with Caps Lock on would read them."""
    problems: dict[Row, Text] = {}
    first: dict[tuple[str, str], Row] = {}  # (field, value) -> first row holding it
    numbers = {row.record.get("student_no", "").upper() for row in rows}
    ids = {row.record.get("id_number") for row in rows} - {"", None}
    id_holders: dict[str, str] = {}  # ID number -> the student number of the first row holding it
    for row in rows:
        if row.record.get("id_number"):
            id_holders.setdefault(row.record["id_number"], row.record.get("student_no", ""))
    for row in rows:
        record = row.record
        # said instead of a missing field: the cells are empty only because nothing calculated their formulas
        problem = _UNCALCULATED.format(cells=_cells(row.uncalculated)) if row.uncalculated else _problem(record)
        for key, what in (("student_no", _DUPLICATE_NUMBER), ("capture_code", _DUPLICATE_CODE),
                          ("id_number", _DUPLICATE_ID)):
            if problem is None and record.get(key):
                holder = first.setdefault((key, _same(key, record[key])), row)
                if holder is not row:
                    problem = what.format(where=where(holder.sheet if holder.sheet != row.sheet else "",
                                                      holder.number))
        code = record.get("capture_code", "").upper()
        if problem is None and code and code != record["student_no"].upper() and code in numbers:
            problem = _CODE_IS_A_NUMBER.format(code=record["capture_code"])
        if problem is None and code and code in ids:
            problem = _CODE_IS_AN_ID
        # a student number and an ID number are different things: one equal to another student's ID number is the
        # ID column pasted into the number's, and scanning that code could not say whom it means
        holder = id_holders.get(record.get("student_no", "").upper(), record.get("student_no"))
        if problem is None and holder != record.get("student_no"):
            problem = _NUMBER_IS_AN_ID.format(holder=holder)
        if problem is not None:
            problems[row] = problem
    return problems


def _same(key: str, value: str) -> str:
    """What two values of `key` are compared as: ID numbers exactly, capture codes and student numbers ignoring case."""
    return value if key == "id_number" else value.upper()


def _problem(record: dict[str, str]) -> Text | None:
    missing = [FIELD_NAMES[f] for f in REQUIRED if not record.get(f)]
    if missing:
        return Text("缺少必填项：" + "、".join(m.zh for m in missing),
                    "Missing required field: " + ", ".join(m.en for m in missing))
    if any(word in record["name"].lower() for word in ("示例", "样例", "example")):
        return _EXAMPLE  # a template's 张三（示例） row
    number = record["student_no"]
    if not valid_student_no(number):
        if _SCIENTIFIC.match(number):
            return Text("学号被 Excel 存成了科学计数法，末几位已丢失，请把该列设为文本后重新导出",
                        "Student number was stored by Excel in scientific notation; its last digits are lost: "
                        "set the column to text and export again")
        return Text(f"学号“{number}”格式不对（1 到 32 个字符，只能包含字母、数字、-、_）",
                    f"Student number '{number}' is malformed (1 to 32 characters: letters, digits, - and _ only)")
    number = record.get("id_number", "")
    if number:
        if _is_resident_document(record.get("id_type", "")):
            return idnumber.resident_id_problem(number)
        if not _OTHER_DOCUMENT.match(number):
            return Text("证件号码格式不对", "Document number is malformed")
    return None


def _is_resident_document(id_type: str) -> bool:
    """Resident ID cards and residence permits use the GB 11643 number; passports and permits do not."""
    return not id_type or "身份证" in id_type or "居住证" in id_type or "resident" in id_type.lower()


def _held_elsewhere(db: sqlite_utils.Database, rows: list[Row]) -> dict[Row, Text]:
    """Rows that would take a capture code, ID number or student number from a student already in the database.

    A value is free again when its holder is in this file with another one: a corrected file may swap two
    codes, or move a column that was pasted one row off. A rejected row keeps its student's old values, so
    the rows waiting on that student are looked at again (each row once per such rejection, not per round).
    """
    known = _Known.read(db)
    conflicts = {row: _holders(known, row.record) for row in rows}
    kept = {row.record["student_no"]: row.record for row in rows}
    waiting_on: dict[str, list[Row]] = {}
    for row in rows:
        for _, holder, _, _ in conflicts[row]:
            waiting_on.setdefault(holder, []).append(row)
    problems: dict[Row, Text] = {}
    todo = list(rows)
    while todo:
        row = todo.pop()
        if row in problems:
            continue
        for key, holder, value, problem in conflicts[row]:
            if _keeps(kept.get(holder), key, value):
                problems[row] = problem
                kept.pop(row.record["student_no"], None)
                todo.extend(waiting_on.get(row.record["student_no"], []))
                break
    return problems


def _holders(known: "_Known", record: dict[str, str]) -> list[tuple[str, str, str, Text]]:
    """(field, other student, value, why) for each student in the database holding a value this row would take."""
    number, found = record["student_no"], []
    for key, value, index, what in (("capture_code", record.get("capture_code"), known.codes, _CODE_TAKEN),
                                    ("id_number", record.get("id_number"), known.ids, _ID_TAKEN),
                                    ("capture_code", number, known.codes, _NUMBER_IS_A_CODE),
                                    ("student_no", record.get("capture_code"), known.numbers, _CODE_IS_A_NUMBER),
                                    ("student_no", record.get("capture_code"), known.ids, _CODE_IS_AN_ID),
                                    ("student_no", number, known.numbers, _NUMBER_DIFFERS_IN_CASE),
                                    ("id_number", number.upper(), known.ids, _NUMBER_IS_AN_ID)):
        if value:
            found += [(key, holder, value, what.format(holder=holder, code=value))
                      for holder in index.get(_same(key, value), [])
                      if holder != number]
    return found


@dataclass
class _Known:
    """The students already in the database, by capture code and student number (ignoring case) and by ID number:
    read once, so checking a 30,000-row file against them takes seconds, not a query per row and field."""

    codes: dict[str, list[str]]
    ids: dict[str, list[str]]
    numbers: dict[str, list[str]]

    @classmethod
    def read(cls, db: sqlite_utils.Database) -> "_Known":
        known = cls({}, {}, {})
        for number, code, id_number in db.execute("SELECT student_no, capture_code, id_number FROM students"):
            known.numbers.setdefault(number.upper(), []).append(number)
            if code:
                known.codes.setdefault(code.upper(), []).append(number)
            if id_number:
                known.ids.setdefault(id_number, []).append(number)
        return known


def _keeps(holder: dict[str, str] | None, key: str, value: str) -> bool:
    """Whether the holder keeps `value`: not in this file, a blank cell (blank never erases), the same value,
    or a student number (never given up)."""
    if holder is None or key == "student_no":
        return True
    new = holder.get(key) or ""
    return not new or _same(key, new) == _same(key, value)


# a photo filed by the code or card that named its student, a reference photo matched by their number or ID number
_WATCHED = (("captures", "name, id_number, capture_code"), ("reference_photos", "name, id_number"))


def changed_entries(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    """The students, of those with a photo (`before`: their entries then, by student number), whose entry an import
    changed: the photo was filed, or matched, by the entry before. The receiving server's import says the same."""
    return [number for number, entry in before.items() if after.get(number, entry) != entry]


def _entries_of(db: sqlite_utils.Database, table: str, fields: str) -> dict[str, tuple]:
    """`fields` of each student with a row in `table` (captures: photographed at this station; reference_photos: with
    a reference photo), in one read."""
    return {row[0]: tuple(row[1:]) for row in db.execute(
        f"SELECT student_no, {fields} FROM students s "
        f"WHERE EXISTS (SELECT 1 FROM {table} t WHERE t.student_no = s.student_no) ORDER BY student_no")}


def _release_codes(db: sqlite_utils.Database, rows: list[Row]) -> None:
    """Clear the old capture code of every student this file gives a new one, before any code is written,
    so that two students can swap codes under the database's uniqueness rule."""
    for row in rows:
        code = row.record.get("capture_code")
        if code:
            db.execute("UPDATE students SET capture_code = NULL WHERE student_no = ? AND capture_code != ?",
                       [row.record["student_no"], code])


def _upsert(db: sqlite_utils.Database, record: dict[str, str], stamp: str) -> str:
    """'imported', 'updated' or 'unchanged'; blank cells never erase what is known."""
    values = {k: v for k, v in record.items() if v}
    existing = next(db.query("SELECT * FROM students WHERE student_no = ?", [record["student_no"]]), None)
    if existing is None:
        columns = list(values) + ["created_at", "updated_at"]
        db.execute(
            f"INSERT INTO students ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
            [*values.values(), stamp, stamp],
        )
        return "imported"
    changed = {k: v for k, v in values.items() if existing.get(k) != v}
    if not changed:
        return "unchanged"
    assignments = ", ".join(f"{k} = ?" for k in changed)
    db.execute(
        f"UPDATE students SET {assignments}, updated_at = ? WHERE student_no = ?",
        [*changed.values(), stamp, record["student_no"]],
    )
    return "updated"
