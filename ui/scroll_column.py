"""A column of widgets that scrolls when a small laptop screen cannot hold it, so what stays outside it (the
student card, the shutter, the review buttons) is always in view."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLayout, QScrollArea, QVBoxLayout, QWidget


def scroll_column(*parts: QWidget | QLayout) -> QScrollArea:
    column = QVBoxLayout()
    column.setContentsMargins(0, 0, 0, 0)
    for part in parts:
        if isinstance(part, QLayout):
            column.addLayout(part)
        else:
            column.addWidget(part)
    column.addStretch(1)
    content = QWidget()
    content.setLayout(column)
    scroll = QScrollArea()
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    scroll.setFocusPolicy(Qt.NoFocus)  # the code field keeps the keyboard
    return scroll
