"""A box answered is let go: a capture day asks many (a payment, an override, retake or identity reason, each a dialog
made with the window as its parent), and they stayed hidden beside the window for the rest of the day with their
widgets: in scripts/benchmark_soak.py's day (session 37) every payment box with its total label (16 widgets and 2
top-level windows a student) and now and then a reason box. ui.modal.ask deletes each once it has been answered."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from tests.ui.conftest import answer_next_dialog, on_next_dialog, shoot
from tests.ui.test_closing_and_export import photograph
from tests.ui.test_print_and_report_menus import answer
from ui.payment_dialog import PaymentDialog
from ui.print_dialog import PrintDialog
from ui.report_dialog import ReportDialog


def counts(window) -> tuple[int, int, int]:
    """Dialogs under the window, widgets, top-level windows."""
    app = QApplication.instance()
    return len(window.findChildren(QDialog)), len(app.allWidgets()), len(app.topLevelWidgets())


def assert_let_go(qtbot, window, before: tuple[int, int, int]) -> None:
    """The counts back where they were, once the deletions have run in the event loop."""
    try:
        qtbot.waitUntil(lambda: counts(window) == before, timeout=5_000)
    except qtbot.TimeoutError:
        pass
    assert counts(window) == before, "(dialogs under the window, widgets, top-level windows)"


def test_a_students_turn_leaves_no_box_behind(qtbot, make_window, frames: Path) -> None:
    """Three students' turns through the window's keys: F6 and its payment box, the shutter refused for the demo
    student's smile and its override box answered, the photo accepted (its face check's box answered where it
    asks). Each adds no dialog, widget or window."""
    window = make_window(frames)
    before = counts(window)
    for code in ("DEMO0005", "DEMO0006", "DEMO0007"):
        window.identify(code)
        on_next_dialog(lambda dialog: dialog.submit(), kind=PaymentDialog)
        qtbot.keyClick(window.code_input, Qt.Key.Key_F6)
        assert window.session.desk.fee_status(window.session.student.student_no).paid
        answer_next_dialog("已目视确认，系统误报")  # the override box: she smiles
        shoot(qtbot, window)
        assert window.review.isVisible(), window.message.text()
        if window.session.needs_identity_reason:  # a face unlike their enrolment photo: its box, answered
            answer_next_dialog("已核对身份证，确是本人")
        window.review.accept_button.click()
        assert window.session.student is None, window.message.text()  # saved
    assert_let_go(qtbot, window, before)


def test_the_print_and_report_boxes_are_let_go_once_written_or_cancelled(qtbot, make_window, frames: Path,
                                                                          tmp_path: Path) -> None:
    """报表 → 打印照片 and 日报与班级报表, each answered (the file written off the UI thread, the box saying so closed)
    or cancelled: each stayed a hidden child of the window, its file row and progress bar with it."""
    window = make_window(frames)
    photograph(qtbot, window, "DEMO0001")
    before = counts(window)
    seen: list[str] = []
    answer(PrintDialog, lambda dialog: dialog.file.path.setText(str(tmp_path / "photos.pdf")), seen)
    window.print_photos()
    answer(ReportDialog, lambda dialog: dialog.file.path.setText(str(tmp_path / "day.xlsx")), seen)
    window.write_report()
    on_next_dialog(lambda dialog: dialog.reject(), kind=PrintDialog)
    window.print_photos()
    assert (tmp_path / "photos.pdf").is_file() and (tmp_path / "day.xlsx").is_file() and len(seen) == 2
    assert_let_go(qtbot, window, before)
