"""Each student's reference photo (the school's enrolment or ID photo) and its cached face embedding.

Reference photos are biometric data: the image and its embedding are sealed like captures
(station.storage.envelope: a fresh AES-256-GCM key, wrapped for the server and with the station key) and never
stored in the clear. `import_reference_photos` takes a folder or a zip whose file names are student numbers or
ID numbers; every photo is checked (readable, exactly one face, big enough) and each refusal comes back with
its reason, like the roster import.
"""

from __future__ import annotations

import hashlib
import logging
import lzma
import os
import re
import threading
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import sqlite_utils

from station.audit.trail import Action, AuditTrail, default_operator
from station.image_io import HEIF, IMAGE_SUFFIXES, LISTED_SUFFIXES, decode_image, is_heif, mac_metadata, photos_in
from station.context import Station
from station.db import write_transaction
from station.errors import StationError, os_reason
from station.i18n import Name, Text
from station.identity.embedder import FaceEmbedder
from station.identity.files import Unusable, embed_image
from station.identity.reference_store import FOLDER
from station.identity.verify import MODEL_ID
from station.localtime import system_clock
from station.paths import is_dir, is_file
from station.roster import store
from station.roster.columns import ALIASES, find_header
from station.roster.table import cell_text, read_sheets
from station.storage.atomic import remove_file, write_atomic
from station.storage.envelope import seal
from station.storage.server_link import load_link

log = logging.getLogger(__name__)

# px: the ID card chip photo (102x126) shows a face about 50 px wide; on the ID-like proxy's dev people such a
# reference, even shrunk to 80 % (faces about 41 px), verified nearly as well as a 358x441 scan (model card)
MIN_FACE_WIDTH = 40
OTHER_FACE_RATIO = 0.3  # a face at least this wide (relative to the main one) is a second person, as in face_count
MAX_ENTRY_BYTES = 30 * 2**20  # a zip entry bigger than this is no ID photo (and may be a zip bomb)

UNOPENED_SOURCE = Text("无法打开参考照片文件夹 {path}：{reason}", "cannot open the folder of reference photos {path}: {reason}")
UNREADABLE_SOURCE = Text("无法读取参考照片 {path}：不是文件夹或 zip 文件", "cannot read reference photos from {path}: not a folder or a zip file")
NO_PHOTOS = Text("{path} 中没有照片（" + "、".join(IMAGE_SUFFIXES) + "）",
                 "no photos (" + ", ".join(IMAGE_SUFFIXES) + ") in {path}")
NO_STUDENT = Text("文件名不是名单中任何学生的学号或证件号", "the file name is not the student number or ID number of anyone on the roster")
SEVERAL_STUDENTS = Text("文件名同时对应多名学生：{students}", "the file name matches several students: {students}")
DUPLICATE = Text("学号 {student_no} 已有另一张照片（{first}），保留先出现的", "student {student_no} already has a photo in this import ({first}); the first is kept")
SEVERAL_FACES = Text("照片中有 {count} 张人脸，参考照片只能有本人", "{count:face|faces} in the photo: a reference photo shows the student alone")
TOO_SMALL = Text("人脸太小（宽 {width} 像素，至少需要 {minimum} 像素）", "the face is too small ({width} px wide, at least {minimum} px needed)")
TOO_BIG = Text("文件过大（超过 30 MB）", "the file is too big (over 30 MB)")
UNREADABLE = Text("无法读取图像文件", "cannot read the image file")
FOLDER_NOT_OPENED = Text("没有打开该文件夹的权限，其中的照片未导入", "no permission to open this folder: its photos were not imported")
NOT_STORED = Text("参考照片没有全部导入：{folder} 不能写入（{reason}）。已导入的参考照片不受影响；处理后再导入一次即可，已导入的不会重复。",
                  "Not every reference photo was imported: {folder} cannot be written ({reason}). Reference photos "
                  "imported before are kept; put it right and import again (those are not imported twice).")


# how this system shows a file inside a folder: Explorer's "\\" on Windows, "/" elsewhere
SEPARATOR = os.sep


def shown_name(name: str) -> str:
    """A photo's name in the import (its folders split by "/" on every system, as a zip's are) as the system shows
    it: 一班\\2021001.jpg on Windows."""
    return name.replace("/", SEPARATOR)


@dataclass(frozen=True)
class Refused:
    file: str  # folders split by "/" on every system: --json's "file", the same wherever it was made
    reason: Text
    code: str
    student_no: str = ""

    @property
    def shown(self) -> str:
        """The file as the system names it, for people (the commands' lines, the window's table)."""
        return shown_name(self.file)

    def to_json(self, lang: str | None = None) -> dict:
        return {"file": self.file, "student_no": self.student_no, "code": self.code, "reason": self.reason.get(lang)}


@dataclass
class ReferenceReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Refused] = field(default_factory=list)
    stopped: bool = False  # asked to stop before every photo was checked (the window's 停止)

    def to_json(self, lang: str | None = None) -> dict:
        return {"imported": self.imported, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": [r.to_json(lang) for r in self.rejected]}

    def audit(self, station: Station, source: str) -> None:
        """Reference photos are biometric data: the trail keeps who took them in, from where, and how many."""
        AuditTrail(station, default_operator(station)).record(
            Action.REFERENCES, source=source, imported=self.imported, updated=self.updated,
            unchanged=self.unchanged, rejected=len(self.rejected), stopped=self.stopped)


Entry = tuple[str, bytes | None]  # (name as the user sees it, the photo's bytes; None: too big, b"": unreadable)


@dataclass(frozen=True)
class Counted:
    """Photos read one at a time, counted before the first is read: a window says "n of total" as it goes."""

    total: int
    entries: Iterator[Entry]

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[Entry]:
        return self.entries


def source_entries(path: Path) -> Counted:
    """Every image in a folder or zip, in name order; in a folder also a link to a photo that is gone (unreadable)
    and each folder inside that could not be opened, named with a closing "/" (checked_entries refuses it), as
    photos_in lists them: none is passed over in silence."""
    if path.is_dir():
        listed = photos_in(path)
        files = sorted(listed.photos + listed.unopened)
        return Counted(len(files), _folder_entries(path, files))
    try:
        with zipfile.ZipFile(path) as archive:
            infos = sorted((i for i in archive.infolist()
                            if not i.is_dir() and _is_photo_name(_zip_name(i))),
                           key=_zip_name)
    except (OSError, zipfile.BadZipFile) as exc:
        raise StationError(UNREADABLE_SOURCE.format(path=path)) from exc
    return Counted(len(infos), _zip_entries(path, infos))


def _is_photo_name(name: str) -> bool:
    """A photo's suffix, and not a Mac's ._2021001.jpg (which would claim student 2021001 by its name)."""
    return Path(name).suffix.lower() in LISTED_SUFFIXES and not mac_metadata(Path(name))


def _folder_entries(folder: Path, files: list[Path]) -> Iterator[Entry]:
    """A file that may not be read, or is gone since the folder was listed, is an unreadable entry (b""); a name
    in bytes the system's encoding lacks (a stick written elsewhere) is shown with U+FFFD, as the database and the
    report take only real text."""
    for file in files:
        name = os.fsencode(file.relative_to(folder).as_posix()).decode("utf-8", "replace") + "/" * is_dir(file)
        try:
            data = file.read_bytes() if file.stat().st_size <= MAX_ENTRY_BYTES else None
        except OSError:
            data = b""
        yield name, data


# what reading one entry raises when its data is damaged (each decompressor its own error, a short stream
# EOFError), encrypted (RuntimeError) or packed by a method zipfile lacks (Deflate64: NotImplementedError, which
# is a RuntimeError)
DAMAGED_ENTRY = (OSError, EOFError, RuntimeError, zipfile.BadZipFile, zlib.error, lzma.LZMAError)


def _zip_entries(path: Path, infos: list[zipfile.ZipInfo]) -> Iterator[Entry]:
    with zipfile.ZipFile(path) as archive:
        for info in infos:
            if info.file_size > MAX_ENTRY_BYTES:
                yield _zip_name(info), None
                continue
            try:
                yield _zip_name(info), archive.read(info)
            except DAMAGED_ENTRY:
                yield _zip_name(info), b""


def _zip_name(info: zipfile.ZipInfo) -> str:
    """An entry's name as its writer meant it. Without the UTF-8 flag the zip format says code page 437, which is
    how zipfile reads it; but Windows' 发送到 → 压缩文件夹 and Chinese zip tools write the system's GBK there, and
    macOS UTF-8: 张三.jpg would read ╒┼╚².jpg and match no 照片 column. Folders are split by "/", and by the "\\"
    that Windows PowerShell's Compress-Archive writes instead (no Windows file name holds one)."""
    return _as_written(info).replace("\\", "/")


def _as_written(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:  # zipfile was told another encoding
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


PHOTO_ALIASES = {"student_no": ALIASES["student_no"], "photo": ("照片", "照片文件", "照片文件名", "相片", "photo", "photofile")}
# the Chinese headers kept whole where the message wraps, and the English ones PHOTO_ALIASES takes too (s33 walk)
NO_PHOTO_COLUMN = Text("名单 {path} 中没有“{student_no}”和“{photo}”两列",
                       "the roster {path} has no student number and photo columns, headed {student_no} and {photo}, "
                       "or Student No. and Photo")


@dataclass(frozen=True)
class PhotoColumn:
    """A roster's 照片 column: each row's photo file and student number. Cells often carry a folder the import's files
    are not in (D:\\照片\\2021001.jpg), so a file is found by its name; the folders only tell apart rows naming files
    alike (a studio numbering each class's photos from 001.jpg, a folder per class)."""

    cells: tuple[tuple[tuple[str, ...], str], ...]  # (the path's parts as _parts reads them, student number)

    def numbers(self, name: str) -> set[str]:
        """The student numbers of the rows naming the file `name` (its path in the import): by its file name, else by
        its name without suffix; of several rows, those whose folders agree with the file's the most."""
        parts = _parts(name)
        for same in (lambda cell: cell[-1] == parts[-1], lambda cell: Path(cell[-1]).stem == Path(parts[-1]).stem):
            agree = {}
            for cell, number in self.cells:
                if same(cell):
                    agree[number] = max(agree.get(number, 0), _common_folders(cell, parts))
            if agree:
                return {number for number, folders in agree.items() if folders == max(agree.values())}
        return set()


def _parts(path: str) -> tuple[str, ...]:
    """A path's folders and file name as the 照片 cells are read (NFKC: 林晓雯（一班）.jpg is 林晓雯(一班).jpg there), lower
    case, "\\" taken as "/"."""
    return tuple(part for part in cell_text(path).replace("\\", "/").lower().split("/") if part) or ("",)


def _common_folders(cell: tuple[str, ...], file: tuple[str, ...]) -> int:
    """How many folders above the file name two paths share, counted from the file upwards."""
    count = 0
    for a, b in zip(reversed(cell[:-1]), reversed(file[:-1])):
        if a != b:
            break
        count += 1
    return count


def photo_column(roster: Path) -> PhotoColumn:
    """Which file is whose, by a roster's 照片 column."""
    rows: list[tuple[tuple[str, ...], str]] = []
    found_header = False
    for sheet in read_sheets(roster):
        header = find_header(sheet, PHOTO_ALIASES, ("student_no", "photo"))
        if header is None:
            continue
        found_header = True
        for _, cells in sheet.rows[header.index + 1:]:
            number, photo = (cell_text(cells[header.columns[f]]) if header.columns[f] < len(cells) else ""
                             for f in ("student_no", "photo"))
            if number and photo:
                rows.append((_parts(photo), number))
    if not found_header:
        raise StationError(NO_PHOTO_COLUMN.format(path=roster, student_no=Name("学号"), photo=Name("照片")))
    return PhotoColumn(tuple(rows))


_NUMBER = re.compile(r"[0-9A-Za-z]+")
_SEPARATORS = re.compile(r"[\s_\-.,，、()（）\[\]【】]+")


def match_student(db: sqlite_utils.Database, name: str, photo_names: PhotoColumn | None = None) -> list[str]:
    """Student numbers the file belongs to: named in the roster's 照片 column, else whose student number or
    ID number (ignoring x/X) is the file's name, or is in it beside the student's name. A file the column gives to
    one student while its own name is another's number, ID number or name (the 照片 column sorted apart from the
    学号 column, a row copied down) is both students': a wrong reference photo passes a swap as the same person."""
    listed = photo_names.numbers(name) if photo_names is not None else set()
    stem = _stem(name)
    if listed:
        found = {number for number in listed if store.get_student(db, number)}
        return sorted(found | _named_by_file(db, stem, found)) if found else []
    return sorted(_numbered(db, stem) or _numbered_and_named(db, stem))


def _named_by_file(db: sqlite_utils.Database, stem: str, listed: set[str]) -> set[str]:
    """The students a file's name names by itself: their student number or ID number, or their name (unless a listed
    student has that name: two students may share one)."""
    named = {row[0] for row in db.execute("SELECT student_no FROM students WHERE name = ?",
                                          [_SEPARATORS.sub("", stem)])}
    return _numbered(db, stem) | (set() if named & listed else named)


def _stem(name: str) -> str:
    """The file's name without its suffixes: Windows hides them, so 2021001.jpg renamed to what it shows becomes
    2021001.jpg.jpg; and digits typed full-width (a Chinese input method's ２０２１００１) read as digits."""
    stem = unicodedata.normalize("NFKC", Path(name).name)
    while Path(stem).suffix.lower() in LISTED_SUFFIXES:
        stem = Path(stem).stem
    return stem.strip()


def _numbered(db: sqlite_utils.Database, number: str) -> set[str]:
    found = {s.student_no for s in store.find_by(db, "student_no", number)}
    return found | {s.student_no for s in store.find_by(db, "id_number", number, ignore_case=True)}


def _name_of(db: sqlite_utils.Database, student_no: str) -> str:
    student = store.get_student(db, student_no)
    return _SEPARATORS.sub("", student.name) if student else ""


def _numbered_and_named(db: sqlite_utils.Database, stem: str) -> set[str]:
    """学号_姓名.jpg, 姓名 学号.jpg, 2021001张三.jpg (how schools and photo studios name them): a student's number
    or ID number in the name, and beside it nothing else or that student's own name. Another name beside the
    number matches nobody: the file may be misnamed, and a wrong reference photo is worse than none."""
    for number in _NUMBER.findall(stem):
        rest = _SEPARATORS.sub("", stem.replace(number, "", 1))
        found = {no for no in _numbered(db, number) if not rest or rest == _name_of(db, no)}
        if found:
            return found
    return set()


def check_photo(embedder: FaceEmbedder, image: np.ndarray | None) -> np.ndarray | Unusable:
    """The embedding of a usable reference photo: readable, exactly one face, big enough."""
    outcome = embed_image(embedder, image)
    if isinstance(outcome, Unusable):
        return outcome
    x, y, width, height = outcome.box
    others = [f for f in embedder.faces(image)[1:] if f.width >= OTHER_FACE_RATIO * width]
    if others:
        return Unusable("several_faces", SEVERAL_FACES.format(count=len(others) + 1))
    if width < MIN_FACE_WIDTH:
        return Unusable("too_small", TOO_SMALL.format(width=round(width), minimum=MIN_FACE_WIDTH))
    return outcome.vector


def check_source(source: Path) -> None:
    """Refuse what is neither a folder nor a zip before anything else is asked (a passphrase, the models)."""
    if not (is_dir(source) or (is_file(source) and zipfile.is_zipfile(source))):
        raise StationError(UNREADABLE_SOURCE.format(path=source))
    if is_dir(source):  # a folder that may not be opened is not "no photos in it"
        try:
            with os.scandir(source):
                pass
        except OSError as exc:
            raise StationError(UNOPENED_SOURCE.format(path=source, reason=os_reason(exc))) from exc


# hears how many photos were checked so far, and of how many (None: not known ahead)
Progress = Callable[[int, int | None], None]


def import_reference_photos(station: Station, source: Path, station_key: bytes,
                            embedder: FaceEmbedder | None = None, roster: Path | None = None,
                            progress: Progress | None = None, stop: threading.Event | None = None) -> ReferenceReport:
    """Check, seal and register every reference photo in `source` (folder or zip); `roster` is a roster file
    whose 照片 column names each student's photo file."""
    check_source(source)
    photo_names = photo_column(roster) if roster is not None else None
    report = import_entries(station, source_entries(source), station_key, embedder, photo_names, progress, stop)
    if not (report.imported or report.updated or report.unchanged or report.rejected or report.stopped):
        # not "0 added" as if all went well
        raise StationError(NO_PHOTOS.format(path=source))
    report.audit(station, str(source))
    return report


def import_entries(station: Station, entries: Iterable[Entry], station_key: bytes,
                   embedder: FaceEmbedder | None = None, photo_names: PhotoColumn | None = None,
                   progress: Progress | None = None, stop: threading.Event | None = None) -> ReferenceReport:
    """Check, seal and register reference photos given as (file name, bytes) wherever they come from: a folder,
    a zip, or the receiving server (named by student number). `stop` set: no photo after the one being checked
    (each is kept as it is checked)."""
    server_key = load_link(station.db).server_key()  # photos are sealed for the server too, as captures are
    report = ReferenceReport()
    total = len(entries) if isinstance(entries, Counted) else None
    if stop is not None:
        entries = _until(stop, entries, report)
    outcomes = checked_entries(station.db, entries, embedder or FaceEmbedder(), photo_names)
    for checked, outcome in enumerate(outcomes, 1):
        if isinstance(outcome, Refused):
            report.rejected.append(outcome)
        else:
            _store(station, report, outcome, server_key, station_key)
        if progress is not None:
            progress(checked, total)
    return report


def _until(stop: threading.Event, entries: Iterable[Entry], report: ReferenceReport) -> Iterator[Entry]:
    """The entries until `stop` is set; the report says when some were left."""
    for entry in entries:
        if stop.is_set():
            report.stopped = True
            return
        yield entry


@dataclass(frozen=True)
class Checked:
    """A photo that passed every check, with its face's embedding."""

    student_no: str
    file: str
    data: bytes
    vector: np.ndarray


def checked_entries(db: sqlite_utils.Database, entries: Iterable[Entry], embedder: FaceEmbedder,
                    photo_names: PhotoColumn | None = None) -> Iterator[Checked | Refused]:
    """Each entry matched to one student of `db`'s roster and checked (readable, one face, big enough): the
    station's import and the receiving server's use the same rules."""
    seen: dict[str, str] = {}
    for name, data in entries:
        if name.endswith("/"):  # a folder that could not be opened (source_entries)
            yield Refused(name, FOLDER_NOT_OPENED, "unreadable")
            continue
        students = match_student(db, name, photo_names)
        if not students:
            yield Refused(name, NO_STUDENT, "no_student")
            continue
        if len(students) > 1:
            yield Refused(name, SEVERAL_STUDENTS.format(students=", ".join(students)), "several_students")
            continue
        student_no = students[0]
        if student_no in seen:  # the first photo kept; one refused does not keep a second, usable one out
            first = shown_name(seen[student_no])
            yield Refused(name, DUPLICATE.format(student_no=student_no, first=first), "duplicate", student_no)
            continue
        if not data:
            reason = (TOO_BIG, "too_big") if data is None else (UNREADABLE, "unreadable")
            yield Refused(name, reason[0], reason[1], student_no)
            continue
        image = decode_image(data)
        outcome = Unusable("unreadable", HEIF) if image is None and is_heif(data) else check_photo(embedder, image)
        if isinstance(outcome, Unusable):
            yield Refused(name, outcome.text, outcome.code, student_no)
            continue
        seen[student_no] = name
        yield Checked(student_no, name, data, outcome)


def _store(station: Station, report: ReferenceReport, photo: Checked, server_key, station_key: bytes) -> None:
    db = station.db
    student_no, name, data, vector = photo.student_no, photo.file, photo.data, photo.vector
    digest = hashlib.sha256(data).hexdigest()
    old = db.execute("SELECT sha256, file, model FROM reference_photos WHERE student_no = ?", [student_no]).fetchone()
    if old is not None and old[0] == digest and old[2] == MODEL_ID:
        report.unchanged += 1
        return
    uid = uuid.uuid4().hex
    meta = {"uid": uid, "kind": "reference", "student_no": student_no}
    relative = f"{FOLDER}/{uid[:2]}/{uid}.reference.pse"
    try:
        write_atomic(station.home / relative, seal(data, meta, server_key, station_key))  # a full disk: said there
    except OSError as exc:  # a data folder that cannot be written: the photos stored before it stay
        raise StationError(NOT_STORED.format(folder=station.home / FOLDER, reason=os_reason(exc))) from exc
    embedding = seal(vector.astype(np.float32).tobytes(), {**meta, "kind": "embedding", "model": MODEL_ID},
                     server_key, station_key)
    now = system_clock().isoformat(timespec="milliseconds")
    # one photo is one student's: imported again for another (the roster corrected since), it leaves the one before
    before = db.execute("SELECT student_no, file FROM reference_photos WHERE sha256 = ? AND student_no != ?",
                        [digest, student_no]).fetchall()
    with write_transaction(db):
        db.execute("DELETE FROM reference_photos WHERE sha256 = ? AND student_no != ?", [digest, student_no])
        db.execute("INSERT INTO reference_photos(student_no, uid, file, source, sha256, model, embedding, imported_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(student_no) DO UPDATE SET uid = excluded.uid, "
                   "file = excluded.file, source = excluded.source, sha256 = excluded.sha256, model = excluded.model, "
                   "embedding = excluded.embedding, imported_at = excluded.imported_at",
                   [student_no, uid, relative, name, digest, MODEL_ID, embedding, now])
    for holder, file in before:
        log.warning("reference photo %s moved from student %s to %s", name, holder, student_no)
        _remove_replaced(station.home / file)
    if old is None:
        report.imported += 1
    else:
        report.updated += 1
        _remove_replaced(station.home / old[1])  # Windows: the window may be reading it to show it


def _remove_replaced(path: Path) -> None:
    """Delete a photo's file the register no longer names; one that Windows still refuses after remove_file's waits
    (held longer, read-only) is left, nobody's photo, so the rest of the import goes on."""
    try:
        remove_file(path)
    except PermissionError as exc:
        log.warning("replaced reference photo %s not removed: %s", path, exc)
