"""The SAM protocol that resident ID card chip readers (神思, 华视, 精伦 ...) speak over a serial port.

Host frames: preamble AA AA AA 96 69, a 2-byte big-endian length of everything after it, command,
parameter, data, checksum (XOR of the length bytes and everything after them up to the checksum).
Replies carry the same preamble and length, three status bytes 00 00 SW3, data and checksum.
Only what identification needs is parsed out of the card text: name and ID number; gender, birth date,
address, issuing authority and the photo are dropped where they are read.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import reduce
from typing import Protocol

PREAMBLE = bytes([0xAA, 0xAA, 0xAA, 0x96, 0x69])
TEXT_BYTES = 256  # 128 UTF-16 characters: the fields below
MAX_REPLY = 4096  # the longest real reply (text, photo and fingerprints) is about 2.3 kB


class Command(enum.Enum):
    SAM_ID = (0x12, 0xFF)
    FIND_CARD = (0x20, 0x01)
    SELECT_CARD = (0x20, 0x02)
    READ_TEXT_PHOTO = (0x30, 0x01)


class Status(enum.IntEnum):
    """SW3 of a reply; any other value is a reader error."""

    SUCCESS = 0x90
    CARD_FOUND = 0x9F
    NO_CARD = 0x80
    SELECT_FAILED = 0x81


class FrameError(Exception):
    """A reply that is cut short, does not start with the preamble, or fails its checksum: read it again."""


class ByteStream(Protocol):
    def read(self, size: int = 1) -> bytes: ...


@dataclass(frozen=True)
class Reply:
    status: int
    data: bytes


@dataclass(frozen=True)
class CardText:
    """The fields of the card's text block the station may use; nothing else is kept."""

    name: str
    id_number: str


def checksum(body: bytes) -> int:
    return reduce(lambda a, b: a ^ b, body, 0)


def _frame(payload: bytes) -> bytes:
    body = (len(payload) + 1).to_bytes(2, "big") + payload
    return PREAMBLE + body + bytes([checksum(body)])


def encode_command(command: Command, data: bytes = b"") -> bytes:
    return _frame(bytes(command.value) + data)


def read_frame(stream: ByteStream) -> bytes:
    """The payload of the next frame on `stream` (status or command bytes onward, checksum removed).

    Raises FrameError on silence (the stream's timeout), a cut-short frame or a wrong checksum.
    """
    head = stream.read(len(PREAMBLE))
    if head != PREAMBLE:
        raise FrameError("no reply" if not head else f"bad preamble {head.hex()}")
    size = stream.read(2)
    if len(size) < 2:
        raise FrameError("reply cut short in its length")
    length = int.from_bytes(size, "big")
    if not 3 <= length <= MAX_REPLY:
        raise FrameError(f"implausible length {length}")
    rest = stream.read(length)
    if len(rest) < length:
        raise FrameError(f"reply cut short: {len(rest)} of {length} bytes")
    if checksum(size + rest[:-1]) != rest[-1]:
        raise FrameError("checksum mismatch")
    return rest[:-1]


def decode_reply(payload: bytes) -> Reply:
    if len(payload) < 3 or payload[:2] != b"\x00\x00":
        raise FrameError(f"bad status bytes {payload[:3].hex()}")
    return Reply(payload[2], payload[3:])


_FIELDS = (("name", 15), ("gender", 1), ("nation", 2), ("birth", 8), ("address", 35), ("id_number", 18),
           ("authority", 15), ("valid_from", 8), ("valid_to", 8), ("reserved", 18))


def parse_card(data: bytes) -> CardText:
    """Name and ID number out of a read-text-and-photo reply's data."""
    if len(data) < 4:
        raise FrameError("card data cut short")
    text_len = int.from_bytes(data[:2], "big")
    if len(data) < 4 + text_len:
        raise FrameError(f"card text of {text_len} bytes, {len(data) - 4} sent")
    return parse_card_text(data[4:4 + text_len])


def parse_card_text(text_bytes: bytes) -> CardText:
    """The fields of the UTF-16LE text block (also what vendor DLLs write to wz.txt)."""
    if len(text_bytes) < TEXT_BYTES:
        raise FrameError(f"card text of {len(text_bytes)} bytes")
    try:
        text = text_bytes.decode("utf-16-le")
    except UnicodeDecodeError as exc:
        raise FrameError("card text is not UTF-16") from exc
    fields, start = {}, 0
    for key, width in _FIELDS:
        fields[key] = text[start:start + width].strip()
        start += width
    return CardText(name=fields["name"], id_number=fields["id_number"].upper())
