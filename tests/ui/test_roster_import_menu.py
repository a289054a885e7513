"""名单 → 导入名单… through the real menu and file dialog: a header-only file is said to have no students, and an
import is in the audit trail as the signed-in photographer's. The import runs off the UI thread: the live picture
goes on meanwhile, and the dialog says it is working and cannot be closed until the report is in."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from station.audit.trail import entries, verify
from tests.ui.conftest import on_next_dialog
from tests.ui.test_reference_photos_menu import pick, trigger
from ui.roster_dialogs import ImportReportDialog
from ui.tasks import run_task


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
    on_next_dialog(lambda dialog: (qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000),
                                   said.append(dialog.table.rowCount()), dialog.accept()), kind=ImportReportDialog)
    trigger(window, "导入名单…")
    qtbot.waitUntil(lambda: len(said) == 2, timeout=10_000)
    [recorded] = [e for e in entries(station.db) if e.action == "roster"]
    assert recorded.operator == "测试摄影师"
    assert recorded.detail == {"file": "补录名单.csv", "imported": 1, "updated": 0, "unchanged": 0, "rejected": 0}
    assert verify(station.db).ok
    # the reference photos are looked for where the roster was found, not in the home folder again
    starts: list[str] = []
    on_next_dialog(lambda dialog: (starts.append(dialog.directory().absolutePath()), dialog.reject()), kind=QFileDialog)
    trigger(window, "导入参考照片（文件夹）…")
    assert starts == [tmp_path.as_posix()]


def test_the_import_runs_off_the_ui_thread_and_the_dialog_waits_for_it(qtbot, make_window, frames: Path,
                                                                        tmp_path: Path) -> None:
    """The worker thread is held busy first: the dialog opens and says it is working while the UI thread is free
    (an import on the UI thread would never get there), cannot be closed with Esc, and shows the report after."""
    window = make_window(frames)
    roster = tmp_path / "补录名单.csv"
    roster.write_text("学号,姓名,班级\n2099000001,新同学,补录班\n2099000002,,补录班\n", encoding="utf-8")
    held = threading.Event()
    run_task(lambda: held.wait(10), lambda _: None)
    seen: list[tuple[str, bool, bool]] = []

    def look(dialog: ImportReportDialog) -> None:
        dialog.reject()  # Esc while the rows are being written: stays open
        seen.append((dialog.summary.text(), dialog.isVisible(), dialog.busy.isVisible()))
        held.set()
        qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
        seen.append((dialog.summary.text(), dialog.table.rowCount() == 1, dialog.busy.isVisible()))
        dialog.accept()

    pick(roster)
    on_next_dialog(look, kind=ImportReportDialog)
    trigger(window, "导入名单…")
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=15_000)
    assert seen == [("正在导入名单，请稍候…", True, True), ("新增 1 人，更新 0 人，未变 0 人，拒绝 1 行", True, False)]
