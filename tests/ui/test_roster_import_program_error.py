"""名单 → 导入名单… when the import fails with a program error, not a refusal (a StationError is said in a box): the
error goes to the error reporter and the dialog that said "importing…" closes. It refuses Esc and the title bar
until a report comes, so before this it stayed open for good with its moving bar and a greyed OK, over a window
that could no longer be used (the station had to be killed). The program error here is a real SQLite one: a trigger
on the students table aborts the import's first write."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from tests.ui.conftest import on_next_dialog
from tests.ui.test_reference_photos_menu import pick, trigger
from ui.roster_dialogs import ImportReportDialog
from ui.tasks import run_task


def test_a_program_error_closes_the_import_dialog(qtbot, make_window, frames: Path, station, tmp_path: Path) -> None:
    window = make_window(frames)
    roster = tmp_path / "补录名单.csv"
    roster.write_text("学号,姓名,班级\n2099000001,新同学,补录班\n", encoding="utf-8")
    station.db.conn.execute("CREATE TRIGGER broken BEFORE INSERT ON students "
                            "BEGIN SELECT RAISE(ABORT, 'a program error'); END")
    held = threading.Event()  # the worker is held until the dialog is seen open (a fast failure would beat the look)
    run_task(lambda: held.wait(10), lambda _: None)
    opened: list[ImportReportDialog] = []
    stuck: list[bool] = []

    def watch(dialog: ImportReportDialog) -> None:
        opened.append(dialog)
        held.set()
        try:
            qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
        except qtbot.TimeoutError:  # still open with its moving bar: closed here so that the test can end
            stuck.append(True)
            dialog.done(0)

    pick(roster)
    on_next_dialog(watch, kind=ImportReportDialog)
    try:
        with qtbot.capture_exceptions() as raised:
            trigger(window, "导入名单…")
    finally:
        held.set()
        station.db.conn.execute("DROP TRIGGER broken")
    assert opened and not stuck  # the dialog went by itself
    assert [kind for kind, _, _ in raised] == [sqlite3.IntegrityError]  # to the error reporter, with details
    assert opened[0].report is None
