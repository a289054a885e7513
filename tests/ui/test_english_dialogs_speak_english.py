"""Every dialog an English-speaking photographer meets with --lang en speaks English: each one the menus open (a roster
refused and one with rows rejected, reference photos refused, fetched with no server, class slots, the student picker,
a class paying together, failed uploads, the USB export, the server's settings line, printing, the day report, the
camera, the backdrop, the output profile), the payment box, the shutter's reason box, the review, the identity
question, the retake's reason and the closing question. Chinese is allowed only as data: the roster's names, classes,
colleges and majors, the photographer's name, and a word put into a message whole (station.i18n.Name: the Chinese
column headers a school's file has). The s33 English walk found the roster's header refusal saying "(学 / 号)"."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from station.adapters.demo import DEMO_DIR, DEMO_REFERENCES
from station.capture.workflow import REVIEW_AT_LEAST
from station.i18n import WORD_JOINER
from station.privacy import mask_name
from tests.ui.conftest import shoot
from tests.ui.menus import menu_action, words
from tests.ui.reading import read, texts_on_screen
from tests.ui.test_identity_at_review import with_references
from tests.ui.test_reference_photos_menu import choosing

CJK = "\u4e00-\u9fff\u3000-\u303f\uff00-\uffef"
CHINESE = re.compile(f"[{CJK}]")  # characters and full-width punctuation
WHOLE_WORD = re.compile(f"[{CJK}](?:{WORD_JOINER}[{CJK}])+")  # a word put into a message whole (station.i18n.Name)


class Dialogs:
    """Each modal dialog that opens: what it says is noted, then it is answered by the next of `answers` (None:
    closed with Esc's reject), as a photographer would."""

    def __init__(self) -> None:
        self.said: dict[str, list[str]] = {}
        self.answers: list[Callable[[QDialog], None] | None] = []
        self.step = ""
        self._handled: set[int] = set()
        self._timer = QTimer()
        self._timer.timeout.connect(self._look)
        self._timer.start(50)

    def _look(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or id(dialog) in self._handled or not dialog.isVisible():
            return
        self._handled.add(id(dialog))
        QTimer.singleShot(200, lambda: self._answer(dialog))  # its text set once it shows (a report filled in)

    def _answer(self, dialog: QDialog) -> None:
        if not dialog.isVisible():
            return
        if getattr(dialog, "working", False):  # an import still at work: read once it is done
            QTimer.singleShot(100, lambda: self._answer(dialog))
            return
        self.said[f"{self.step} {len(self.said)}: {type(dialog).__name__}"] = texts_on_screen(dialog)
        answer = self.answers.pop(0) if self.answers else None
        self._handled.discard(id(dialog))
        (answer or QDialog.reject)(dialog)

    def run(self, qtbot, step: str, start: Callable[[], object], *answers: Callable[[QDialog], None] | None) -> None:
        self.step, self.answers = step, list(answers)
        start()
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None and not self.answers, timeout=20_000)

    def stop(self) -> None:
        self._timer.stop()


def answer_with(text: str) -> Callable[[QDialog], None]:
    def act(dialog: QDialog) -> None:
        dialog.setTextValue(text)
        dialog.accept()
    return act


def not_english(window, said: dict[str, list[str]]) -> dict[str, list[str]]:
    """The texts of each dialog that hold Chinese other than data."""
    data = {window.session.operator}
    for row in window.session.desk.roster_rows():
        s = row.student
        data |= {s.name, mask_name(s.name), s.class_name, s.college, s.major}
    found = {}
    for dialog, texts in said.items():
        left = []
        for text in texts:
            text = read(WHOLE_WORD.sub("", text))
            for value in sorted(filter(None, data), key=len, reverse=True):
                text = text.replace(value, "")
            if CHINESE.search(text):
                left.append(text)
        if left:
            found[dialog] = left
    return found


def test_every_dialog_of_the_menus_speaks_english(qtbot, english, make_window, frames: Path, tmp_path: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    qtbot.waitUntil(lambda: window.session.student is not None, timeout=5_000)
    no_header = tmp_path / "list.csv"
    no_header.write_text("No,Who\n1,A\n", encoding="utf-8")
    rejected = tmp_path / "exchange.csv"
    rejected.write_text("学号,姓名,班级\n20219999,Tom Smith,Exchange 1\n2021abc,,Exchange 1\n", encoding="utf-8")
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "2021010102.jpg").write_bytes(b"not a photo")
    (photos / "nobody.jpg").write_bytes(b"not a photo")
    dialogs = Dialogs()
    try:
        def menu(text: str) -> Callable[[], None]:
            return menu_action(window, text).trigger

        dialogs.run(qtbot, "roster refused", menu("Import roster…"), choosing(no_header), None)
        dialogs.run(qtbot, "rows rejected", menu("Import roster…"), choosing(rejected), None)
        dialogs.run(qtbot, "photos refused", menu("Import reference photos (folder)…"), choosing(photos), None)
        dialogs.run(qtbot, "photos from a zip", menu("Import reference photos (zip)…"), None)
        dialogs.run(qtbot, "no server", menu("Fetch reference photos from the server"), None)
        dialogs.run(qtbot, "slots", menu("Class capture slots…"), None)
        dialogs.run(qtbot, "picker", menu("Pick a student…"), None)
        dialogs.run(qtbot, "class pays", menu("Class pays together…"), answer_with("演示2101"), None)
        dialogs.run(qtbot, "failed", menu("Failed uploads…"), None)
        dialogs.run(qtbot, "usb", menu("Export to USB stick…"), None)
        dialogs.run(qtbot, "server", menu("Connect to the server…"), answer_with("photo-station server-config --url x"),
                    None)  # the line refused, in a message box
        dialogs.run(qtbot, "print", menu("Print photos (2-inch x 8)…"), None)
        dialogs.run(qtbot, "report", menu("Day and class report…"), None)
        dialogs.run(qtbot, "camera", menu("Camera…"), None)
        station_menu = [a for top in window.menuBar().actions() if top.menu() for a in top.menu().actions()]
        for entry in ("Output profile", "Calibrate the backdrop"):
            action = next(a for a in station_menu if words(a.text()).startswith(entry))
            dialogs.run(qtbot, entry, action.trigger, None)
        dialogs.run(qtbot, "payment", window.pay_button.click, None)
    finally:
        dialogs.stop()
    assert len(dialogs.said) == 22, list(dialogs.said)  # each step met its dialogs (file dialogs, the boxes after)
    assert any("Student No., Name and Class" in " ".join(texts) for texts in dialogs.said.values())
    assert not_english(window, dialogs.said) == {}


def test_the_shutters_dialogs_and_the_review_speak_english(qtbot, english, make_window, frames: Path, station,
                                                           tmp_path: Path) -> None:
    with_references(station, tmp_path, {"2021010103": DEMO_REFERENCES / "2021010103.jpg",
                                        "2021010101": DEMO_DIR / "kiosk" / "02_good_shifted.jpg"})
    window = make_window(frames)
    dialogs = Dialogs()
    try:
        window.identify("DEMO0003")  # 王思远's code; 林晓雯 at the camera, on her enrolment photo
        dialogs.run(qtbot, "override", lambda: shoot(qtbot, window), answer_with("checked by eye: a false alarm"))
        qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
        dialogs.said["review"] = texts_on_screen(window)
        dialogs.run(qtbot, "identity", window.flow.accept, None)  # not saved: Esc
        window.flow.escape()
        window.identify("DEMO0001")
        dialogs.run(qtbot, "override", lambda: shoot(qtbot, window), answer_with("checked by eye: a false alarm"))
        qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
        window.flow.accept()
        window.identify("DEMO0001")
        dialogs.said["photographed"] = texts_on_screen(window)
        dialogs.run(qtbot, "retake", window.flow.ask_retake, None)
        dialogs.run(qtbot, "closing", window.close, None)  # Cancel: the station stays open
    finally:
        dialogs.stop()
    assert {"override", "identity", "retake", "closing"} <= {key.split()[0] for key in dialogs.said}, list(dialogs.said)
    assert any("enrolment photo" in text for text in dialogs.said["review"])
    assert not_english(window, dialogs.said) == {}
