"""Turning a scanned or typed payload into roster students; pluggable per school.

The real CHSI capture-code payload is not public, so the default decoders only match
what the roster holds (采集码, student number, ID number) and the station's own slip
format. A school with a known payload format installs a decoder under the entry-point
group `photo_station.decoders` (an object with `name` and `match(db, payload)`).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass
from importlib.metadata import entry_points
from collections.abc import Callable
from typing import Protocol

import sqlite_utils

from station.roster import idnumber, store
from station.roster.store import Student

SLIP_PREFIX = "PS1"
MAX_PAYLOAD = 256
_UNPRINTABLE = {"Cc", "Cf", "Cs", "Co", "Cn"}  # control, format (invisible), surrogate, private, unassigned
_ID_LIKE = re.compile(r"\d(?:[\s-]?\d){13,}[\s-]?[\dXx]?")


class Decoder(Protocol):
    name: str

    def match(self, db: sqlite_utils.Database, payload: str) -> list[Student]: ...


@dataclass(frozen=True)
class ColumnDecoder:
    """Match of the payload against one roster column: exactly, or ignoring ASCII case."""

    name: str
    column: str
    normalize: Callable[[str], str] = str
    ignore_case: bool = False

    def match(self, db: sqlite_utils.Database, payload: str) -> list[Student]:
        return store.find_by(db, self.column, self.normalize(payload), self.ignore_case)


def slip_payload(student_no: str) -> str:
    """The station's own slip QR: 'PS1:<student_no>:<crc32>', the checksum catching misreads."""
    return f"{SLIP_PREFIX}:{student_no}:{_slip_check(student_no)}"


def _slip_check(student_no: str) -> str:
    return f"{zlib.crc32(student_no.encode('utf-8')):08X}"


@dataclass(frozen=True)
class SlipDecoder:
    name: str = "slip"

    def match(self, db: sqlite_utils.Database, payload: str) -> list[Student]:
        parts = payload.split(":")
        if len(parts) != 3 or parts[0] != SLIP_PREFIX or _slip_check(parts[1]) != parts[2].upper():
            return []
        return store.find_by(db, "student_no", parts[1])


def default_decoders() -> list[Decoder]:
    plugins = [ep.load() for ep in entry_points(group="photo_station.decoders")]
    return [
        SlipDecoder(),
        *plugins,
        ColumnDecoder("capture_code", "capture_code"),
        ColumnDecoder("student_no", "student_no"),
        ColumnDecoder("id_number", "id_number", idnumber.normalize),
        # only when nothing matches exactly: a scanner typing with Caps Lock on sends "cjm0001" for "CJM0001"
        ColumnDecoder("capture_code", "capture_code", ignore_case=True),
        ColumnDecoder("student_no", "student_no", ignore_case=True),
    ]


def shown_code(payload: str) -> str:
    """A code as it may be printed or shown: anything that may be an ID number (a run of 14 or more digits,
    spaced or dashed, typed with one too many or too few) masked to its first 6 and last 4 characters,
    invisible characters shown as �, a long payload cut short."""
    shown = _ID_LIKE.sub(lambda m: idnumber.mask(re.sub(r"[\s-]", "", m[0])), payload)
    shown = "".join("\ufffd" if unicodedata.category(c) in _UNPRINTABLE else c for c in shown)
    return shown if len(shown) <= 40 else shown[:37] + "…"


def clean_payload(raw: str) -> str | None:
    """Printable, trimmed, NFKC text of sane length; None for anything else (treated as unknown)."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text or len(text) > MAX_PAYLOAD:
        return None
    if any(unicodedata.category(c) in _UNPRINTABLE for c in text):
        return None
    return text
