"""A code scanned while a reason box is open (the next student already holding up their phone) must never
give the frame or the reason of one student to another: the very "this is not me" error the station is for."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QInputDialog

from station.adapters.demo import DEMO_REFERENCES
from station.capture.workflow import REVIEW_AT_LEAST
from tests.ui.conftest import answer_next_dialog, on_next_dialog, shoot
from tests.ui.test_identity_at_review import OVERRIDE, with_references
from tests.ui.test_closing_and_export import photograph


def scan_then_answer(window, code: str, reason: str) -> None:
    """While the next reason box is open, the scanner reads `code`; then the photographer gives `reason`."""
    def act(dialog: QInputDialog) -> None:
        window.identify(code)
        dialog.setTextValue(reason)
        dialog.accept()

    on_next_dialog(act)


def test_an_override_typed_while_another_student_was_scanned_takes_nothing(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")  # 林晓雯; the demo frame fails checks, so the shutter asks for a reason
    scan_then_answer(window, "DEMO0002", "已目视确认，系统误报")
    shoot(qtbot, window)
    assert window.session.workflow.shot is None  # 林晓雯's frame is not held for 陈浩然
    assert window.card.name.text() == "陈浩然" and "扫描了另一名学生" in window.message.text()
    assert window.session.station.db.execute("SELECT COUNT(*) FROM captures").fetchone()[0] == 0


def test_a_retake_reason_typed_while_another_student_was_scanned_is_not_theirs(qtbot, make_window,
                                                                               frames: Path) -> None:
    window = make_window(frames)
    photograph(qtbot, window, "DEMO0001")
    photograph(qtbot, window, "DEMO0002")
    window.identify("DEMO0001")
    scan_then_answer(window, "DEMO0002", "学生要求重拍")
    window.flow.ask_retake()  # F2 for 林晓雯
    assert window.session.workflow.student.name == "陈浩然" and window.session.workflow.retake_reason == ""
    assert "重拍没有开始" in window.message.text() and "F2" in window.message.text()



def scanned_into(dialog: QInputDialog, code: str) -> None:
    """A keyboard-wedge scanner reads `code` while `dialog` has the keyboard: a burst of keys, then its Enter."""
    box = dialog.findChild(QComboBox)
    QTest.keyClicks(box, code)
    QTest.keyClick(box, Qt.Key_Return)


def test_a_code_scanned_into_the_not_the_same_person_box_never_answers_it(qtbot, make_window, frames: Path, station,
                                                                          tmp_path: Path) -> None:
    """陈浩然's card, 林晓雯 at the camera: the box asks why another person's face should be saved, and a scan (a
    payment code, the next student's code) filled it and its Enter answered it. The box takes the scan out again,
    says so and waits; the photographer's own reason saves the photo."""
    with_references(station, tmp_path, {"2021010102": DEMO_REFERENCES / "2021010103.jpg"})
    window = make_window(frames)
    window.identify("DEMO0002")
    answer_next_dialog(OVERRIDE)
    shoot(qtbot, window)
    assert window.session.needs_identity_reason
    qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
    seen: list[tuple[bool, str, str]] = []

    def act(dialog: QInputDialog) -> None:
        for code in ("https://u.wechat.com/EXAMPLE", "DEMO0003"):
            scanned_into(dialog, code)
            seen.append((dialog.isVisible(), dialog.textValue(), dialog.labelText()))
        dialog.setTextValue("已核对身份证，确是本人")
        dialog.accept()

    on_next_dialog(act)
    window.flow.accept()
    assert [(shown, text) for shown, text, _ in seen] == [(True, ""), (True, "")]
    assert "扫码枪的输入不能作为原因" in seen[0][2]
    [row] = station.db.query("SELECT identity FROM captures WHERE student_no = '2021010102'")
    assert json.loads(row["identity"])["reason"] == "已核对身份证，确是本人"
