"""The live picture: newest frame only, shrunk before colour conversion, painted at screen rate."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from station.camera.preview import preview_rgb
from station.camera.source import STATE_TEXT, CameraState, Frame, FrameSource
from station.capture.live_checks import LiveResult
from ui.i18n import t
from ui.overlay import paint_overlay


class PreviewWidget(QWidget):
    def __init__(self, source: FrameSource, fps: int = 30) -> None:
        super().__init__()
        self.source = source
        self.shown_frame: Frame | None = None  # the frame on screen, held: exactly what the shutter takes
        self._lost_after = -1  # frames up to this id were shown before the camera was lost: never taken again
        self._image: QImage | None = None
        self.live: LiveResult | None = None  # the newest compliance result, drawn over the picture
        self._held: LiveResult | None = None  # a refused frame kept on screen while its override is decided
        self.setMinimumSize(480, 270)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._refresh)
        self._timer.start(1000 // fps)

    def _refresh(self) -> None:
        if self._held is not None:
            return
        frame = self.source.latest()
        if frame is None or frame is self.shown_frame or frame.frame_id <= self._lost_after:
            if self.source.state is not CameraState.LIVE:
                self.update()
            return
        self._show(frame)
        self.update()

    def _show(self, frame: Frame) -> None:
        rgb = preview_rgb(frame.image, self.width(), self.height())
        height, width = rgb.shape[:2]
        # QImage borrows the numpy buffer; keeping `rgb` referenced keeps it valid
        self._image = QImage(rgb.data, width, height, rgb.strides[0], QImage.Format_RGB888)
        self._rgb = rgb
        self.shown_frame = frame

    def camera_lost(self) -> None:
        """The last picture stays on screen, dimmed, but the shutter may no longer take it, nor adopt it again
        when the camera comes back: it may show the student before."""
        last = self.source.latest()  # the newest frame before the loss, shown or not yet
        if last is not None:
            self._lost_after = max(self._lost_after, last.frame_id)
        self.shown_frame = None

    def use_source(self, source: FrameSource) -> None:
        """Another camera: its frames are numbered from the start again."""
        self.source, self.shown_frame, self._lost_after = source, None, -1

    def show_live(self, result: LiveResult | None) -> None:
        if self._held is None:
            self.live = result
            self.update()

    def hold(self, frame: Frame, result: LiveResult) -> None:
        """Keep `frame` on screen with `result` drawn over it (the shutter's refused frame and its findings) until
        `let_go`: the photographer judges the override on the picture the box is about, not on the live one."""
        self._show(frame)
        self._held = self.live = result
        self.update()

    def let_go(self) -> None:
        self._held = self.live = None
        self._refresh()

    def image_rect(self) -> QRectF:
        """Where the picture is drawn inside the widget (letter-boxed, centred)."""
        if self._image is None:
            return QRectF()
        w, h = self._image.width(), self._image.height()
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#202124"))
        if self._image is not None:
            painter.drawImage(self.image_rect().topLeft(), self._image)
            if self.live is not None:
                paint_overlay(painter, self.live, self.image_rect())
        state = self.source.state
        if state is not CameraState.LIVE:
            painter.fillRect(self.rect(), QColor(0, 0, 0, 150))
            painter.setPen(QColor("#ffcc80"))
            font = QFont(self.font())
            font.setPointSize(20)
            painter.setFont(font)
            painter.drawText(self.rect(), Qt.AlignCenter, t(STATE_TEXT[state]))
        painter.end()
