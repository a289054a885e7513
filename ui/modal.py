"""A dialog asked once: shown modally, then let go.

A dialog made with the window as its parent belongs to the window in Qt: closed, it is only hidden, and it lived on
beside the window, its widgets and Python objects with it. A capture day asks many: in scripts/benchmark_soak.py's
day (session 37) every payment box stayed, with the total label it makes and never shows (16 widgets and 2 top-level
windows a student), and now and then an override, retake or identity reason box with its list. `ask` returns
exec()'s answer and deletes the dialog once control is back in the event loop it was asked from: its fields are still
read after it in the same slot, and a box opened after it (its own nested loop) does not delete it either."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog


def ask(dialog: QDialog) -> int:
    """dialog.exec(), the dialog deleted later (see the module's text)."""
    try:
        return dialog.exec()
    finally:
        dialog.deleteLater()
