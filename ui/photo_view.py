"""A photo drawn as large as its space allows, never distorted: the review fits a 1366x768 laptop."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


class PhotoView(QWidget):
    """Shows a pixmap scaled to fit (aspect ratio kept), at most its natural size."""

    def __init__(self, natural: QSize, smallest: QSize, top: bool = False) -> None:
        super().__init__()
        self._pixmap = QPixmap()
        self._natural = natural
        self._top = top  # drawn at the top of its space (under its caption), not in the middle
        self._level: tuple[PhotoView, ...] = ()  # photos side by side drawn at one height (level_heights)
        self.setMinimumSize(smallest)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def setPixmap(self, pixmap: QPixmap) -> None:
        self._pixmap = pixmap
        self._redraw()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._redraw()

    def _redraw(self) -> None:
        for view in self._level or (self,):  # the photos level with it may now be drawn at another height
            view.update()

    def pixmap(self) -> QPixmap:
        return self._pixmap

    def sizeHint(self) -> QSize:
        return self._natural

    def hasHeightForWidth(self) -> bool:
        return self._top  # a photo under its caption takes no more height than its width can show

    def heightForWidth(self, width: int) -> int:
        natural = self._natural
        return max(self.minimumHeight(), min(natural.height(), width * natural.height() // natural.width()))

    def _shape(self) -> QSize:
        return self._natural if self._pixmap.isNull() else self._pixmap.size()

    def _fitted(self) -> QSize:
        return self._shape().scaled(self.size().boundedTo(self._natural), Qt.KeepAspectRatio)

    def photo_rect(self) -> QRect:
        """Where the photo is drawn: centred, in its own proportions, scaled to fit, never above its natural size;
        no taller than the shown photos it is level with."""
        size = self._fitted()
        heights = [view._fitted().height() for view in self._level if view.isVisible() and not view._pixmap.isNull()]
        if heights and min(heights) < size.height():
            shape, height = self._shape(), min(heights)
            size = QSize(round(shape.width() * height / shape.height()), height)
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


def level_heights(*views: PhotoView) -> None:
    """Photos compared side by side are drawn at one height, each in its own proportions: an enrolment photo beside
    a retake's previous one stood taller than it (first-run walk s24, finding 9), as if larger."""
    for view in views:
        view._level = views  # noqa: SLF001
