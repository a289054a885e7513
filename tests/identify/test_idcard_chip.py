"""The chip reader route: the SAM protocol spoken by a simulated reader on a real pseudo-terminal,
read by the station's pyserial reader and matched against a real roster."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
import sqlite_utils

from station.context import Station
from station.identify.idcard_match import CardRead, CardSource, match_card
from station.identify.idcard_protocol import (
    Command, FrameError, Status, decode_reply, encode_command, parse_card, read_frame,
)
from station.identify.idcard_reader import CardPoller, ChipReader, ReaderError
from station.identify.idcard_watch import ChipWatcher
from station.roster.idnumber import check_digit
from tests.cli import json_lines, run_cli
from tests.identify.sam_simulator import SimCard, SimulatedReader, encode_reply
from tests.roster_kit import station_with_roster

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="the simulated reader needs a POSIX pseudo-terminal")

ZHANG = "11010520010305" + "123"
ZHANG += check_digit(ZHANG)
LI = ZHANG[:16] + "4"  # a classmate born the same day in the same district: one digit apart
LI += check_digit(LI)
STRANGER = "31010419990101" + "555"
STRANGER += check_digit(STRANGER)
ROSTER = (
    "学号,姓名,性别,身份证号,班级\n"
    f"2021001,张三,男,{ZHANG},软件2101\n"
    f"2021002,李四,女,{LI},软件2101\n"
    "2021003,王五,男,,软件2101\n"
)


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def read(self, size: int = 1) -> bytes:
        out, self._data = self._data[:size], self._data[size:]
        return out


@pytest.fixture
def station(home: Path, tmp_path: Path) -> Station:
    s = station_with_roster(home, tmp_path, ROSTER.encode("utf-8"))
    yield s
    s.close()


def test_command_frames_are_the_published_ones() -> None:
    assert encode_command(Command.FIND_CARD).hex() == "aaaaaa96690003200122"
    assert encode_command(Command.SELECT_CARD).hex() == "aaaaaa96690003200221"
    assert encode_command(Command.READ_TEXT_PHOTO).hex() == "aaaaaa96690003300132"
    assert encode_command(Command.SAM_ID).hex() == "aaaaaa9669000312ffee"


def test_replies_are_checked() -> None:
    good = encode_reply(Status.CARD_FOUND, b"\x00\x00\x00\x00")
    assert decode_reply(read_frame(_Bytes(good))).status == Status.CARD_FOUND
    for bad in (good[:-1] + bytes([good[-1] ^ 1]), good[:-3], b"\x00" + good[1:], b""):
        with pytest.raises(FrameError):
            read_frame(_Bytes(bad))
    with pytest.raises(FrameError):
        parse_card(b"\x01\x00\x00\x00" + b"\x00" * 10)  # says 256 bytes of text, sends 10


def read_and_match(reader: CardPoller, db: sqlite_utils.Database) -> CardRead | None:
    """The card on the reader matched to the roster, or None when no card is on it (as CaptureSession.card_laid
    matches what the chip watcher polled)."""
    card = reader.poll()
    return None if card is None else match_card(db, CardSource.CHIP, card.id_number, card.name)


def test_good_card_is_read_and_matched(station: Station) -> None:
    with SimulatedReader(SimCard("张三", "1", ZHANG)) as sim, ChipReader(sim.port) as reader:
        found = read_and_match(reader, station.db)
    assert found is not None and found.source is CardSource.CHIP
    assert (found.student_no, found.name_read, found.name_mismatch) == ("2021001", "张三", None)
    assert found.to_json() == {"student_no": "2021001", "id_number": ZHANG[:6] + "********" + ZHANG[-4:], "name": "张三"}
    assert sim.commands == [Command.FIND_CARD, Command.SELECT_CARD, Command.READ_TEXT_PHOTO]


def test_name_that_differs_from_the_roster_is_said(station: Station) -> None:
    found = match_card(station.db, CardSource.CHIP, LI, "李思")
    assert found.student_no == "2021002"
    assert found.name_mismatch is not None and "李思" in found.name_mismatch.zh and "李四" in found.name_mismatch.zh


def test_card_not_in_roster_names_the_name_read_and_masks_the_number(station: Station) -> None:
    found = match_card(station.db, CardSource.CHIP, STRANGER, "赵六")
    assert found.student_no is None
    assert "赵六" in found.message.zh and "赵六" in found.message.en
    assert STRANGER not in found.message.zh and found.masked_id in found.message.zh


def test_a_reader_slow_to_read_the_card_is_waited_for(station: Station) -> None:
    with SimulatedReader(SimCard("张三", "1", ZHANG), read_delay_s=0.8) as sim, ChipReader(sim.port, 0.3) as reader:
        found = read_and_match(reader, station.db)
    assert found is not None and found.student_no == "2021001"
    assert sim.commands.count(Command.READ_TEXT_PHOTO) == 1  # not timed out and asked again


def test_no_card_on_the_reader(station: Station) -> None:
    with SimulatedReader(None) as sim, ChipReader(sim.port) as reader:
        assert read_and_match(reader, station.db) is None


def test_corrupt_replies_are_asked_for_again(station: Station) -> None:
    with SimulatedReader(SimCard("张三", "1", ZHANG), garble=2) as sim, ChipReader(sim.port) as reader:
        found = read_and_match(reader, station.db)
        assert found is not None and found.student_no == "2021001"
        assert sim.commands[:3] == [Command.FIND_CARD] * 3  # two garbled replies, then a good one
        sim.garble = 100
        with pytest.raises(ReaderError) as error:
            reader.poll()
    assert error.value.exit_code == 2 and "3" in error.value.text.zh


def test_a_wrong_check_digit_is_never_accepted(station: Station) -> None:
    wrong = ZHANG[:17] + ("0" if ZHANG[17] != "0" else "1")
    with SimulatedReader(SimCard("张三", "1", wrong)) as sim, ChipReader(sim.port) as reader:
        with pytest.raises(ReaderError) as error:
            read_and_match(reader, station.db)
    assert "校验位" in error.value.text.zh


def test_unplugged_reader_is_a_reader_error(station: Station) -> None:
    with SimulatedReader(SimCard("张三", "1", ZHANG)) as sim, ChipReader(sim.port) as reader:
        assert reader.poll() is not None
        sim.unplug()
        with pytest.raises(ReaderError) as error:
            reader.poll()
    assert error.value.exit_code == 2 and sim.port in error.value.text.zh


def test_the_reader_is_found_among_ports(tmp_path: Path) -> None:
    silent_master, silent_slave = os.openpty()  # a serial device that is not a reader: never answers
    try:
        with SimulatedReader(None) as sim:
            ports = [str(tmp_path / "nothing"), os.ttyname(silent_slave), sim.port]
            with ChipReader.find(ports, timeout_s=0.1) as reader:
                assert reader.port == sim.port
            with pytest.raises(ReaderError):
                ChipReader.find(ports[:2], timeout_s=0.1)
    finally:
        os.close(silent_master)
        os.close(silent_slave)


def test_cli_read_prints_the_card_and_exits_by_outcome(station: Station, home: Path, tmp_path: Path) -> None:
    with SimulatedReader(SimCard("张三", "1", ZHANG)) as sim:
        done = run_cli("idcard", "read", "--port", sim.port, "--json", home=home)
        assert done.returncode == 0, done.stderr.decode()
        assert json_lines(done) == [{"student_no": "2021001", "id_number": ZHANG[:6] + "********" + ZHANG[-4:],
                                     "name": "张三"}]
        assert ZHANG.encode() not in done.stdout + done.stderr
        sim.card = None
        done = run_cli("idcard", "read", "--port", sim.port, "--json", home=home)
        assert done.returncode == 1 and json_lines(done)[0]["error"] == "no_card"
    done = run_cli("idcard", "read", "--port", str(tmp_path / "unplugged"), home=home)
    assert done.returncode == 2 and done.stderr.strip() and b"Traceback" not in done.stderr


def test_vendor_dll_that_cannot_be_loaded_is_a_reader_error(tmp_path: Path) -> None:
    """The termb.dll route itself is untested (no such reader here); a DLL that is missing, or any DLL off
    Windows, is a reader error (exit 2), never a traceback."""
    from station.identify.idcard_termb import TermbReader

    with pytest.raises(ReaderError) as error:
        TermbReader(tmp_path / "termb.dll")
    assert error.value.exit_code == 2 and "termb.dll" in error.value.text.zh
    if os.name != "nt":  # said in words ("Windows only" in English inside the Chinese before)
        assert error.value.text.zh == f"阅读器驱动 {tmp_path / 'termb.dll'} 只能在 Windows 上使用：请改用串口阅读器（--port）"


def wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not condition():
        time.sleep(0.05)
    return condition()


def test_watcher_reports_a_card_once_and_survives_an_unplugged_reader() -> None:
    cards, states = [], []
    target = {}

    with SimulatedReader(SimCard("张三", "1", ZHANG)) as first:
        target["port"] = first.port
        watcher = ChipWatcher(lambda: ChipReader(target["port"], 0.2), cards.append,
                              lambda text, ok: states.append(ok), interval_s=0.05, max_backoff_s=0.2).start()
        try:
            assert wait_for(lambda: len(cards) == 1)
            time.sleep(0.5)  # the card rests on the reader: read again and again, reported once
            assert [c.id_number for c in cards] == [ZHANG] and len(first.commands) > 6
            first.unplug()
            assert wait_for(lambda: False in states)
            with SimulatedReader(SimCard("李四", "2", LI)) as second:  # plugged in again (a new port)
                target["port"] = second.port
                assert wait_for(lambda: len(cards) == 2)
                assert cards[1].name == "李四" and states[0] is True and states[-1] is True
        finally:
            watcher.stop()


def test_watcher_says_when_a_card_has_been_taken_off_the_reader() -> None:
    """A card resting on the reader is not gone; lifted, it is said gone once the repeat window has passed (the session
    then withdraws the switch the card asked for)."""
    cards, gone = [], []
    with SimulatedReader(SimCard("张三", "1", ZHANG)) as sim:
        watcher = ChipWatcher(lambda: ChipReader(sim.port, 0.2), cards.append, lambda text, ok: None, interval_s=0.05,
                              on_gone=gone.append).start()
        try:
            assert wait_for(lambda: len(cards) == 1)
            time.sleep(0.5)
            assert gone == []  # resting on the reader
            sim.card = None  # lifted
            assert wait_for(lambda: gone == [ZHANG])
        finally:
            watcher.stop()


def test_a_port_that_fails_is_said_in_words_not_pyserials(tmp_path: Path) -> None:
    """The reader's refusal read '…无法使用或已拔出：[Errno 2] could not open port …: [Errno 2] No such file or
    directory': pyserial's English inside the Chinese. Its words go to the log file."""
    with pytest.raises(ReaderError) as missing:
        ChipReader(str(tmp_path / "ttyUSB9"))
    assert missing.value.text.zh.endswith("无法使用或已拔出：没有这个串口，请检查阅读器是否插好"), missing.value.text.zh
    assert "is the reader plugged in?" in missing.value.text.en and "Errno" not in missing.value.text.en
    with SimulatedReader(SimCard("张三", "1", ZHANG)) as sim, ChipReader(sim.port) as reader:
        sim.unplug()
        with pytest.raises(ReaderError) as unplugged:
            reader.poll()
    said = unplugged.value.text
    assert "Errno" not in said.zh + said.en and re.search("[A-Za-z]{4,}", said.zh.replace(sim.port, "")) is None, said
