"""A code scanned while a reason box is open (the next student already holding up their phone) must never
give the frame or the reason of one student to another: the very "this is not me" error the station is for."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog

from tests.ui.conftest import on_next_dialog, shoot
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
