"""The disk under the station's data fills during the day (a real tmpfs made full, the kernel's ENOSPC): each write
the window commands says so in words, where it was asked (the message line, a payment dialog, a box), and the
station goes on. Before, SQLite's "database or disk is full" reached the window as a program error, and a Shift+F3
refused lost the mark it was to take back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from station.adapters.demo import DEMO_ROSTER
from station.fees.ledger import Method, entries
from tests.conftest import data_home
from tests.full_disk import full_under
from tests.ui.conftest import on_next_dialog
from tests.ui.reading import read
from tests.ui.test_reference_photos_menu import pick, trigger
from ui.payment_dialog import PaymentDialog

FULL = "磁盘空间不足"


@pytest.fixture
def home(tiny_disk: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The station's data folder on the small disk (the window's station fixture opens it)."""
    return data_home(tiny_disk / "home", monkeypatch)


def absent(station, student_no: str) -> bool:
    return station.db.execute("SELECT absent FROM students WHERE student_no = ?", [student_no]).fetchone() == (1,)


def test_a_full_disk_is_said_in_words_by_each_write_and_the_station_goes_on(qtbot, make_window, frames, station,
                                                                             home: Path) -> None:
    window = make_window(frames)
    marked = window.session.next_waiting()
    qtbot.keyClick(window.code_input, Qt.Key.Key_F3)  # marked before the disk filled
    assert read(window.message.text()).startswith(f"已将{marked.name}")
    window.identify("DEMO0001")
    filler = full_under(station.db, home.parent)

    with qtbot.capture_exceptions() as raised:
        qtbot.keyClick(window.code_input, Qt.Key.Key_F3)
        assert window.message.text().startswith(FULL)  # nobody more marked, said where F3 speaks
        qtbot.keyClick(window.code_input, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
        assert window.message.text().startswith(FULL)  # the first mark not taken back, and still there to take back

        said = []

        def pay(dialog: PaymentDialog) -> None:
            dialog.choose(Method.CASH)
            dialog.submit()
            said.append((dialog.isVisible(), dialog.error.text()))
            dialog.reject()

        on_next_dialog(pay, kind=PaymentDialog)
        qtbot.keyClick(window.code_input, Qt.Key.Key_F6)
        assert said and said[0][0] and said[0][1].startswith(FULL)  # the dialog stays, saying why

        said.clear()  # the class monitor pays for the class: the same
        on_next_dialog(lambda picker: picker.accept())  # the class at the camera, offered first
        on_next_dialog(pay, kind=PaymentDialog, wait_ms=40_000)
        trigger(window, "班级集体缴费…")
        assert said and said[0][0] and said[0][1].startswith(FULL)

        boxes = []
        pick(DEMO_ROSTER)
        on_next_dialog(lambda box: (boxes.append(box.text()), box.accept()), kind=QMessageBox)
        trigger(window, "导入名单…")
        qtbot.waitUntil(lambda: bool(boxes), timeout=20_000)
        assert boxes[0].startswith(FULL)
    assert not raised  # no program error
    assert not window.session.desk.fee_status("2021010101").paid and not entries(station.db)

    os.remove(filler)  # space freed: the same keys work
    qtbot.keyClick(window.code_input, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert read(window.message.text()).startswith(f"{marked.name}（{marked.student_no}）已回到排队名单")
    assert not absent(station, marked.student_no)
    on_next_dialog(lambda dialog: (dialog.choose(Method.CASH), dialog.submit()), kind=PaymentDialog)
    qtbot.keyClick(window.code_input, Qt.Key.Key_F6)
    assert window.session.desk.fee_status("2021010101").paid
