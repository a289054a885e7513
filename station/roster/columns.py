"""Which column holds what: Chinese and English headers with the aliases schools use."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from station.roster.table import Sheet

ALIASES: dict[str, tuple[str, ...]] = {
    "student_no": ("学号", "学生学号", "学籍号", "学生编号", "studentno", "studentnumber", "studentid", "student_no", "student_id"),
    "name": ("姓名", "学生姓名", "name", "studentname", "fullname"),
    "gender": ("性别", "gender", "sex"),
    "id_number": ("身份证号", "身份证号码", "身份证", "身份证件号", "身份证件号码", "证件号码", "证件号", "公民身份号码", "idnumber", "id_number", "idcard", "idno"),
    "id_type": ("证件类型", "idtype", "id_type"),
    "college": ("学院", "院系", "院", "系", "学院名称", "所在学院", "所属学院", "所在院系", "院系名称", "college", "school", "faculty", "department"),
    "major": ("专业", "专业名称", "所学专业", "major", "specialty", "speciality"),
    "class_name": ("班级", "班级名称", "班号", "行政班", "行政班级", "所在班级", "专业班级", "class", "classname", "class_name"),
    "level": ("层次", "培养层次", "学历层次", "level"),
    "capture_code": ("采集码", "图像采集码", "学信网采集码", "照片采集码", "capturecode", "capture_code"),
}
REQUIRED = ("student_no", "name", "class_name")
_HEADER_SCAN_ROWS = 20


@dataclass(frozen=True)
class Header:
    row: int  # row number of the header line
    index: int  # position of that line in the sheet's rows
    columns: dict[str, int]  # field -> column position


def header_key(header_cell: str) -> str:
    """'*学号（必填）', 'Student No.' and '学 号' all become '学号' / 'studentno'."""
    text = unicodedata.normalize("NFKC", header_cell).lower()
    text = re.sub(r"[(\[（【].*?[)\]）】]", "", text)
    return re.sub(r"[\s*:：.#_]", "", text)


def find_header(
    sheet: Sheet, aliases: dict[str, tuple[str, ...]] = ALIASES, required: tuple[str, ...] = REQUIRED
) -> Header | None:
    """The first of the top rows naming all required fields (titles above it are skipped). A header of two rows
    counts too: 学号 and 姓名 merged down over both, 班级 and 性别 under a merged 基本信息 (the row above names a
    field where the row itself has nothing that names one)."""
    lookup = {header_key(alias): field for field, names in aliases.items() for alias in names}
    above: list[str] = []
    for index, (row_no, cells) in enumerate(sheet.rows[:_HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for position in range(max(len(cells), len(above))):
            field = lookup.get(header_key(cells[position])) if position < len(cells) else None
            if field is None and position < len(above):
                field = lookup.get(header_key(above[position]))
            if field and field not in columns:
                columns[field] = position
        if all(f in columns for f in required):
            return Header(row_no, index, columns)
        above = cells
    return None
