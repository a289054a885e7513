"""A photo drawn as large as its space allows, never distorted: the review fits a 1366x768 laptop."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget


class PhotoView(QWidget):
    """Shows a pixmap scaled to fit (aspect ratio kept), at most its natural size."""

    def __init__(self, natural: QSize, smallest: QSize, top: bool = False) -> None:
        super().__init__()
        self._pixmap = QPixmap()
        self._natural = natural
        self._top = top  # drawn at the top of its space (under its caption), not in the middle
        self.setMinimumSize(smallest)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def setPixmap(self, pixmap: QPixmap) -> None:
        self._pixmap = pixmap
        self.update()

    def pixmap(self) -> QPixmap:
        return self._pixmap

    def sizeHint(self) -> QSize:
        return self._natural

    def hasHeightForWidth(self) -> bool:
        return self._top  # a photo under its caption takes no more height than its width can show

    def heightForWidth(self, width: int) -> int:
        natural = self._natural
        return max(self.minimumHeight(), min(natural.height(), width * natural.height() // natural.width()))

    def photo_rect(self) -> QRect:
        """Where the photo is drawn: centred, in its own proportions, scaled to fit, never above its natural size."""
        shape = self._natural if self._pixmap.isNull() else self._pixmap.size()
        size = shape.scaled(self.size().boundedTo(self._natural), Qt.KeepAspectRatio)
        top = 0 if self._top else (self.height() - size.height()) // 2
        return QRect((self.width() - size.width()) // 2, top, size.width(), size.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.photo_rect()
        painter.fillRect(rect, Qt.white)
        if not self._pixmap.isNull():
            painter.setRenderHint(QPainter.SmoothPixmapTransform)
            painter.drawPixmap(rect, self._pixmap)
        painter.setPen(Qt.gray)
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
