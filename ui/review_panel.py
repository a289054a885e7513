"""Review: the CHSI photo beside the student's details, so both people confirm it together.

Shown full-size (480x640) where the screen allows, so that a sideways or upside-down photo,
or the wrong person, is obvious before anything is saved. Enter accepts, Esc retakes at once.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station.capture.identity_check import beside, needs_reason, worst_level
from station.capture.reasons import offered
from station.capture.workflow import Shot
from station.compliance.messages import TITLES
from station.compliance.results import Analysis
from station.i18n import Text
from ui.i18n import t
from ui.overlay import question_titles
from ui.photo_view import PhotoView, level_heights
from ui.scroll_column import scroll_column
from ui.theme import say

ASK = Text("请学生确认：本人、端正、清晰", "Ask the student: is it you, upright and sharp?")
ACCEPT = Text("确认保存（回车）", "Accept (Enter)")
# another person's face: Enter asks for a reason first, so the button is not a plain green go beside the red verdict
ASKS_REASON = Text("不是同一人：保存前会要求填写原因", "Not the same person: a reason is asked before saving")
# solid, as the shutter; the padding is the room the platform's own button (再拍一张) keeps beside its words, which a
# styled button loses: without it 确认保存（回车） was cut at its edges in a 1280x680 window
ACCEPT_STYLE = "font-size: 20px; background: #1b8a3a; color: white; border-radius: 6px; padding: 0 8px"
ACCEPT_ASKING_STYLE = ACCEPT_STYLE.replace("#1b8a3a", "#ef6c00")  # the orange of 已拍过：重拍… (F2)
RETAKE = Text("再拍一张（Esc）", "Shoot again (Esc)")
LEVEL = {"same": "ok", "uncertain": "warn", "different": "bad", "unmeasured": "warn"}
# worded to fit NOTES_SHOWN lines at 1280x680 with a question (the walk found the third note cut mid-line); the failed
# checks are named, not told as the instructions read out before the shutter: 未通过：请闭上嘴巴 read as an order, and
# a phone's instruction beside the mouth's took the notes to six lines, scrolled, at 1280x680 (s30 Xvfb walk)
OVERRIDE = Text("未通过：{checks}\n拍摄原因：{reason}", "Failed: {checks}\nReason: {reason}")
RETAKE_REASON = Text("重拍原因：{reason}", "Retake reason: {reason}")
LOOKED = Text("请在照片上再看一眼：{checks}", "Look again: {checks}")
# lines of notes always in sight (the reasons and questions to look at once more): a retake of an overridden frame
# has four (retake reason, failed checks, override reason, question), and the fourth was cut at 1280x680
NOTES_SHOWN = 4
# Whom the photo is filed under, beside it; class and ID number are on the student card next to the review.
DETAILS = (("name", Text("姓名", "Name")), ("student_no", Text("学号", "Student no.")))


class ReviewPanel(QWidget):
    accepted = Signal()
    retake = Signal()

    def __init__(self) -> None:
        super().__init__()
        # full size (480x640) where the screen allows; on a 1366x768 laptop it scales down to fit
        self.photo = PhotoView(QSize(480, 640), QSize(240, 320))
        self.checked: Analysis | None = None  # the checks of the photo shown (show_shot)
        # beside it, up to two photos it is judged against (a swap's other student, the enrolment photo, the photo
        # a retake replaces), each under its caption
        self.beside = [(QLabel(), PhotoView(QSize(240, 320), QSize(90, 120), top=True)) for _ in range(2)]
        level_heights(*(view for _, view in self.beside))
        ask = QLabel(t(ASK))
        ask.setObjectName("title")
        ask.setWordWrap(True)
        grid = QGridLayout()
        self.values: dict[str, QLabel] = {}
        for row, (key, label) in enumerate(DETAILS):
            grid.addWidget(QLabel(t(label)), row, 0)
            value = QLabel()
            value.setObjectName("studentName" if key == "name" else f"review_{key}")
            value.setWordWrap(True)  # a long name wraps instead of widening the window
            grid.addWidget(value, row, 1)
            self.values[key] = value
        self.notes = QLabel()
        self.notes.setObjectName("message")
        self.notes.setProperty("level", "warn")
        self.notes.setWordWrap(True)
        self.identity = QLabel()  # the new face against the enrolment photo and the photo it replaces
        self.identity.setObjectName("message")
        self.identity.setWordWrap(True)
        side = QVBoxLayout()
        # whose photo it is and the identity verdict never scroll (a swap's 不是同一人 once scrolled out of sight on a
        # 1366x700 window); the notes under them scroll on a small screen; the photos beside shrink to fit instead (a
        # retake is judged by comparing the two faces, so they are never scrolled away); the two buttons stay in view
        side.addWidget(ask)
        side.addLayout(grid)
        side.addWidget(self.identity)
        self.notes_area = scroll_column(self.notes)
        side.addWidget(self.notes_area, 1)
        photos = QGridLayout()  # captions in one row, photos in the next: the two photos start level
        for column, (caption, photo) in enumerate(self.beside):
            caption.setWordWrap(True)
            photos.addWidget(caption, 0, column, Qt.AlignBottom)
            photos.addWidget(photo, 1, column)
        photos.setRowStretch(1, 1)
        side.addLayout(photos)
        self.accept_button = QPushButton(t(ACCEPT))
        self.retake_button = QPushButton(t(RETAKE))
        for button in (self.accept_button, self.retake_button):
            button.setMinimumHeight(56)
            button.setFocusPolicy(Qt.NoFocus)  # Enter/Esc are handled by the window, never by a focused button
        self.accept_button.setStyleSheet(ACCEPT_STYLE)
        self.retake_button.setStyleSheet("font-size: 20px")
        self.accept_button.clicked.connect(self.accepted)
        self.retake_button.clicked.connect(self.retake)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retake_button)
        buttons.addWidget(self.accept_button)
        side.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self.photo, 3)
        layout.addSpacing(24)
        layout.addLayout(side, 2)

    def show_shot(self, shot: Shot) -> None:
        self.checked = shot.analysis  # the side panel's checks name this photo's while it is in review
        pixmap = QPixmap()
        pixmap.loadFromData(shot.chsi_jpeg, "JPEG")
        self.photo.setPixmap(pixmap)
        s = shot.student
        self.values["name"].setText(s.name)
        self.values["student_no"].setText(s.student_no)
        notes = []
        if shot.retake_reason:
            notes.append(t(RETAKE_REASON.format(reason=offered(shot.retake_reason))))
        if shot.override_reason:  # the failed checks by the names their chips and 请在照片上再看一眼 give them
            checks = t(Text("、", ", ")).join(t(TITLES[check]) for check, _ in shot.analysis.problems)
            notes.append(t(OVERRIDE.format(checks=checks, reason=offered(shot.override_reason))))
        asked = question_titles(shot.analysis)  # the questions on screen at the press, recorded with the photo
        if asked:
            notes.append(t(LOOKED.format(checks=t(Text("、", ", ")).join(asked))))
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        self._fit_notes()
        self._show_identity(shot)
        asking = needs_reason(shot.identity)
        self.accept_button.setStyleSheet(ACCEPT_ASKING_STYLE if asking else ACCEPT_STYLE)
        self.accept_button.setToolTip(t(ASKS_REASON) if asking else "")
        # the photos the new face was compared with, read at the press (a retake's previous photo among them)
        compared = beside(shot.identity, shot.student.name)
        for index, (caption, view) in enumerate(self.beside):
            pixmap = QPixmap()
            shown = index < len(compared) and pixmap.loadFromData(compared[index][0], None)
            if shown:
                view.setPixmap(pixmap)
                caption.setText(t(compared[index][1]))
            view.setVisible(shown)
            caption.setVisible(shown)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_notes()

    def _fit_notes(self) -> None:
        """The notes wholly shown up to NOTES_SHOWN lines, the photos beside shrinking for them; longer notes scroll."""
        margins = self.notes.contentsMargins()  # the message box's own padding (ui/theme.py)
        lines = self.notes.fontMetrics().lineSpacing() * NOTES_SHOWN + margins.top() + margins.bottom()
        needed = self.notes.heightForWidth(self.notes_area.viewport().width()) if self.notes.isVisibleTo(self) else 0
        self.notes_area.setMinimumHeight(min(max(needed, 0), lines))

    def _show_identity(self, shot: Shot) -> None:
        said = "\n".join(t(check.said) for check in shot.identity)  # nothing compared: no line
        say(self.identity, said, LEVEL.get(worst_level(shot.identity), "info"))
