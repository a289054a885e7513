"""A window as tall as its wrapped lines need at the width it has."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def tall_enough(window: QWidget) -> None:
    """Qt sizes a window by its layout's size hint, which guesses a wrapped label's width: a line longer than guessed
    (English, mostly: 没有找到 USB 相机… takes two lines, "No USB camera found…" three) was cut at the bottom. The
    height is grown for the window's own width; adjustSize() would also narrow it to the wrapped text's width,
    clipping what stands beside it."""
    layout = window.layout()
    needed = layout.totalHeightForWidth(window.width())  # -1: nothing in it wraps
    window.resize(window.width(), max(window.height(), needed if needed >= 0 else window.sizeHint().height()))
    layout.activate()  # the lines get their wrapped height now, not at the next layout pass
