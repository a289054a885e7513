"""报表 → 打印照片 and 报表 → 日报与班级报表 in the window: the dialog, the file written by the station off the UI
thread while the dialog says it is working, an error said inside the dialog, and the box that says what was written
(its 打开 hands the file to the system's viewer; here it is closed)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from tests.printing.pdf_measure import measure_pdf
from tests.ui.conftest import on_next_dialog
from tests.ui.test_closing_and_export import photograph
from ui.print_dialog import PrintDialog
from ui.report_dialog import ReportDialog


def press_ok(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def answer(kind, fill, seen: list[str], while_writing: list[tuple[bool, bool, str]] | None = None) -> None:
    """Fill in the next dialog of `kind` and press OK; note what it shows right after (still writing, OK resting,
    its status line), then the box that follows, and close that."""
    def act(dialog) -> None:
        fill(dialog)
        on_next_dialog(lambda box: (seen.append(box.text()), box.reject()), kind=QMessageBox)
        press_ok(dialog)
        if while_writing is not None:
            ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
            while_writing.append((dialog.writing, ok.isEnabled(), dialog.status.text()))

    on_next_dialog(act, kind=kind)


def test_print_the_student_just_saved_then_the_day_report(qtbot, make_window, frames: Path, tmp_path: Path) -> None:
    window = make_window(frames)
    photograph(qtbot, window, "DEMO0001")
    seen: list[str] = []
    offered: list[str] = []

    def fill_print(dialog: PrintDialog) -> None:
        offered.append(dialog.student.text())
        dialog.file.path.setText(str(tmp_path / "photos.pdf"))

    working: list[tuple[bool, bool, str]] = []
    answer(PrintDialog, fill_print, seen, working)
    window.print_photos()
    # the student just saved, preselected, and said to be that (当前学生 beside the emptied card read as a mistake)
    assert offered == ["刚拍完的学生：林晓雯（2021010101）"] and window.session.student is None
    # OK returned at once: the PDF was written on the worker thread while the dialog said so, its OK resting
    assert working == [(True, False, "正在生成 photos.pdf，请稍候…")]
    [page] = measure_pdf(tmp_path / "photos.pdf")
    assert len(page.images) == 8 and round(page.w) == 152
    assert "1 名学生，1 页" in seen[0]

    def fill_report(dialog: ReportDialog) -> None:
        offered.append(str(dialog.file.chosen().parent))  # beside the PDF just written, not the home folder
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
    assert offered[1] == str(tmp_path)


def test_a_whole_class_print_offers_the_current_students_class(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0010")  # 黄诗琪 of 演示2102, the second class
    offered: list[tuple[str, bool, str]] = []
    on_next_dialog(lambda dialog: (offered.append((dialog.classes.currentText(), dialog.student.isChecked(),
                                                   dialog.student.text())), dialog.reject()), kind=PrintDialog)
    window.print_photos()
    # the student first, as 当前学生 (on the card); 整个班级 offers her class, not the first one
    assert offered == [("演示2102", True, "当前学生：黄诗琪（2021010202）")]


def test_an_error_is_said_in_the_dialog_which_stays_open(qtbot, make_window, frames: Path, tmp_path: Path) -> None:
    window = make_window(frames)
    said: list[tuple[str, str, bool]] = []
    sizes: list[tuple[int, int, bool, bool]] = []

    def act(dialog: PrintDialog) -> None:
        dialog.whole_class.setChecked(True)
        dialog.classes.setCurrentIndex(dialog.classes.findText("演示2101"))  # nobody photographed yet
        dialog.file.path.setText(str(tmp_path / "class.pdf"))
        before = dialog.width()
        press_ok(dialog)
        qtbot.waitUntil(lambda: not dialog.writing, timeout=20_000)
        said.append((dialog.status.text(), dialog.status.property("level"), dialog.isVisible()))
        status = dialog.status
        sizes.append((before, dialog.width(), status.height() >= status.heightForWidth(status.width()),
                      dialog.paper.width() >= dialog.paper.sizeHint().width()))
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # the way back, by keyboard

    on_next_dialog(act, kind=PrintDialog)
    window.print_photos()
    [(text, level, open_)] = said
    assert text.startswith("没有可打印的照片") and level == "bad" and open_
    # the refusal is read whole, and the choices above it keep their width (the paper's name is not clipped)
    [(before, after, read_whole, paper_unclipped)] = sizes
    assert after == before and read_whole and paper_unclipped
    assert not (tmp_path / "class.pdf").exists()


def test_the_suggested_file_names_speak_the_windows_language(qtbot, tmp_path: Path) -> None:
    """In English the files offered are photos_… and day_report_…, in Chinese 证件照_… and 采集日报_…"""
    import datetime as dt

    from ui.i18n import language, set_language

    def names() -> tuple[str, str]:
        printing = PrintDialog(["计科2101"], ("2021010101", "林晓雯", "计科2101"), tmp_path, lambda *args: None)
        report = ReportDialog(["计科2101"], dt.date(2025, 5, 20), tmp_path, lambda *args: None)
        qtbot.addWidget(printing)
        qtbot.addWidget(report)
        return Path(printing.file.path.text()).name, Path(report.file.path.text()).name

    before = language()
    try:
        set_language("en")
        english = names()
        set_language("zh")
        chinese = names()
    finally:
        set_language(before)
    assert english == ("photos_2021010101.pdf", "day_report_2025-05-20.xlsx")
    assert chinese == ("证件照_2021010101.pdf", "采集日报_2025-05-20.xlsx")
