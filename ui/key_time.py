"""When a key was pressed, read one way by every field that times keys (the code field, the reason boxes): a
keyboard-wedge scanner is told from a person by the gaps between the keys."""

from __future__ import annotations

import time

from PySide6.QtGui import QKeyEvent


def pressed_ms(event: QKeyEvent) -> float:
    """When the key was pressed: the stamp the window system put on it (X and Windows stamp every key in ms), not when
    the field got it. While the UI thread is busy with a frame a person's keys wait in the queue and come out together,
    a scanner's pace (on the walk a reason typed at 70 ms a key was cleared). An event with no stamp: now."""
    return float(event.timestamp()) if event.timestamp() else time.monotonic() * 1000
