"""A column of widgets that scrolls when a small laptop screen cannot hold it, so what stays outside it (the
student card, the shutter, the review buttons) is always in view."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QLayout, QScrollArea, QVBoxLayout, QWidget


def line_ends(label: QLabel, content: QWidget) -> list[int]:
    """Where each of a wrapped label's lines ends in `content` (y), its last at the label's own bottom (padding and
    all): the places a fold may fall without cutting a line."""
    text = label.contentsRect()
    lines = max(1, round(text.height() / label.fontMetrics().lineSpacing()))
    top = label.mapTo(content, QPoint(0, text.top())).y()
    ends = [top + round(text.height() * k / lines) for k in range(1, lines)]
    return [*ends, label.mapTo(content, QPoint(0, label.height())).y()]


class WholeLines(QScrollArea):
    """Its fold falls between two lines, never through one: at 1366x700 the F4 question and 林晓雯已于…拍摄过 were cut
    through the second one's first line (first-run walk s24, finding 19). The room below the last whole line is
    left empty; the scroll bar says there is more."""

    def __init__(self) -> None:
        super().__init__()
        self.verticalScrollBar().valueChanged.connect(self._fold)

    def setWidget(self, widget: QWidget) -> None:
        super().setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self._fold()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fold()

    def _fold(self) -> None:
        content = self.widget()
        if content is None:
            return
        fold = self.verticalScrollBar().value() + self.height()  # where the area's own bottom falls in the content
        ends = [end for child in content.findChildren(QWidget, options=Qt.FindDirectChildrenOnly)
                if child.isVisibleTo(content)
                for end in (line_ends(child, content) if isinstance(child, QLabel) and child.wordWrap()
                            else [child.geometry().bottom() + 1])]
        shown = [end for end in ends if end <= fold]
        cut = fold - max(shown) if shown and max(ends) > fold else 0
        if self.viewportMargins().bottom() != cut:
            self.setViewportMargins(0, 0, 0, cut)


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
    scroll = WholeLines()
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    scroll.setFocusPolicy(Qt.NoFocus)  # the code field keeps the keyboard
    return scroll
