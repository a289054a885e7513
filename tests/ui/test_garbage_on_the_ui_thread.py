"""A cycle holding a Qt object is freed on the UI thread, never by a worker thread's collection (ui.garbage): a
widget destroyed off the UI thread while its event loop ran crashed a test run (a segmentation fault in the print
dialog's loop while the worker wrote the PDF, s34)."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject

from ui import tasks


class CycleWithAQtObject:
    def __init__(self, freed_on: list[bool]) -> None:
        self.me, self.qt, self.freed_on = self, QObject(), freed_on

    def __del__(self) -> None:
        self.freed_on.append(threading.current_thread() is threading.main_thread())


def test_a_cycle_holding_a_qt_object_is_freed_on_the_ui_thread_whatever_thread_allocates(qtbot) -> None:
    tasks.install()
    freed_on: list[bool] = []
    CycleWithAQtObject(freed_on)  # garbage at once, only a collection frees it

    kept: list[list] = []

    def allocate() -> None:  # a worker's allocations (a font's tables, a still's results), kept for a while
        kept.extend([] for _ in range(200_000))

    worker = threading.Thread(target=allocate)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(freed_on), timeout=5000)  # the UI thread's timer
    assert freed_on == [True]
