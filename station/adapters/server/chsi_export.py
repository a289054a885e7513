"""The hand-over batch for CHSI (学信网): each student's registered photo as a 480x640 JPEG,
named by ID number (or student number), decrypted here with the server's private key."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from station.errors import StationError, os_reason
from station.i18n import Text
from station.localtime import BEIJING, iso_in
from station.paths import NOT_A_FOLDER
from station.adapters.server.home import ServerContext
from station.adapters.server.intake import read_blob
from station.adapters.server.doubts import said_of_doubted
from station.adapters.server.store import Confirmation
from station.adapters.server.safe_names import UNSAFE_NAME, file_in
from station.storage.atomic import write_atomic
from station.storage.envelope import FOUND, EnvelopeError
from station.spreadsheet import csv_rows

CHSI_SIZE = (480, 640)

NOT_CHSI = Text("照片不是 480x640 的 JPEG（{detail}），未导出。", "The photo is not a 480x640 JPEG ({detail}); not exported.")
DAMAGED = Text("服务器上的照片文件损坏（{what}），未导出。", "The photo file on the server is damaged ({what}); not exported.")
NO_ID_NUMBER = Text("名单中没有身份证号，按学号命名。", "No ID number on the roster; named by student number.")
OFF_ROSTER = Text("学号不在服务器名单中：照片保留在服务器上，未导出；导入完整名单后再导出。",
                  "The student number is not on the server's roster: the photo is kept on the server, not exported; "
                  "import the full roster and export again.")
WRITE_FAILED = Text("无法写入导出目录 {target}：{reason}。请换一个目录再试。",
                    "Cannot write to the export folder {target}: {reason}. Choose another folder and try again.")
IN_DOUBT = Text("身份待核对（{said}）：未导出。请在登记页面“身份核验”核对两张照片；不是本人请学生重拍，"
                "确是本人时在该页点“确认是本人”（或用 --include-doubted {student_no} 导出）。",
                "Identity in doubt ({said}): not exported. Compare the two photos on the registrar's 身份核验 page; "
                "have the student retaken if it is someone else, or confirm it there if it is them (or export with "
                "--include-doubted {student_no}).")
RELEASED = Text("身份待核对（{said}）：按 --include-doubted 导出（未在“身份核验”页面确认）。",
                "Identity in doubt ({said}): exported as --include-doubted asked (not confirmed on the 身份核验 page).")
NOTHING_TO_RELEASE = Text("--include-doubted 的这个学号没有待核对的照片（学号有误，或照片已确认、不在名单中），未起作用。",
                          "--include-doubted named this number, but it has no photo in doubt (a wrong number, or the "
                          "photo is confirmed or off the roster): it changed nothing.")
INDEX_RELEASED = "按 --include-doubted 导出（未在身份核验页面确认）："  # index.csv's 身份核验 column, before the findings
NOT_EMPTY = Text("导出目录 {target} 里已有文件（如 {example}）：请换一个新的或空的目录再导出。"
                 "旧目录里上一次导出的照片不会被删除或替换，混在这一批里报送，可能把现在暂不导出的照片也交给学信网。",
                 "The export folder {target} already holds files (such as {example}): export to a new or empty folder. "
                 "A previous export's photos there are neither removed nor replaced, so handed over with this batch they "
                 "could take photos now held back to CHSI.")
# export-chsi with nothing to export printed 已导出 0 张照片 and wrote an index.csv of headings alone (s32 review)
NOTHING_RECEIVED = Text("服务器还没有收到任何照片：工作站上传（photo-station queue --send）或导入 U 盘导出包（import）之后再导出。"
                        "若照片已经上传，请检查 --home 是否是接收服务器的目录。",
                        "The server has received no photo yet: export after the stations have sent theirs (photo-station "
                        "queue --send) or their USB packages were imported (import). If photos were sent, check that "
                        "--home is the receiving server's folder.")
NOTHING_AT_ALL = Text("服务器还没有名单，也还没有收到任何照片：请检查 --home 是否是接收服务器的目录；"
                      "新服务器请先导入名单（import-roster），工作站上传照片后再导出。",
                      "The server holds no roster and no photo: check that --home is the receiving server's folder; on a "
                      "new server, import the roster (import-roster) and export once the stations have sent photos.")
NONE_EXPORTED = Text("服务器收到的 {count} 张照片都没有导出：", "None of the {count:photo|photos} the server holds was exported:")
ALL_HELD = Text("{count} 张身份待核对：在登记页面“身份核验”核对，确是本人的点“确认是本人”后再导出。",
                "{count} in doubt of identity: check them on the registrar's 身份核验 page, confirm those that are the "
                "student, and export again.")
ALL_OFF_ROSTER = Text("{count} 张的学号不在服务器名单中：导入完整名单（import-roster）后再导出。",
                      "{count} under a student number the server's roster lacks: import the full roster (import-roster) "
                      "and export again.")
NO_ROSTER = Text("{count} 张：服务器还没有导入名单，请先运行 import-roster，再导出。",
                 "{count}: the server has no roster yet; run import-roster, then export again.")
OTHER_PROBLEMS = Text("{count} 张另有原因（文件损坏、规格不符或文件名），见下。",
                      "{count} for other reasons (a damaged file, not to CHSI's size, a file name), listed below.")
NAME_TAKEN = Text("文件名 {name} 已被另一名学生使用，未导出。", "File name {name} is already used by another student; not exported.")


@dataclass
class ExportReport:
    written: int = 0
    problems: list[tuple[str, Text]] = field(default_factory=list)  # student_no, what happened
    received: int = 0  # the registered photos (each student's current one) the server holds
    held_back: int = 0  # of them, in doubt on 身份核验 and not released
    off_roster: int = 0  # of them, under a number the server's roster lacks
    roster: int = 0  # students on the server's roster

    def why_none(self) -> list[Text]:
        """Why nothing was exported, each cause once with its way on (empty when something was)."""
        if self.written:
            return []
        if not self.received:
            return [NOTHING_RECEIVED if self.roster else NOTHING_AT_ALL]
        why = [NONE_EXPORTED.format(count=self.received)]
        if self.held_back:
            why.append(ALL_HELD.format(count=self.held_back))
        if self.off_roster:
            why.append((NO_ROSTER if not self.roster else ALL_OFF_ROSTER).format(count=self.off_roster))
        if self.received - self.held_back - self.off_roster:
            why.append(OTHER_PROBLEMS.format(count=self.received - self.held_back - self.off_roster))
        return why


def export_chsi(server: ServerContext, target: Path, name_by: str = "id_number",
                include_doubted: frozenset[str] = frozenset()) -> ExportReport:
    """A registered photo the identity page lists (a station's uncertain or different verdict, a suspected swap) is
    held back unless the registrar confirmed it there or its student is in `include_doubted` (the registrar looked: it
    is them): a swap handed over is the student's 照片不是我本人 on CHSI."""
    _make_target(target)  # before decrypting anything
    roster = {s["student_no"]: s for s in server.store.students()}
    doubts, confirmed = said_of_doubted(server.store), server.store.confirmations()
    report = ExportReport()
    index_rows: list[list[str]] = []
    # the names taken, as Windows, macOS and a FAT or exFAT stick compare them: SY2001.jpg and sy2001.jpg are one file
    used: set[str] = set()
    released: set[str] = set()  # the students whose doubted photo --include-doubted let through
    registered = server.store.registered()
    report.received, report.roster = len(registered), len(roster)
    for student_no, upload in sorted(registered.items()):
        student = roster.get(student_no)
        if student is None:  # held as an unknown student: nothing of it reaches the file system
            report.problems.append((student_no, OFF_ROSTER))
            report.off_roster += 1
            continue
        name = student_no
        if name_by == "id_number":
            if student["id_number"]:
                name = student["id_number"]
            else:
                report.problems.append((student_no, NO_ID_NUMBER))
        release = upload.uid in doubts and upload.uid not in confirmed  # exported only if named
        if release and student_no not in include_doubted:
            report.problems.append((student_no, IN_DOUBT.format(said=doubts[upload.uid], student_no=student_no)))
            report.held_back += 1
            continue
        if release:
            released.add(student_no)
        if name.upper() in used:
            report.problems.append((student_no, NAME_TAKEN.format(name=name)))
            continue
        try:
            path = file_in(target, name, ".jpg")
        except ValueError:
            report.problems.append((student_no, UNSAFE_NAME.format(name=name)))
            continue
        try:
            jpeg = read_blob(server, upload, "chsi")
        except (EnvelopeError, FileNotFoundError) as exc:
            report.problems.append((student_no, DAMAGED.format(what=exc.said if isinstance(exc, EnvelopeError)
                                                                else FOUND["file missing"])))
            continue
        problem = _chsi_problem(jpeg)
        if problem:
            report.problems.append((student_no, NOT_CHSI.format(detail=problem)))
            continue
        _write(target, path, jpeg)
        used.add(name.upper())
        if release:
            report.problems.append((student_no, RELEASED.format(said=doubts[upload.uid])))
        index_rows.append([student_no, student["name"], student["class_name"], path.name,
                           iso_in(upload.captured_on_server_clock.isoformat(), BEIJING),
                           (INDEX_RELEASED if release else "")
                           + _identity_said(doubts.get(upload.uid, ""), confirmed.get(upload.uid))])
        report.written += 1
    # a mistyped number released nothing, and nothing said so: the registrar believed the photo went
    report.problems += [(student_no, NOTHING_TO_RELEASE) for student_no in sorted(include_doubted - released)]
    out = io.StringIO()
    csv.writer(out).writerows([["学号", "姓名", "班级", "文件名", "拍摄时间", "身份核验"], *csv_rows(index_rows)])
    _write(target, target / "index.csv", out.getvalue().encode("utf-8-sig"))
    return report


def _identity_said(said: str, confirmation: Confirmation | None) -> str:
    """The index's 身份核验 column: what was found, and who confirmed it is the student when the registrar did."""
    if confirmation is None:
        return said
    note = f"，{confirmation.note}" if confirmation.note else ""
    return f"已人工核对（{confirmation.confirmed_by}，{iso_in(confirmation.confirmed_at, BEIJING)}{note}）：{said}"


# What a file system or an operating system keeps at the top of a USB stick, never an earlier export: Windows' System
# Volume Information and recycle bin, a Mac's .Trashes and Spotlight index, Linux's lost+found. `--to E:\` on a stick
# Windows had used was refused as not empty for its hidden System Volume Information.
SYSTEM_ENTRIES = frozenset({"system volume information", "$recycle.bin", "recycler", ".trashes", ".spotlight-v100",
                            ".fseventsd", ".ds_store", ".temporaryitems", "lost+found"})


def _make_target(target: Path) -> None:
    """A new or empty folder (the system's own entries at a stick's top aside, SYSTEM_ENTRIES): the batch handed over
    is exactly what this export wrote (a photo exported before and held back since, or named by the other numbering,
    would otherwise still lie beside it)."""
    try:
        target.mkdir(parents=True, exist_ok=True)
        already = min((entry for entry in target.iterdir() if entry.name.lower() not in SYSTEM_ENTRIES), default=None)
    except OSError as exc:
        raise _write_failed(target, exc) from exc
    if already is not None:
        raise StationError(NOT_EMPTY.format(target=target, example=already.name))


def _write(target: Path, path: Path, data: bytes) -> None:
    """A full disk is already a StationError (write_atomic); any other refusal to write names the folder."""
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise _write_failed(target, exc) from exc


def _write_failed(target: Path, exc: OSError) -> StationError:
    if isinstance(exc, FileExistsError):  # mkdir met a file where a folder of the path should be
        return StationError(WRITE_FAILED.format(target=target, reason=NOT_A_FOLDER.format(path=exc.filename)))
    return StationError(WRITE_FAILED.format(target=target, reason=os_reason(exc)))


def _chsi_problem(jpeg: bytes) -> str:
    try:
        with Image.open(io.BytesIO(jpeg)) as image:
            if image.format != "JPEG":
                return f"format {image.format}"
            if image.size != CHSI_SIZE:
                return f"size {image.size[0]}x{image.size[1]}"
    except (UnidentifiedImageError, OSError):
        return "not an image"
    return ""
