"""The live picture: newest frame only, shown as soon as the camera says it landed, shrunk before colour conversion."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from station.camera.preview import preview_bgrx
from station.camera.source import CameraState, Frame, FrameSource
from station.capture.live_checks import LiveResult
from station.compliance.results import FAIL
from ui.i18n import t
from ui.overlay import crop_outline, outlines, paint_overlay
from ui.tasks import to_main


STATE_REPAINT_MS = 250


class PreviewWidget(QWidget):
    scene_changed = Signal()  # the picture on screen shows another view: the findings on screen were dropped

    def __init__(self, source: FrameSource) -> None:
        super().__init__()
        self.source = source
        self.shown_frame: Frame | None = None  # the frame on screen, held: exactly what the shutter takes
        self._image: QImage | None = None
        self.live: LiveResult | None = None  # the newest compliance result, drawn over its own scene only
        self._held: LiveResult | None = None  # a refused frame kept on screen while its override is decided
        self.covering: QWidget | None = None  # a window that may stand over the picture (F1's key list)
        self.instructions: QRectF | None = None  # where the instructions were last drawn over the picture
        self.setMinimumSize(480, 270)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self._told = threading.Event()  # a new frame was posted to the UI thread and not yet shown
        self._retired = False  # its window was built again: the camera's frames are the new preview's
        self._listening: tuple[FrameSource, Callable[[Frame], None]] | None = None
        self._listen(source)
        # A frame is shown when the camera says it landed; the timer only keeps a lost or frozen camera's dimmed
        # picture and its state painted, when no frame comes to say so: not a hot path
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._refresh)
        self._timer.start(STATE_REPAINT_MS)

    def _listen(self, source: FrameSource) -> None:
        def landed(_frame: Frame) -> None:  # on the camera's thread: one post at a time, however fast frames come
            if source is self.source and not self._retired and not self._told.is_set():
                self._told.set()
                to_main(self._new_frame)

        self._stop_listening()
        source.subscribe_frames(landed)
        self._listening = (source, landed)

    def _stop_listening(self) -> None:
        """The camera told no more of its frames (`landed` still ignores one it is telling at that moment)."""
        if self._listening is not None:
            source, landed = self._listening
            source.unsubscribe_frames(landed)
            self._listening = None

    def _new_frame(self) -> None:
        self._told.clear()
        self._refresh()

    def _refresh(self) -> None:
        if self._held is not None:
            return
        frame = self.source.latest()
        if frame is None or frame is self.shown_frame or frame.frame_id <= self.source.lost_after:
            if self.source.state is not CameraState.LIVE:
                self.update()
            return
        self._show(frame)
        self.update()

    def _show(self, frame: Frame) -> None:
        jumped = self.shown_frame is not None and frame.scene != self.shown_frame.scene
        pixels = preview_bgrx(frame.image, self.width(), self.height())
        height, width = pixels.shape[:2]
        # QImage borrows the numpy buffer; keeping `pixels` referenced keeps it valid
        self._image = QImage(pixels.data, width, height, pixels.strides[0], QImage.Format_RGB32)
        self._pixels = pixels
        self.shown_frame = frame
        if jumped and self._held is None:
            self.scene_changed.emit()

    def camera_lost(self) -> None:
        """The last picture stays on screen, dimmed, but the shutter may no longer take it, nor adopt it again
        when the camera comes back (FrameSource.lost_after): it may show the student before."""
        self.shown_frame = None

    def use_source(self, source: FrameSource) -> None:
        """Another camera: its frames and scenes are numbered from the start again, and the old camera's
        findings say nothing about its picture."""
        self.source, self.shown_frame, self.live = source, None, None
        self._listen(source)

    def retire(self) -> None:
        """Its window was built again (another language) and this one is deleted: nothing more is posted to it."""
        self._retired = True
        self._stop_listening()
        self._timer.stop()

    def show_live(self, result: LiveResult | None) -> None:
        if self._held is None:
            self.live = result
            self.update()

    def hold(self, frame: Frame, result: LiveResult) -> None:
        """Keep `frame` on screen with `result` drawn over it (the shutter's refused frame and its findings) until
        `let_go`: the photographer judges the override on the picture the box is about, not on the live one."""
        if frame is not self.shown_frame:  # it usually still is: the shutter takes the frame on screen
            self._show(frame)
        self._held = self.live = result
        self.update()

    def findings(self) -> LiveResult | None:
        """What is drawn over the picture: the held frame's own findings, or the newest live ones only when they
        were measured on the scene on screen. When the picture jumps (a file camera's next image, a camera
        back after a loss) the previous scene's face box, outlines and questions are not drawn over the new
        one: nothing is, until the new picture's own findings arrive."""
        if self._held is not None:
            return self._held
        live, shown = self.live, self.shown_frame
        return live if live is not None and shown is not None and live.scene == shown.scene else None

    def covered(self) -> QRectF | None:
        """Where the `covering` window stands over this widget, when shown there: the instructions keep clear of it."""
        window = self.covering
        if window is None or not window.isVisible():
            return None
        frame = window.frameGeometry()
        over = QRect(self.mapFromGlobal(frame.topLeft()), frame.size()).intersected(self.rect())
        return QRectF(over) if not over.isEmpty() else None

    def kept_clear(self) -> QRect | None:
        """Where the crop frame drawn over the picture stands on the screen, else the student's head (a student at
        the picture's edge has no crop frame: F1's key list stood over her face); None: nobody is seen. For a window
        over the picture to keep clear of (the key list, F1)."""
        findings = self.findings()
        if findings is None or self._image is None:
            return None
        target = self.image_rect()
        outline = crop_outline(findings, target)
        face = findings.analysis.face
        if outline is not None:
            box = outline.boundingRect().toAlignedRect()
        elif face is not None:
            scale = target.width() / findings.image_size[0]
            x, y, width, height = face.box  # cheek to cheek: the head is wider by its hair and ears
            box = QRectF(target.x() + (x - width / 2) * scale, target.y() + y * scale, width * 2 * scale,
                         height * scale).toAlignedRect()
        else:
            return None
        return QRect(self.mapToGlobal(box.topLeft()), box.size())

    def must_see(self) -> dict[str, list[QRect]]:
        """Where on the screen the photographer must see why the shutter is blocked or where to look, by check: what
        the overlay outlines (a code in the photo, a question's regions), and the whole picture while it shows
        several people (each other head is circled, but a person is more than a head: a friend half behind the
        student, someone at the picture's edge). For a window over the picture to keep clear of."""
        findings = self.findings()
        if findings is None or self._image is None:
            return {}
        target = self.image_rect()
        seen = outlines(findings, target)
        if findings.analysis.faces > 1 and findings.analysis.checks["face_count"].level == FAIL:
            seen["face_count"] = [target]
        return {check: [QRect(self.mapToGlobal(box.toAlignedRect().topLeft()), box.toAlignedRect().size())
                        for box in boxes] for check, boxes in seen.items()}

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
            findings = self.findings()
            self.instructions = None if findings is None else paint_overlay(painter, findings, self.image_rect(),
                                                                             self.covered())
        state = self.source.state
        if state is not CameraState.LIVE:
            painter.fillRect(self.rect(), QColor(0, 0, 0, 150))
            painter.setPen(QColor("#ffcc80"))
            font = QFont(self.font())
            font.setPointSize(20)
            painter.setFont(font)
            painter.drawText(self.rect(), Qt.AlignCenter, t(self.source.state_text))
        painter.end()
