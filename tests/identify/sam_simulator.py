"""A simulated chip reader on a pseudo-terminal: pyserial opens the slave path, a thread answers on the master.

It speaks the SAM protocol as a reader does (its replies and the card's text block are built here, from the
protocol's layout, not by the station's parser run backwards), holds one card (or none), can garble a number of
replies, and can be unplugged (the master closed) mid-session. POSIX only, like os.openpty.
"""

from __future__ import annotations

import os
import select
import threading
import time
import tty
from dataclasses import dataclass

from station.identify.idcard_protocol import PREAMBLE, Command, FrameError, Status, checksum, read_frame

PHOTO_BYTES = 1024  # the card's photo (WLT-compressed), sent after the text; the station drops it
# The card's 256-byte text block: UTF-16LE characters per field, space padded (GA 450)
CARD_TEXT = (("name", 15), ("gender", 1), ("nation", 2), ("birth", 8), ("address", 35), ("id_number", 18),
             ("authority", 15), ("valid_from", 8), ("valid_to", 8), ("reserved", 18))


def encode_reply(status: int, data: bytes = b"") -> bytes:
    """What a reader sends: preamble, length, status bytes 00 00 SW3, data, checksum."""
    body = (len(data) + 4).to_bytes(2, "big") + bytes([0x00, 0x00, status]) + data
    return PREAMBLE + body + bytes([checksum(body)])


def card_block(text: bytes, photo: bytes) -> bytes:
    """The data of a read-text-and-photo reply: the two lengths, then the text and the photo."""
    return len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo


def encode_card_text(name: str, gender_code: str, birth: str, id_number: str, address: str = "",
                     authority: str = "", valid: tuple[str, str] = ("", "")) -> bytes:
    """The 256-byte UTF-16LE text block of a card, space padded."""
    values = {"name": name, "gender": gender_code, "nation": "01", "birth": birth, "address": address,
              "id_number": id_number, "authority": authority, "valid_from": valid[0], "valid_to": valid[1],
              "reserved": ""}
    return "".join(values[key][:width].ljust(width) for key, width in CARD_TEXT).encode("utf-16-le")


@dataclass
class SimCard:
    name: str
    gender_code: str
    id_number: str
    address: str = "北京市朝阳区某某路1号院2号楼301室"
    authority: str = "北京市公安局朝阳分局"

    def text(self) -> bytes:
        return encode_card_text(self.name, self.gender_code, self.id_number[6:14], self.id_number,
                                self.address, self.authority, ("20200101", "20300101"))


class _MasterStream:
    """Blocking reads of exactly n bytes from the pty master, given up when the simulator stops."""

    def __init__(self, fd: int, stop: threading.Event) -> None:
        self._fd, self._stop, self._buffer = fd, stop, b""

    def read(self, size: int = 1) -> bytes:
        while len(self._buffer) < size and not self._stop.is_set():
            ready, _, _ = select.select([self._fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self._fd, 4096)
                except OSError:
                    return b""
                self._buffer += chunk
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


class SimulatedReader:
    def __init__(self, card: SimCard | None = None, garble: int = 0, read_delay_s: float = 0.0) -> None:
        self.card = card
        self.garble = garble  # how many of the next replies arrive with one byte flipped
        self.read_delay_s = read_delay_s  # a real reader reads the card over the radio before it answers
        self.commands: list[Command] = []
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.port = os.ttyname(self._slave)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="simulated ID card reader", daemon=True)

    def __enter__(self) -> "SimulatedReader":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.unplug()
        os.close(self._slave)

    def unplug(self) -> None:
        if not self._stop.is_set():
            self._stop.set()
            self._thread.join(2)
            os.close(self._master)

    def _serve(self) -> None:
        stream = _MasterStream(self._master, self._stop)
        while not self._stop.is_set():
            try:
                payload = read_frame(stream)
            except FrameError:
                continue
            command = Command(tuple(payload[:2]))
            self.commands.append(command)
            reply = self._answer(command)
            if command is Command.READ_TEXT_PHOTO:
                time.sleep(self.read_delay_s)
            if self.garble > 0:
                self.garble -= 1
                reply = reply[:-2] + bytes([reply[-2] ^ 0x5A]) + reply[-1:]
            os.write(self._master, reply)

    def _answer(self, command: Command) -> bytes:
        if command is Command.SAM_ID:
            return encode_reply(Status.SUCCESS, bytes(range(16)))
        if self.card is None:
            return encode_reply(Status.NO_CARD if command is Command.FIND_CARD else Status.SELECT_FAILED)
        if command is Command.FIND_CARD:
            return encode_reply(Status.CARD_FOUND, bytes(4))
        if command is Command.SELECT_CARD:
            return encode_reply(Status.SUCCESS, bytes(8))
        return encode_reply(Status.SUCCESS, card_block(self.card.text(), bytes(PHOTO_BYTES)))
