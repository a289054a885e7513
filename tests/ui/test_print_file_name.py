"""The print dialog's suggested file for a class whose name holds what a file name may not: schools write
2021级/软件1班 and 计科2101? (tests/server/test_class_names.py). The slash made a folder of its own on any OS, and
Windows refuses ? : * " < > | in a name."""

from __future__ import annotations

from pathlib import Path

from ui.print_dialog import PrintDialog

WINDOWS_REFUSES = set('<>:"/\\|?*')


def test_a_class_name_with_a_slash_or_a_question_mark_suggests_a_file_in_the_folder(qtbot, tmp_path: Path) -> None:
    classes = ["2021级/软件1班", "计科2101?"]
    dialog = PrintDialog(classes, None, tmp_path, lambda *args: None)
    qtbot.addWidget(dialog)
    for name in classes:
        dialog.classes.setCurrentText(name)
        suggested = dialog.file.chosen()
        assert suggested is not None and suggested.parent == tmp_path, suggested
        assert not WINDOWS_REFUSES & set(suggested.name) and suggested.suffix == ".pdf"
