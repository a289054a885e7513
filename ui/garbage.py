"""Python's cyclic garbage collection on the UI thread only.

A cycle holding a Qt object, once garbage, is freed by whichever thread's allocations set off a collection: the
station's worker (writing a PDF, checking a still), the camera's or the live checks' thread. A widget's C++ object was
then destroyed off the UI thread while the UI thread's event loop could be using it: a segmentation fault, seen once
in a loaded test run (the print dialog's loop while the worker wrote the PDF). As Anki does (aqt's GarbageCollector),
automatic collection is off and the UI thread collects on a timer, each generation when Python itself would have.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000  # a second's garbage waits at most; the cycles are small beside the frames freed by refcounting


def collect_due() -> int:
    """Collect the generations Python would have collected by now (their counts over their thresholds): on the
    calling thread, which is the UI thread's timer (or a test between tests). The objects found unreachable."""
    counts, thresholds, found = gc.get_count(), gc.get_threshold(), 0
    for generation in range(3):
        if thresholds[generation] == 0 or counts[generation] <= thresholds[generation]:
            break
        found += gc.collect(generation)
    return found


class UiThreadCollector(QObject):
    """Turns automatic collection off and collects on the thread it lives in (made on the UI thread)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(collect_due)
        self._timer.start(INTERVAL_MS)
