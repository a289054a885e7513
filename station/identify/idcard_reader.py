"""A chip reader for resident ID cards on a serial port (USB CDC or a USB-serial bridge), with pyserial.

The reader is found by asking every serial port for its SAM id, or taken from the settings. A reply
that is cut short or fails its checksum is asked for again (a USB bridge drops bytes now and then);
a number whose GB 11643 check digit is wrong is never accepted.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterable
from typing import Protocol

import serial
from serial.tools import list_ports
from serial.tools.list_ports_common import ListPortInfo

from station.errors import StationError
from station.i18n import Text
from station.identify.idcard_protocol import (
    CardText, Command, FrameError, Reply, Status, decode_reply, encode_command, parse_card, read_frame,
)
from station.roster.idnumber import resident_id_problem

log = logging.getLogger(__name__)
BAUD = 115200
RETRIES = 3
READ_TIMEOUT_S = 2.0
EXIT_NO_CARD = 1
EXIT_READER_ERROR = 2

# a port that vanished fails in pyserial, in the OS call, or (POSIX) in termios when its buffers are flushed
_PORT_ERRORS: tuple[type[BaseException], ...] = (serial.SerialException, OSError)
try:
    import termios
    _PORT_ERRORS += (termios.error,)
except ImportError:  # Windows
    pass

MSG_NO_READER = Text("未找到身份证阅读器：请插好阅读器，或用 --port 指定串口",
                     "no ID card reader found: plug it in, or name its serial port with --port")
MSG_UNPLUGGED = Text("身份证阅读器（{port}）无法使用或已拔出：{error}",
                     "the ID card reader on {port} cannot be used or was unplugged: {error}")
MSG_GARBLED = Text("身份证阅读器（{port}）的应答连续 {n} 次出错，请重新放卡",
                   "the ID card reader on {port} answered badly {n} times in a row; put the card on again")
# why a port failed, in words (pyserial's own, "[Errno 2] could not open port …", go to the log file)
NO_SUCH_PORT = Text("没有这个串口，请检查阅读器是否插好", "there is no such port: is the reader plugged in?")
PORT_BUSY = Text("串口被其他程序占用，或没有权限使用", "another program holds the port, or it may not be used")
PORT_FAILED = Text("串口打不开或读写出错，请重新插拔阅读器", "the port cannot be opened or failed; plug the reader in again")
MSG_STATUS = Text("身份证阅读器返回错误状态 {status:02X}（{command}）",
                  "the ID card reader answered with error status {status:02X} ({command})")
MSG_BAD_NUMBER = Text("读到的身份证号无效：{problem}", "the ID number read is not valid: {problem}")


def port_problem(exc: BaseException) -> Text:
    """What a failed serial port means for the photographer; pyserial's text is logged."""
    log.warning("ID card reader port: %s", exc)
    number = getattr(exc, "errno", None)
    if isinstance(exc, FileNotFoundError) or number == errno.ENOENT:
        return NO_SUCH_PORT
    if isinstance(exc, PermissionError) or number in (errno.EACCES, errno.EBUSY):
        return PORT_BUSY
    return PORT_FAILED


class ReaderError(StationError):
    """The reader is missing, unplugged, or keeps answering badly (exit code 2)."""

    exit_code = EXIT_READER_ERROR


class CardPoller(Protocol):
    """A serial reader or a vendor DLL: the card on it now, or None."""

    def poll(self) -> CardText | None: ...

    def close(self) -> None: ...


def wired_ports(found: Iterable[ListPortInfo]) -> list[str]:
    """The serial ports a reader can be on: not Windows' serial links to paired Bluetooth devices (hardware ids
    BTHENUM\\...), whose opening waits for the phone or headset for seconds to half a minute each (pyserial #451)."""
    return sorted(info.device for info in found if not (info.hwid or "").upper().startswith("BTHENUM"))


class ChipReader:
    """One open reader. `poll()` reads the card on it, or None when there is none."""

    def __init__(self, port: str, timeout_s: float = 0.5) -> None:
        self.port = port
        self._timeout = timeout_s
        try:
            self._serial = serial.Serial(port, BAUD, timeout=timeout_s, write_timeout=timeout_s)
        except (*_PORT_ERRORS, ValueError) as exc:
            raise ReaderError(MSG_UNPLUGGED.format(port=port, error=port_problem(exc))) from exc

    @classmethod
    def find(cls, ports: Iterable[str] | None = None, timeout_s: float = 0.5) -> "ChipReader":
        """The first serial port (of `ports`, default every one the OS lists) whose device answers the SAM-id command."""
        if ports is None:
            ports = wired_ports(list_ports.comports())
        for port in ports:
            try:
                reader = cls(port, timeout_s)
            except ReaderError:
                continue
            try:
                reader.sam_id()
                return reader
            except ReaderError:
                reader.close()
        raise ReaderError(MSG_NO_READER)

    def close(self) -> None:
        try:
            self._serial.close()
        except _PORT_ERRORS:
            pass  # an unplugged reader has nothing left to close

    def __enter__(self) -> "ChipReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sam_id(self) -> bytes:
        reply = self._exchange(Command.SAM_ID)
        if reply.status != Status.SUCCESS:
            raise ReaderError(MSG_STATUS.format(status=reply.status, command="SAM id"))
        return reply.data

    def poll(self) -> CardText | None:
        """The card on the reader now, or None when there is none (or it was lifted mid-read).

        Raises ReaderError when the reader is gone, keeps garbling, or the card's number is invalid.
        """
        found = self._exchange(Command.FIND_CARD)
        if found.status == Status.NO_CARD:
            return None
        if found.status not in (Status.CARD_FOUND, Status.SUCCESS):
            raise ReaderError(MSG_STATUS.format(status=found.status, command="find card"))
        selected = self._exchange(Command.SELECT_CARD)
        if selected.status in (Status.SELECT_FAILED, Status.NO_CARD):
            return None
        if selected.status != Status.SUCCESS:
            raise ReaderError(MSG_STATUS.format(status=selected.status, command="select card"))
        return self._read_card()

    def _read_card(self) -> CardText:
        problem = None
        for _ in range(RETRIES):
            reply = self._exchange(Command.READ_TEXT_PHOTO)
            if reply.status != Status.SUCCESS:
                raise ReaderError(MSG_STATUS.format(status=reply.status, command="read card"))
            try:
                card = parse_card(reply.data)
            except FrameError:
                continue
            problem = resident_id_problem(card.id_number)
            if problem is None:
                return card
        # the frame's XOR checksum misses some double errors: a number that stays invalid is refused
        raise ReaderError(MSG_BAD_NUMBER.format(problem=problem) if problem else MSG_GARBLED.format(
            port=self.port, n=RETRIES))

    def _exchange(self, command: Command) -> Reply:
        """Send `command` and return its checked reply, asking again after a bad frame."""
        for _ in range(RETRIES):
            try:
                self._serial.reset_input_buffer()  # the rest of a garbled reply must not start the next one
                # the card's text and photo come over the radio first: readers take up to about a second
                self._serial.timeout = max(self._timeout, READ_TIMEOUT_S) if command is Command.READ_TEXT_PHOTO \
                    else self._timeout
                self._serial.write(encode_command(command))
                return decode_reply(read_frame(self._serial))
            except FrameError as exc:
                log.warning("ID card reader on %s: %s", self.port, exc)
            except _PORT_ERRORS as exc:
                raise ReaderError(MSG_UNPLUGGED.format(port=self.port, error=port_problem(exc))) from exc
        raise ReaderError(MSG_GARBLED.format(port=self.port, n=RETRIES))
