"""The one way the window runs work off the UI thread and hears back (Picard's `run_task` / `to_main`,
Anki's `QueryOp`).

`to_main(call)` runs `call` on the UI thread, from any thread: the camera's, the scanner's, the live checks'.
`run_task(work, done)` runs `work` on the station's worker thread and then `done(result)` on the UI thread;
an error in `work` reaches the UI thread's error reporter (logged, shown once), or `failed` when given.
One worker thread, so tasks run in the order they were started: the shutter's engine is used by that thread
alone (its CHSI photo too, made after the checks: the preview keeps a core while a press is worked).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from ui.garbage import UiThreadCollector

T = TypeVar("T")


class _MainThread(QObject):
    call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.call.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @staticmethod
    def _run(call: Callable[[], None]) -> None:
        try:
            call()
        except Exception:  # noqa: BLE001 - as an error in any slot: to the window's error reporter
            sys.excepthook(*sys.exc_info())


_main: _MainThread | None = None
# One worker, so tasks run in the order given: a window taken over by another (a language switch) is deleted after
# an empty task queued behind its own has run (MainWindow.retire), which needs them all to have said their results.
_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="station-task")


def install() -> None:
    """Create the poster on the UI thread (call once, after the QApplication exists), and move Python's cyclic
    garbage collection there (ui.garbage: a Qt object freed by a worker thread's collection crashed the window)."""
    global _main
    if _main is None:
        _main = _MainThread()
        _main.moveToThread(QCoreApplication.instance().thread())
        UiThreadCollector(_main)


def to_main(call: Callable[[], None]) -> None:
    if _main is None:
        raise RuntimeError("ui.tasks.install() was not called on the UI thread")
    _main.call.emit(call)


def run_task(work: Callable[[], T], done: Callable[[T], None],
             failed: Callable[[BaseException], None] | None = None) -> None:
    def job() -> None:
        try:
            result = work()
        except Exception as exc:  # noqa: BLE001 - handed to the UI thread, where it is reported
            to_main(lambda error=exc: _fail(error, failed))  # bound now: `exc` is unset when the block ends
            return
        to_main(lambda: done(result))

    _worker.submit(job)


def _fail(exc: BaseException, failed: Callable[[BaseException], None] | None) -> None:
    if failed is not None:
        failed(exc)
    else:
        raise exc
