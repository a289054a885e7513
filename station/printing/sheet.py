"""Print sheets: each student's registered photo (the latest accepted version) 8 times at true 2-inch size, with
name and student number beside each row of photos for sorting the prints, written as a PDF to print at 100 %.

The photos are read through the capture store (they are encrypted at rest). The CHSI photo (480 x 640, 3:4) is
trimmed at its sides to the 35:49 of a 2-inch photo (12 px each side: backdrop only) and placed unscaled in
pixels, so 640 px over 49 mm print at 332 dpi. A student who cannot be printed (not on the roster, never
photographed, a damaged file) is listed with the reason, never silently left out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from station.errors import StationError
from station.i18n import Text
from station.documents.output_file import write_output_file
from station.documents.pdf import Document
from station.printing.layout import LAYOUTS, PHOTO_H, PHOTO_W, ROWS, Layout, cut_marks, photo_rects
from station.roster.store import Student, get_student, students_of_class
from station.storage.captures import CaptureStore, history
from station.storage.envelope import EnvelopeError

MM_PER_INCH = 25.4
LABEL_POINTS = 7

NOT_ON_ROSTER = Text("名单中没有这个学号", "not on the roster")
NO_PHOTO = Text("还没有已确认的照片", "no accepted photo yet")
DAMAGED = Text("照片文件已损坏，无法读取：请重拍", "the photo file is damaged and cannot be read: retake it")
NO_CLASS = Text("名单中没有班级“{name}”", "No class '{name}' in the roster")
NOTHING_TO_PRINT = Text("没有可打印的照片。{reasons}", "Nothing to print. {reasons}")
TITLE = Text("证件照打印（2寸×8张）", "ID photo prints (2-inch x 8)")


@dataclass(frozen=True)
class Printed:
    student_no: str
    name: str
    class_name: str
    version: int
    dpi: float  # of the photo as placed (the lower of width and height)


@dataclass(frozen=True)
class NotPrinted:
    student_no: str
    name: str  # '' when the number is not on the roster
    code: str  # not_on_roster | no_photo | damaged
    reason: Text


@dataclass(frozen=True)
class PrintSheet:
    layout: str
    pages: int
    printed: list[Printed]
    missing: list[NotPrinted]


def _students(store: CaptureStore, class_name: str | None,
              student_nos: list[str]) -> tuple[list[Student], list[NotPrinted]]:
    """The students asked for (a class, or numbers in the order given) and the numbers not on the roster."""
    db = store.station.db
    if class_name is not None:
        students = students_of_class(db, class_name)
        if not students:
            raise StationError(NO_CLASS.format(name=class_name))
        return students, []
    found, unknown = [], []
    for number in dict.fromkeys(n.strip() for n in student_nos):
        student = get_student(db, number)
        if student is None:
            unknown.append(NotPrinted(number, "", "not_on_roster", NOT_ON_ROSTER))
        else:
            found.append(student)
    return found, unknown


def write_print_sheet(store: CaptureStore, out: Path, layout: str = "6inch", class_name: str | None = None,
                      student_nos: list[str] | None = None) -> PrintSheet:
    """Write the PDF for a class or for student numbers; raises StationError when nobody can be printed."""
    students, missing = _students(store, class_name, student_nos or [])
    photos, printed = [], []
    for student in students:
        photo = _registered_photo(store, student)
        if isinstance(photo, NotPrinted):
            missing.append(photo)
        else:
            version, jpeg, dpi = photo
            photos.append((student, jpeg))
            printed.append(Printed(student.student_no, student.name, student.class_name, version, dpi))
    if not photos:
        raise StationError(NOTHING_TO_PRINT.format(reasons=_grouped(missing)), exit_code=1)
    document = _render(photos, LAYOUTS[layout], TITLE.get(store.station.lang))
    write_output_file(out, document.to_bytes())
    return PrintSheet(layout, document.page, printed, missing)


def _grouped(missing: list[NotPrinted], named: int = 3) -> Text:
    """Who could not be printed, by reason, the first few of each named (name and number, as the student card shows
    them: the walk read 还没有已确认的照片：2021010105 of the student on the card): a class nobody in it photographed
    yet is one short line in a message box, not forty."""
    by_reason: dict[str, list[NotPrinted]] = {}
    for m in missing:
        by_reason.setdefault(m.code, []).append(m)
    zh, en = [], []
    for group in by_reason.values():
        shown = group[:named]
        more = len(group) > named
        zh_names = "、".join(f"{m.name}（{m.student_no}）" if m.name else m.student_no for m in shown)
        en_names = ", ".join(f"{m.name} ({m.student_no})" if m.name else m.student_no for m in shown)
        zh.append(f"{group[0].reason.zh}：{zh_names}" + (f" 等 {len(group)} 人" if more else ""))
        en.append(f"{group[0].reason.en}: {en_names}" + (f" and {len(group) - named} more" if more else ""))
    said = "; ".join(en)  # after "Nothing to print." a sentence of its own: capitalised, as the Chinese reads
    return Text("；".join(zh), said[:1].upper() + said[1:])


def _registered_photo(store: CaptureStore, student: Student) -> tuple[int, bytes, float] | NotPrinted:
    current = [v for v in history(store.station.db, student.student_no) if v.superseded_at is None]
    if not current:
        return NotPrinted(student.student_no, student.name, "no_photo", NO_PHOTO)
    try:
        chsi = store.load_for_review(student.student_no, current[0].version, "chsi")
        jpeg, dpi = two_inch_jpeg(chsi)
    except (EnvelopeError, OSError):  # OSError: Pillow cannot decode what was decrypted
        return NotPrinted(student.student_no, student.name, "damaged", DAMAGED)
    return current[0].version, jpeg, dpi


def two_inch_jpeg(chsi_jpeg: bytes) -> tuple[bytes, float]:
    """The photo trimmed (centred) to the 35:49 shape of a 2-inch print, and the dpi it prints at there."""
    with Image.open(io.BytesIO(chsi_jpeg)) as image:
        image = image.convert("RGB")
    w, h = image.size
    if w / h > PHOTO_W / PHOTO_H:  # wider than 35:49: trim the sides
        keep = round(h * PHOTO_W / PHOTO_H)
        box = ((w - keep) // 2, 0, (w - keep) // 2 + keep, h)
    else:  # taller: trim top and bottom evenly
        keep = round(w * PHOTO_H / PHOTO_W)
        box = (0, (h - keep) // 2, w, (h - keep) // 2 + keep)
    trimmed = image.crop(box)
    buffer = io.BytesIO()
    trimmed.save(buffer, "JPEG", quality=95, subsampling=0)
    dpi = min(trimmed.width / (PHOTO_W / MM_PER_INCH), trimmed.height / (PHOTO_H / MM_PER_INCH))
    return buffer.getvalue(), round(dpi, 1)


def _render(photos: list[tuple[Student, bytes]], layout: Layout, title: str) -> Document:
    document = Document(layout.page_w, layout.page_h, title)
    document.set_line_width(0.2)
    for i, (student, jpeg) in enumerate(photos):
        slot = i % layout.sets_per_page
        if slot == 0:
            document.add_page()
        origin = layout.set_origins[slot]
        for rect in photo_rects(origin):
            document.image(io.BytesIO(jpeg), x=rect.x, y=rect.y, w=rect.w, h=rect.h)
        for x1, y1, x2, y2 in cut_marks(origin):
            document.line(x1, y1, x2, y2)
        label = document.drawable(f"{student.name}  {student.student_no}  {student.class_name}")
        document.set_text_size(LABEL_POINTS)
        while document.get_string_width(label) > PHOTO_H - 4 and document.font_size_pt > 4:  # a long class name
            document.set_text_size(document.font_size_pt - 0.5)
        for row in range(ROWS):  # up the left margin, beside each row, so every strip cut off keeps its name
            x = origin[0] - 2.0
            y = origin[1] + row * PHOTO_H + PHOTO_H - 3.0
            with document.rotation(90, x, y):
                document.text(x, y, label)
    return document
