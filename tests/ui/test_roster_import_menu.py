"""名单 → 导入名单… through the real menu and file dialog: a header-only file is said to have no students, and an
import is in the audit trail as the signed-in photographer's."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from station.audit.trail import entries, verify
from tests.ui.conftest import on_next_dialog
from tests.ui.test_reference_photos_menu import pick, trigger
from ui.roster_dialogs import ImportReportDialog


def test_the_window_says_a_file_has_no_students_and_records_an_import(qtbot, make_window, frames: Path, station,
                                                                     tmp_path: Path) -> None:
    window = make_window(frames)
    blank, good = tmp_path / "空名单.csv", tmp_path / "补录名单.csv"
    blank.write_text("学号,姓名,班级\n", encoding="utf-8")
    good.write_text("学号,姓名,班级\n2099000001,新同学,补录班\n", encoding="utf-8")
    said: list[str] = []

    pick(blank)
    on_next_dialog(lambda box: (said.append(box.text()), box.accept()), kind=QMessageBox)
    trigger(window, "导入名单…")
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    assert said == ["名单文件 空名单.csv 只有表头，没有学生行，未导入任何学生：请确认选对了文件"]

    pick(good)
    on_next_dialog(lambda dialog: (said.append(dialog.table.rowCount()),
                                   dialog.accept()), kind=ImportReportDialog)
    trigger(window, "导入名单…")
    qtbot.waitUntil(lambda: len(said) == 2, timeout=10_000)
    [recorded] = [e for e in entries(station.db) if e.action == "roster"]
    assert recorded.operator == "测试摄影师"
    assert recorded.detail == {"file": "补录名单.csv", "imported": 1, "updated": 0, "unchanged": 0, "rejected": 0}
    assert verify(station.db).ok
