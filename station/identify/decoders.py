"""Turning a scanned or typed payload into roster students; pluggable per school.

The real CHSI capture-code payload is not public, so the default decoders only match
what the roster holds (采集码, student number, ID number) and the station's own slip
format. A school with a known payload format installs a decoder under the entry-point
group `photo_station.decoders` (an object with `name` and `match(db, payload)`).
"""

from __future__ import annotations

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


class Decoder(Protocol):
    name: str

    def match(self, db: sqlite_utils.Database, payload: str) -> list[Student]: ...


@dataclass(frozen=True)
class ColumnDecoder:
    """Exact match of the payload against one roster column."""

    name: str
    column: str
    normalize: Callable[[str], str] = str

    def match(self, db: sqlite_utils.Database, payload: str) -> list[Student]:
        value = self.normalize(payload)
        # a scanner typing with Caps Lock on sends "cjm0001" for "CJM0001"
        return store.find_by(db, self.column, value) or store.find_by(db, self.column, value, ignore_case=True)


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
    ]


def shown_code(payload: str) -> str:
    """A code as it may be printed or shown: an ID number masked (first 6 and last 4), a long one cut short."""
    if idnumber.looks_like_id(payload):
        return idnumber.mask(idnumber.normalize(payload))
    return payload if len(payload) <= 40 else payload[:37] + "…"


def clean_payload(raw: str) -> str | None:
    """Printable, trimmed, NFKC text of sane length; None for anything else (treated as unknown)."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text or len(text) > MAX_PAYLOAD:
        return None
    if any(unicodedata.category(c) in {"Cc", "Cf", "Cs", "Co", "Cn"} for c in text):
        return None
    return text
