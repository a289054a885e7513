"""报表 → 打印照片 and 报表 → 日报与班级报表 in the window: the dialog, the file written by the station, and the
box that says what was written (its 打开 hands the file to the system's viewer; here it is closed)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtWidgets import QMessageBox

from tests.printing.pdf_measure import measure_pdf
from tests.ui.conftest import on_next_dialog
from tests.ui.test_closing_and_export import photograph
from ui.print_dialog import PrintDialog
from ui.report_dialog import ReportDialog


def answer(kind, fill, seen: list[str]) -> None:
    """Fill in the next dialog of `kind` and accept it; then note the box that follows and close it."""
    def act(dialog) -> None:
        fill(dialog)
        on_next_dialog(lambda box: (seen.append(box.text()), box.reject()), kind=QMessageBox)
        dialog.accept()

    on_next_dialog(act, kind=kind)


def test_print_the_student_just_saved_then_the_day_report(qtbot, make_window, frames: Path, tmp_path: Path) -> None:
    window = make_window(frames)
    photograph(qtbot, window, "DEMO0001")
    seen: list[str] = []
    offered: list[str] = []

    def fill_print(dialog: PrintDialog) -> None:
        offered.append(dialog.student.text())
        dialog.file.path.setText(str(tmp_path / "photos.pdf"))

    answer(PrintDialog, fill_print, seen)
    window.print_photos()
    assert offered == ["当前学生：林晓雯（2021010101）"]  # the student just saved, preselected
    [page] = measure_pdf(tmp_path / "photos.pdf")
    assert len(page.images) == 8 and round(page.w) == 152
    assert "1 名学生，1 页" in seen[0]

    def fill_report(dialog: ReportDialog) -> None:
        dialog.file.path.setText(str(tmp_path / "day.pdf"))
        dialog.format.setCurrentIndex(1)
        dialog.format.setCurrentIndex(0)  # .xlsx: the file name follows the format
        dialog.classes.setCurrentIndex(dialog.classes.findText("演示2101"))

    answer(ReportDialog, fill_report, seen)
    window.write_report()
    book = load_workbook(tmp_path / "day.xlsx")
    assert book["班级汇总"]["A2"].value == "演示2101" and book["班级汇总"]["C2"].value == 1
    assert "中位时间" in book["当日统计"]["A3"].value and "1 张有识别时间" in book["当日统计"]["A3"].value
    assert "未拍摄 7 人" in seen[1]
