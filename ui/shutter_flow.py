"""The shutter and the review as the photographer meets them: a press measured off the UI thread, the reason boxes
(override, retake, another person's face), accept and reshoot, and what each says. The capture session decides;
this class asks, says what came back and has the window show the step. The window keeps the keys and the layout.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QComboBox, QInputDialog, QLabel, QLayout, QWidget

from station.capture.live_checks import LiveResult
from station.capture.reasons import IDENTITY_REASONS, OVERRIDE_REASONS, RETAKE_REASONS, offered
from station.capture.session import CaptureSession
from station.capture.workflow import Blocked, Measured, ShutterRefused, ShutterRequest, Step, refusal_stands
from station.compliance.results import Analysis
from station.errors import StationError
from station.i18n import Name, Text
from ui.i18n import t
from ui.modal import ask
from ui.preview import PreviewWidget
from ui.review_panel import ReviewPanel
from ui.scanner_guard import SCANNED_INTO_THE_BOX, ScannerGuard
from ui.tasks import run_task
from ui.theme import say

ACCEPT_WITH_ENTER = Text("请学生看清照片后按回车确认保存，或按 Esc 再拍一张",
                         "Let the student look at the photo, then press Enter to accept or Esc to shoot again")
SAVED = Text("已保存{name}的照片（第 {version} 版），已加入上传队列", "Saved {name}'s photo (version {version}); queued for upload")
OVERRIDE_TITLE = Text("仍要拍摄？", "Take it anyway?")
OVERRIDE_ASK = Text("以下项目未通过：\n{problems}\n\n如确需拍摄，请选择或填写原因（将被记录）：",
                    "The photo does not pass yet:\n{problems}\n\nTo take it anyway, pick or type a reason (it is recorded):")
RETAKE_TITLE = Text("重拍原因", "Retake reason")
RETAKE_ASK = Text("为什么重拍？（将被记录）", "Why is this photo retaken? (recorded)")
IDENTITY_TITLE = Text("不是同一人？", "Not the same person?")
RETAKE_MODE = Text("重拍模式：{reason}", "Retake: {reason}")
RETAKE_NOT_BEGUN = Text("没有填写重拍原因，重拍没有开始：要重拍请再按 F2 并填写原因",
                        "No retake reason given, so the retake has not begun: press F2 again and give one")
# after 照片不符合要求：… when the override box closed empty: the photographer learns that nothing was kept and the way on
NOT_TAKEN = Text("未填原因，照片未保存：要拍请再按快门并填原因", "Nothing saved: shoot again and give a reason")
# a press refused for a waiting code, once that code's line no longer holds: the press still left a trace (s28 walk: the
# red line went with the question, and a press in its last moment looked as if it had never been made)
OFFER_PRESS_GONE = Text("刚才按快门没有拍照（当时有其他学生的采集码或身份证等待切换）",
                        "The last press took no photo (another student's code or ID card was waiting to be switched to)")
DROPPED = Text("这张照片已放弃（未保存），请重新拍摄{name}", "That photo was dropped (not saved): shoot {name} again")
RIGHT_MARGIN_PX = 24  # a reason box's gap to the window's right edge
SIDE_COLUMN_PX = 420  # the window's right-hand column (main_window's side panel): what a reason box may cover
GAP_PX = 8  # a reason box's gap below what the column says


class ShutterFlow:
    """A press from the key to the review as the window shows it. Whether a press is on and what its override box is
    about are the session's (`pressing`, `override_asked`); this keeps only its refusal's line while the picture
    still fails."""

    def __init__(self, session: CaptureSession, preview: PreviewWidget, review: ReviewPanel, message: QLabel,
                 parent: QWidget, show_step: Callable[[], None], saved: Callable[[], None],
                 said_until: Callable[[], int]) -> None:
        self.session = session
        self.preview = preview
        self.review = review
        self.message = message
        self.parent = parent  # the reason boxes open over the window
        self.said_until = said_until  # where the side panel's card and messages end (screen y): a box stands below
        self.show_step = show_step
        self.saved = saved  # a photo was saved: the window moves its card, counters and queue screen on
        # a closed override box's line (照片不符合要求：…) and the analysis it refused (workflow.refusal_stands)
        self._refusal: tuple[str, Analysis] | None = None
        # a press refused for a waiting code's question: its line, and the refusal (session.refusal_holds)
        self._offer_refusal: tuple[str, ShutterRefused] | None = None

    def enter(self) -> None:
        """Enter: the shutter while live (the session may take it for a refused code's Enter pressed twice); in
        review, accept, unless it is the second half of a double press that took the photo a moment ago (the student
        has not looked at it yet)."""
        if self.session.step is not Step.REVIEW:
            self._press(enter=True)
        elif self.session.review_settled():
            self.accept()

    def shutter(self) -> None:
        """Space, a pedal or the button: exactly the picture on screen, measured once off the UI thread while the
        preview goes on."""
        if self.session.step is Step.REVIEW:  # accepting takes Enter, after a look
            say(self.message, t(ACCEPT_WITH_ENTER), "info")
            return
        self._press()

    def _press(self, enter: bool = False) -> None:
        request = self.session.press(self.preview.shown_frame, enter)
        if isinstance(request, ShutterRefused):
            if self.session.shutter_blocked() is not Blocked.BUSY:
                say(self.message, t(request.message), "bad")
                self._offer_refusal = (self.message.text(), request)
            self.show_step()
            return
        self._measure(request)

    def tethered(self, request: ShutterRequest) -> None:
        """A tethered camera's photo pressed the shutter (the session checked whose it is): the same work."""
        self._measure(request)

    def _measure(self, request: ShutterRequest) -> None:
        say(self.message, "", "")  # an earlier press's refusal is not this one's: this press says its own
        self.show_step()  # the shutter greys out, saying it is working
        run_task(lambda: self.session.measure(request), self._take, lambda exc: self._measure_failed(request, exc))

    def _take(self, measured: Measured) -> None:
        outcome = self.session.take(measured)
        if isinstance(outcome, ShutterRefused) and outcome.can_override:
            # the shutter says the box waits for a reason; the side panel names its checks (session.override_asked)
            self.show_step()
            frame = measured.request.frame
            height, width = frame.image.shape[:2]
            self.preview.hold(frame, LiveResult(frame.frame_id, (width, height), measured.analysis, frame.scene))
            reason = ""
            try:
                reason = self._ask_override(outcome)
            finally:
                self.preview.let_go()
                if not reason:  # closed empty, or the box failed: the press is over either way
                    self.session.decline_override()
            if reason:
                outcome = self.session.take(measured, override_reason=reason)
        if isinstance(outcome, ShutterRefused):
            said = t(outcome.message) + ("\n" + t(NOT_TAKEN) if outcome.can_override else "")
            say(self.message, said, "bad")
            if outcome.problems:  # about the checks, even where no photo could be made to override them (she stood
                self._refusal = (self.message.text(), measured.analysis)  # beyond the frame: s28 walk, said on and on)
        else:
            say(self.message, "", "")  # an earlier refusal or "please take your place" no longer holds
            self.review.show_shot(outcome)
        self.show_step()

    def _measure_failed(self, request: ShutterRequest, exc: BaseException) -> None:
        self.session.release(request)
        self.show_step()
        raise exc  # to the error reporter: logged, shown once; the station goes on

    def picture_seen(self, shown: LiveResult | None) -> None:
        """The findings on screen changed: a closed override box's line goes once something else was said, or once
        the picture no longer fails what it named (fixed, or another picture); a picture still settling says
        neither."""
        if self._refusal is None or self.session.override_asked is not None or shown is None or shown.analysis.settling:
            return
        said, refused = self._refusal
        if self.message.text() != said:  # something else was said since
            self._refusal = None
        elif not refusal_stands(refused, shown.analysis):  # fixed, or another picture
            self._quiet()
            self._refusal = None

    def offer_seen(self) -> None:
        """A waiting code's question was asked, withdrawn or answered: a press's line refused for it, once the session
        says it no longer holds (it named that code's student and F4), gives way to one that names nobody and says
        the press took no photo; it is left alone once something else was said."""
        if self._offer_refusal is None:
            return
        said, refused = self._offer_refusal
        if self.message.text() == said and not self.session.refusal_holds(refused):
            retake = self.retake_line()  # a retake under way is said with it
            say(self.message, "\n".join(filter(None, (t(OFFER_PRESS_GONE), retake))), "warn")
        if self.message.text() != said:
            self._offer_refusal = None

    def retake_line(self) -> str:
        """重拍模式：… while a retake is under way on the live picture, else nothing: said once at F2, a refusal's line
        or 这张照片已放弃 over it took it away for good, and the shutter looked like a first photo's (s28 walk)."""
        reason = self.session.workflow.retake_reason
        return t(RETAKE_MODE.format(reason=offered(reason))) if reason and self.session.step is Step.LIVE else ""

    def _quiet(self) -> None:
        """A line that no longer holds goes; a retake under way is said again in its place."""
        retake = self.retake_line()
        say(self.message, retake, "warn" if retake else "")

    def accept(self) -> None:
        identity_reason = ""
        if self.session.needs_identity_reason:  # another person's face: said, and the reason recorded
            identity_reason = self._ask_reason(t(IDENTITY_TITLE), t(self.session.identity_question), IDENTITY_REASONS)
            if not identity_reason:
                return
        student = self.session.student  # whose photo is in review (the session forgets them once it is saved)
        try:
            version = self.session.accept(identity_reason)
        except StationError as exc:  # e.g. the disk is full: the photo stays here, in review
            say(self.message, t(exc.text), "bad")
            return
        self.saved()
        say(self.message, t(SAVED.format(name=Name(student.name), version=version.version)), "ok")
        self.show_step()

    def escape(self) -> None:
        if self.session.step is Step.REVIEW:
            student = self.session.student
            self.session.reshoot()
            # the review's hints go with the photo; what became of it is said (review finding: nothing was)
            dropped = t(DROPPED.format(name=Name(student.name) if student else ""))
            retake = self.retake_line()
            say(self.message, f"{dropped}\n{retake}" if retake else dropped, "warn" if retake else "")
            self.show_step()

    def ask_retake(self) -> None:
        student = self.session.student
        reason = self._ask_reason(t(RETAKE_TITLE), t(RETAKE_ASK), RETAKE_REASONS)
        if reason:
            self.start_retake(reason, student.student_no if student else None)
        else:  # the box closed empty: the shutter stays the retake's button, which says nothing itself
            say(self.message, t(RETAKE_NOT_BEGUN), "info")

    def start_retake(self, reason: str, for_student: str | None = None) -> None:
        try:
            self.session.start_retake(reason, for_student)
        except StationError as exc:
            say(self.message, t(exc.text), "bad")
            return
        say(self.message, t(RETAKE_MODE.format(reason=offered(reason))), "warn")
        self.show_step()

    def _ask_override(self, refused: ShutterRefused) -> str:
        problems = "\n".join("· " + t(p) for p in refused.problems)
        return self._ask_reason(t(OVERRIDE_TITLE), t(OVERRIDE_ASK.format(problems=problems)), OVERRIDE_REASONS)

    def _ask_reason(self, title: str, label: str, reasons: tuple[Text, ...]) -> str:
        """The common reasons one pick away in an editable box that opens empty: a key pressed twice (F2 then
        Enter, the shutter twice) never records a reason nobody chose, nor a code scanned into it (ScannerGuard). ""
        when cancelled or left empty."""
        dialog = QInputDialog(self.parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setComboBoxItems([t(r) for r in reasons])
        dialog.setComboBoxEditable(True)
        dialog.setTextValue("")
        # The list itself starts on no reason, not on the first one with its text cleared: otherwise the
        # first Down arrow skips the first (most common) reason and Up picks nothing.
        box = dialog.findChild(QComboBox)
        box.setCurrentIndex(-1)

        # the longer question grows the box: placed again (in_the_column), not past the window
        ScannerGuard(box, lambda: dialog.setLabelText(f"{label}\n\n{t(SCANNED_INTO_THE_BOX)}"))
        beside_the_photo(dialog, self.parent, self.said_until())
        with self.session.answering():  # the card beside the box stays the student it asks about, no live word on it
            answered = ask(dialog)
        return dialog.textValue().strip() if answered else ""


def beside_the_photo(dialog: QWidget, window: QWidget, said_until: int) -> None:
    """Over the window's right-hand column, not in its middle: a box centred there covered half of the held face
    (or the photo in review) that the photographer is asked to judge (seen on a walk). It is as wide as that column,
    its question wrapping within it: a swap's long question made the box 520 px wide, over the enrolment photo the
    photographer compares the face with. It stands below `said_until` (screen y), where the column's card and messages end: centred in the
    column, the retake box covered the end of 林晓雯已于…拍摄过（1 版），如需重拍请按 F2, said of the photo it asks
    about. A window too short for both keeps the whole box in it, over the end of what was said."""
    label = dialog.findChild(QLabel)
    if label is not None:  # the column's width: a box as wide as its short question (220 px) cut a long reason
        label.setFixedWidth(SIDE_COLUMN_PX - 2 * RIGHT_MARGIN_PX)
        label.setWordWrap(True)
    in_the_column(dialog, window, said_until)


def in_the_column(dialog: QWidget, window: QWidget, said_until: int) -> None:
    """A dialog at its own size against the window's right edge, below `said_until` (screen y), kept in the window:
    over the side column's checks and shutter, not over the face nor the student card (F6's payment box opened in
    the window's middle, over the student's face and, in English, the card's left edge: s25 walk). Its size is its
    contents': a resizable box got the window manager's resize handle, an empty strip below its buttons (openbox).
    Placed again whenever its size changes (`Replaced`)."""
    dialog.adjustSize()  # laid out (QInputDialog makes its layout when first measured)
    dialog.layout().setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)

    def place() -> None:
        frame = window.frameGeometry()
        title_bar = window.geometry().top() - frame.top()  # the box gets a frame like the window's above its height
        x = max(frame.left(), frame.right() - dialog.width() - RIGHT_MARGIN_PX)
        lowest = frame.bottom() - RIGHT_MARGIN_PX - title_bar - dialog.height()
        dialog.move(x, max(frame.top(), min(said_until + GAP_PX, lowest)))

    (dialog.findChild(Replaced) or Replaced(dialog)).place = place
    place()


class Replaced(QObject):
    """Places its dialog again (`place`) when the dialog's size changes: a payment box grown by a refusal under its
    fields (two or three lines in English) grew down from where it stood, past the window's bottom on a laptop's."""

    def __init__(self, dialog: QWidget) -> None:
        super().__init__(dialog)
        self.place: Callable[[], None] = lambda: None
        dialog.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.place()
        return False
