"""报表 → 打印照片 / 日报与班级报表: a refusal said inside the dialog is about the choices made when OK was pressed. Seen
on the walk: 没有可打印的照片：还没有已确认的照片：2021019901, said of the current student, stayed under the whole
class chosen next (a class with photos), as if that class had none. It goes once a choice changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from station.reports.write import write_report
from tests.ui.conftest import on_next_dialog
from ui.print_dialog import PrintDialog
from ui.report_dialog import ReportDialog


def refused(qtbot, dialog) -> str:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not dialog.writing, timeout=20_000)
    assert dialog.isVisible() and dialog.status.property("level") == "bad"
    return dialog.status.text()


def test_a_print_refusal_goes_when_another_class_is_chosen(qtbot, make_window, frames: Path, tmp_path: Path) -> None:
    window = make_window(frames)
    seen: list[tuple[str, str, bool]] = []

    def act(dialog: PrintDialog) -> None:
        dialog.whole_class.setChecked(True)
        dialog.classes.setCurrentIndex(dialog.classes.findText("演示2101"))  # nobody photographed yet
        dialog.file.path.setText(str(tmp_path / "class.pdf"))
        said = refused(qtbot, dialog)
        dialog.classes.setCurrentIndex(dialog.classes.findText("演示2102"))
        seen.append((said, dialog.status.text(), dialog.status.isVisible()))
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    on_next_dialog(act, kind=PrintDialog)
    window.print_photos()
    [(said, after, shown)] = seen
    assert said.startswith("没有可打印的照片")
    assert after == "" and not shown


def test_a_report_refusal_goes_when_the_file_name_is_changed(qtbot, station, tmp_path: Path) -> None:
    folder = tmp_path / "a folder"
    folder.mkdir()
    dialog = ReportDialog(["演示2101"], dt.date.today(), tmp_path,
                          lambda out, day, class_name: write_report(station.db, out, "zh", day, class_name))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.file.path.setText(str(folder))  # no .xlsx or .pdf ending: refused
    said = refused(qtbot, dialog)
    assert said
    dialog.file.path.setText(str(tmp_path / "day.xlsx"))
    assert dialog.status.text() == "" and not dialog.status.isVisible()
