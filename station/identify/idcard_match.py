"""A resident ID card, read by a chip reader or the camera, matched to the roster.

The card resolves through the same lookup as a typed ID number (`identify` with the ID-number
decoder alone): only an exact match of a number whose GB 11643 check digit is right selects a
student, so a misread can never pick a classmate whose number is one digit away.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

import sqlite_utils

from station.i18n import Name, Text
from station.identify.decoders import ColumnDecoder
from station.identify.identify import Identification, Outcome, identify
from station.roster import idnumber

_BY_ID_NUMBER = ColumnDecoder("id_number", "id_number", idnumber.normalize)
NAME_MISMATCH = Text("证件姓名“{read}”与名单姓名“{name}”不一致，请核实本人",
                     "The card's name '{read}' differs from the roster's '{name}': check the person")


class CardSource(enum.Enum):
    CHIP = "chip"
    CAMERA = "camera"


@dataclass(frozen=True)
class CardRead:
    """One card read and looked up. `id_number` is whole in memory only: print or show `masked_id`."""

    source: CardSource
    id_number: str
    name_read: str | None  # the chip's name, or the camera's read beside 姓名 (None when not read with confidence)
    identification: Identification
    name_mismatch: Text | None = None

    @property
    def masked_id(self) -> str:
        return idnumber.mask(self.id_number)

    @property
    def student_no(self) -> str | None:
        return self.identification.student.student_no if self.identification.student else None

    @property
    def message(self) -> Text:
        return self.identification.message

    def to_json(self) -> dict:
        """The command line's object: the student read, the masked number, the name on the card
        (the roster's name when the camera matched a student but could not read the card's name with confidence)."""
        student = self.identification.student
        name = self.name_read if self.name_read else (student.name if student else None)
        return {"student_no": self.student_no, "id_number": self.masked_id, "name": name}


def match_card(db: sqlite_utils.Database, source: CardSource, id_number: str, name_read: str | None = None,
               now: dt.datetime | None = None) -> CardRead:
    """The roster student holding this (already validated) ID number, with the name read compared to theirs."""
    found = identify(db, id_number, now, decoders=[_BY_ID_NUMBER])
    masked = idnumber.mask(id_number)
    if found.outcome is Outcome.UNKNOWN:
        named = f"（证件姓名：{name_read}）" if name_read else ""
        named_en = f" (name on the card: {name_read})" if name_read else ""
        found = Identification(found.outcome, Text(
            f"名单中没有身份证号 {masked} 的学生{named}：请核对名单，或输入学号",
            f"No student with ID number {masked} in the roster{named_en}: check the roster or type the student number"))
    mismatch = None
    if found.student is not None and name_read and _plain(name_read) != _plain(found.student.name):
        mismatch = NAME_MISMATCH.format(read=Name(name_read), name=Name(found.student.name))
    return CardRead(source, id_number, name_read, found, mismatch)


def _plain(name: str) -> str:
    """Names compare without spaces and middle dots (维吾尔族 names are written 买买提·艾力 or 买买提艾力)."""
    return "".join(c for c in name if not c.isspace() and c not in "·•.・")
