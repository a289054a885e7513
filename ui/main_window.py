"""The photographer's window: live picture with the checks on the left, the student on the right.

Everything is driven from the keyboard: scan or type a code, Enter/Space/pedal for the shutter, Enter to
accept in review, Esc to retake. The capture session (station.capture.session) owns the flow and its rules;
this window shows its state and forwards keys; the shutter and the review are ui.shutter_flow's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QMoveEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication, QHBoxLayout, QLabel, QMainWindow, QMenu, QMessageBox, QPushButton, QStackedWidget, QVBoxLayout,
    QSizePolicy, QWidget,
)

from station.camera.discovery import list_cameras
from station.camera.source import CameraState, FrameSource, StateChange
from station.capture.desk import NOBODY_TO_PAY
from station.capture.live_checks import LiveResult
from station.capture.live_identity import LiveIdentity
from station.capture.session import NO_OFFER, CaptureSession, SessionListener, Status
from station.capture.workflow import Blocked, Step
from station.errors import StationError
from station.i18n import Name, Text
from station.identify.idcard_match import CardRead
from station.identify.identify import Identification, Outcome
from station.localtime import local_time
from ui.camera_dialog import CameraDialog
from ui.check_board import CheckBoard
from ui.code_input import CodeInput
from ui.demo_menu import add_demo_menu
from ui.focus_return import FocusReturn, keep_the_keyboard
from ui.help_window import HelpWindow
from ui.i18n import language, t
from ui.menu_text import accelerated
from ui.modal import ask
from ui.payment_dialog import pay_for_class_interactively, pay_interactively
from ui.preview import PreviewWidget
from ui.print_dialog import print_interactively
from ui.queue_window import TOGGLE_KEY, QueueWindow
from ui.reference_dialogs import FROM_FOLDER, FROM_SERVER, FROM_ZIP, import_references_interactively
from ui.report_dialog import report_interactively
from ui.review_panel import ReviewPanel
from ui.roster_dialogs import ScheduleDialog, import_roster_interactively
from ui.scroll_column import scroll_column
from ui.shutter_flow import SIDE_COLUMN_PX, ShutterFlow, in_the_column
from ui.station_settings import calibrate_backdrop, calibrate_entry, choose_profile, profile_entry
from ui.student_card import StudentCard
from ui.student_picker import StudentPicker
from ui.tasks import run_task
from ui.theme import say
from ui.upload_dialog import FailedUploadsDialog, export_interactively, link_interactively
from ui.window_language import NOT_KEPT, SWITCHED, SwitchRefusal, WindowHolder, add_language_menu, use_language

TITLE = Text("毕业生图像采集工作站", "Graduation photo station")
DEMO = Text("演示模式", "demo mode")
SLOT_NOW = Text("当前时段：{name}  {start:%H:%M}-{end:%H:%M}", "Now: {name}  {start:%H:%M}-{end:%H:%M}")
NO_SLOT = Text("当前没有排定的班级", "No class scheduled now")
NEXT_SLOT = Text("当前没有排定的班级（下一时段 {start}：{name}）", "No class scheduled now (next at {start}: {name})")
SLOTS_SAVED = Text("已保存班级采集时段：{n} 个班级已排定，排队屏按时段顺序叫号",
                   "Class slots saved: {n:class|classes} scheduled, called in slot order")
MENU_ROSTER = Text("名单(&R)", "&Roster")
IMPORT_ROSTER = Text("导入名单…", "Import roster…")
SET_SLOTS = Text("班级采集时段…", "Class capture slots…")
PICK_STUDENT = Text("选择学生…", "Pick a student…")
MENU_UPLOAD = Text("上传(&U)", "&Upload")
FAILED_UPLOADS = Text("失败的上传…", "Failed uploads…")
EXPORT_USB = Text("导出到U盘…", "Export to USB stick…")
LINK_SERVER = Text("连接服务器…", "Connect to the server…")
CLOSE_TITLE = Text("关闭工作站？", "Close the station?")
CLOSE_ANYWAY = Text("仍然关闭", "Close anyway")
MENU_REPORTS = Text("报表(&B)", "Re&ports")
PRINT_PHOTOS = Text("打印照片（2寸×8张）…", "Print photos (2-inch x 8)…")
DAY_REPORT = Text("日报与班级报表…", "Day and class report…")
MENU_STATION = Text("工作站(&S)", "&Station")
CAMERA_SETTINGS = Text("相机设置…", "Camera…")
QUIT = Text("退出", "Quit")
MENU_HELP = Text("帮助(&H)", "&Help")
KEYBOARD_HELP = Text("键盘操作…", "Keyboard…")
SHOW_QUEUE = Text("显示/隐藏拍摄队列", "Show or hide the queue window")
FULL_NAMES = Text("队列屏显示全名和完整学号", "Full names and student numbers on the queue screen")
SHUTTER = Text("拍照（空格 / 回车）", "Shutter (Space / Enter)")
# after a refused code Enter does not shoot until the next identification (session.enter_shoots): the keys on the
# button say so, beside the message line's why
SHUTTER_SPACE = Text("拍照（空格）", "Shutter (Space)")
BACK_SAID_MS = 5_000  # how long 相机已恢复 stands in the status bar before the steady 相机正常
SHUTTER_BLOCKED = {  # a greyed shutter says why, in the place the photographer is looking
    Blocked.BUSY: Text("正在处理照片…", "Processing the photo…"),
    Blocked.REVIEW: Text("请先确认或重拍左侧照片", "Accept the photo or shoot again first"),
    Blocked.NOBODY: Text("请先扫码或输入学号", "Scan a code or type a number first"),
    Blocked.NO_LIVE_PICTURE: Text("相机没有画面，不能拍照", "No live picture: cannot shoot"),
    Blocked.NOT_LINKED: Text("未配置服务器，照片无法保存", "No server set up: photos cannot be saved"),
    Blocked.UNPAID: Text("未缴费：请先登记缴费（F6）", "Not paid: record the payment first (F6)"),
    # the press is not over while the override box waits for the photographer: said so, not "processing"
    Blocked.ANSWERING: Text("请在对话框中填写拍摄原因", "Give the reason in the box"),
    Blocked.OFFERED: Text("等待切换：请按 F4，或收起采集码/身份证", "Press F4, or put the code or card away"),
}
PAY = Text("登记缴费…（F6）", "Record payment… (F6)")
CLASS_PAYMENT = Text("班级集体缴费…", "Class pays together…")
RETAKE = Text("已拍过：重拍…（F2）", "Already photographed: retake… (F2)")
ABSENT = Text("下一位缺席（F3）", "Next is absent (F3)")
MARKED_ABSENT = Text("已将{name}（{no}）标为缺席；学生到场后扫码即可正常拍摄",
                     "{name} ({no}) marked absent; if they arrive later, scan their code as usual")
UNDO_ABSENT = Text("撤销缺席（Shift+F3）", "Undo absent (Shift+F3)")
ABSENT_UNDONE = Text("{name}（{no}）已回到排队名单", "{name} ({no}) is back in the queue")
NOTHING_TO_UNDO = Text("没有可撤销的缺席标记（只能撤销本次启动后标记的）：标为缺席的学生到场后扫码即可拍摄",
                       "No absent mark to undo (only this run's marks can be): a student marked absent is "
                       "photographed when scanned")
NEXT = Text("下一位：{name}（{no}）", "Next: {name} ({no})")
NO_NEXT = Text("本班已全部拍完", "Everyone in this class is done")
EMPTY_ROSTER = Text("名单是空的：请先导入名单（名单 → 导入名单…）", "The roster is empty: import it first (Roster → Import roster…)")
STILL_CURRENT = Text("当前学生仍是{name}", "The current student is still {name}")
QUEUE = Text("待上传 {waiting} · 上传中 {sending} · 失败 {failed} · 上次成功 {last}",
             "waiting {waiting} · sending {sending} · failed {failed} · last success {last}")
NOT_LINKED = Text("未配置服务器：照片无法加密保存。请在“上传 → 连接服务器…”中粘贴学校管理员给出的设置",
                  "No server set up: photos cannot be sealed and saved. Paste the settings the registrar gives you in "
                  "Upload → Connect to the server…")
OFFLINE = Text("（服务器未连接，照片已安全保存在本机）", " (server not reachable; photos are safe on this laptop)")
OPERATOR = Text("摄影师：{name}", "Photographer: {name}")
SHOW_FAILED = Text("查看失败的上传…", "See failed uploads…")
RETRIED = Text("已重新排队 {count} 张照片，正在重新上传", "{count:photo|photos} queued again; uploading")
TETHER_FOLDER = Text("联机相机：{path}", "Tethered camera: {path}")
COMFORTABLE_SIZE = (1400, 860)
HELP_FOLLOWS_MS = 40  # F1's list placed again this long after the window is resized or moved, once per drag's step
LEVEL = {Outcome.FOUND: "ok", Outcome.ALREADY_CAPTURED: "warn", Outcome.UNKNOWN: "bad", Outcome.AMBIGUOUS: "bad"}



def title(entry: Text) -> str:
    """A menu entry's words as the title of the box it opens, without the entry's "…"."""
    return t(entry).removesuffix("…")


class MainWindow(QMainWindow):
    def __init__(self, session: CaptureSession, demo: bool = False, resumed: bool = False) -> None:
        """`resumed`: built in place of a window on the same session, already started (take_over)."""
        super().__init__()
        self.session = session
        self.demo = demo
        # where the window on the session is held: a window built in this one's place (a language switch) takes it
        self.holder = WindowHolder(self)
        self.setWindowTitle(t(TITLE) + (f" — {t(DEMO)}" if demo else ""))

        self.preview = PreviewWidget(session.source)
        self.preview.scene_changed.connect(self._show_problems)  # the previous picture's findings are dropped
        self.review = ReviewPanel()
        self.live = QWidget()  # the live picture, and the queue's row under it (_build_layout)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.live)
        self.pages.addWidget(self.review)
        self.code_input = CodeInput()
        self.card = StudentCard()
        self.retake_button = QPushButton(t(RETAKE))
        self.retake_button.setObjectName("retake")  # stands in the shutter's place while only a retake can follow
        self.retake_button.setMinimumHeight(64)
        self.message = self._message_label()
        self.switch_refusal = SwitchRefusal(self.message)  # a language switch refused, said there while it holds
        self.warnings = self._message_label("warn")
        # a code held up while someone else is at the camera: asked on a line of its own (F4), so what was said of
        # the student at the camera (take your place, photographed before, unpaid) stays in sight beside it
        self.offer = self._message_label("warn")
        self.check_board = CheckBoard()
        self.flow = ShutterFlow(session, self.preview, self.review, self.message, self, self._show_step, self._saved,
                                self._said_until)
        self.shutter_button = QPushButton(t(SHUTTER))
        self.shutter_button.setObjectName("shutter")  # the most used control: big and coloured while it works
        self.shutter_button.setMinimumHeight(64)
        self.next_label = QLabel()
        self.next_label.setWordWrap(True)  # 名单是空的… names the menu to use: on two lines beside F3, never cut
        self.absent_button = QPushButton(t(ABSENT))
        self.undo_absent_button = QPushButton(t(UNDO_ABSENT))
        self.undo_absent_button.hide()
        self.pay_button = QPushButton(t(PAY))
        self.slot_label = QLabel()
        self.slot_label.setObjectName("title")
        self.slot_label.setWordWrap(True)  # a long class name must not push the time out of sight
        for button in (self.retake_button, self.shutter_button, self.absent_button, self.undo_absent_button,
                       self.pay_button):
            button.setFocusPolicy(Qt.NoFocus)  # the code field keeps the keyboard
        self._build_layout()
        self._build_menus()
        if demo:
            add_demo_menu(self, session)  # 演示 → 教务处登记页面…
        keep_the_keyboard(self.menuBar())
        self.camera_status, self.queue_status, self.reader_status = QLabel(), QLabel(), QLabel()
        self.reader_status.setObjectName("cameraState")  # the ID-card reader, when one is set up: green or red
        self.reader_status.hide()
        self.queue_status.setObjectName("queueState")
        self.camera_status.setObjectName("cameraState")  # always on, coloured: is the picture live?
        self.statusBar().addWidget(self.camera_status)
        self.statusBar().addWidget(self.queue_status)
        self.statusBar().addWidget(self.reader_status)
        if session.tether is not None:  # where the studio camera's shots are expected, in sight all day
            self.statusBar().addWidget(QLabel(t(TETHER_FOLDER.format(path=session.tether))))
        self.failed_button = QPushButton(t(SHOW_FAILED))  # the red count says something failed; this opens it
        self.failed_button.setFocusPolicy(Qt.NoFocus)
        self.failed_button.clicked.connect(self.show_failed_uploads)
        self.failed_button.hide()
        self.statusBar().addWidget(self.failed_button)
        self.statusBar().addWidget(QWidget(), 1)
        self.statusBar().addPermanentWidget(QLabel(t(OPERATOR.format(name=session.operator))))
        self.queue_window = QueueWindow(session.queue_board, self)
        self.help_window = HelpWindow(self)
        self.preview.covering = self.help_window  # over the picture, the instructions stand clear of it
        # F1's list placed again once the window is resized or moved (_moved): at most every HELP_FOLLOWS_MS of a drag
        self._help_follows = QTimer(self, singleShot=True, interval=HELP_FOLLOWS_MS)
        self._help_follows.timeout.connect(self._follow_the_window)
        FocusReturn(self)  # a kiosk without a window manager: the keyboard comes back when a dialog closes

        self.code_input.submitted.connect(lambda text, _scanned: self.identify(text))
        self.code_input.enter.connect(self.flow.enter)
        self.code_input.shutter.connect(self.flow.shutter)
        self.code_input.escape.connect(self.flow.escape)
        self.code_input.switch.connect(self.accept_offer)
        self.shutter_button.clicked.connect(self.flow.shutter)
        self.retake_button.clicked.connect(self.flow.ask_retake)
        self.retake_button.clicked.connect(self.queue_window.refresh)  # 正在拍摄 as the retake begins, not 5 s later
        self.absent_button.clicked.connect(self.mark_next_absent)
        self.undo_absent_button.clicked.connect(self.undo_absent)
        self.pay_button.clicked.connect(self.record_payment)
        self.code_input.pay.connect(self._pay_key)
        # the keys do what the buttons do, and only when the buttons could be pressed
        self.code_input.retake.connect(self._retake_key)
        self.code_input.absent.connect(lambda: self._press(self.absent_button))
        self.code_input.undo_absent.connect(self._undo_absent_key)
        self.review.accepted.connect(self.flow.accept)
        self.review.retake.connect(self.flow.escape)
        session.listener = SessionListener(live=self._live, camera=self._camera_changed, identified=self._identified,
                                           offered=self._offered, withdrawn=self._offer_withdrawn,
                                           unknown=self._unknown, card=self._card,
                                           reader=self._reader, tethered=self.flow.tethered, set_aside=self._set_aside,
                                           identity=self._live_identity)
        if not resumed:
            session.start()  # listening first, then reading the camera's state: no change falls between the two
            run_task(session.load_faces, session.adopt_faces)  # the day's faces decrypted now, not at the first press
        self._show_camera(session.source.state_text, session.source.state)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(2000)
        self._tick()
        self._show_step()

    # -- layout ----------------------------------------------------------------------
    def show_with_queue(self) -> None:
        """Maximised on a laptop screen smaller than the window's comfortable size; the queue window beside,
        behind or on a second screen; the keyboard here, in the code field."""
        free = self.screen().availableGeometry()
        if free.width() < COMFORTABLE_SIZE[0] or free.height() < COMFORTABLE_SIZE[1]:
            self.showMaximized()
        else:
            self.resize(*COMFORTABLE_SIZE)
            self.show()
        self.queue_window.show_beside()
        self.code_input.setFocus()

    def _message_label(self, level: str = "info") -> QLabel:
        label = QLabel()
        label.setObjectName("message")
        label.setProperty("level", level)
        label.setWordWrap(True)
        label.hide()
        return label

    def _build_layout(self) -> None:
        # The student's card (name, numbers, status, fee) is always whole in sight on a small laptop screen: the
        # messages that come and go (the F4 question, what was said, warnings) share the room left between it and
        # the check board, and scroll there when they pile up. The board and the shutter stay put. The class now and
        # the next student (the queue, not the student at the camera) stand under the live picture, where a laptop's
        # picture leaves room: in the side panel they took the room a refusal's second line needed at 1366x700
        # (new photographer's walk s25), and over a 16:9 picture the laptop's picture keeps its size. In review the
        # photos take their room (the keys F3 and Shift+F3 still work).
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(4)
        side.addWidget(self.code_input)
        self.card.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        side.addWidget(self.card)
        side.addWidget(self.pay_button)
        self.message_area = scroll_column(self.offer, self.message, self.warnings)  # the question on top
        # three lines at least, the F4 question's (the window's shortest kept it in sight only by the review photos'
        # own minimum, until those could shrink: s28); on a screen shorter still it gives way before anything else
        self.message_area.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Ignored)
        self.message_area.setMinimumHeight(3 * self.offer.fontMetrics().lineSpacing() + 8)
        side.addWidget(self.message_area, 1)
        for widget in (self.check_board, self.shutter_button, self.retake_button):
            side.addWidget(widget)
        panel = QWidget()
        panel.setLayout(side)
        panel.setFixedWidth(SIDE_COLUMN_PX)
        queue = QHBoxLayout()  # undo beside absent, shown only after a mark
        queue.setContentsMargins(0, 0, 0, 0)
        queue.addWidget(self.slot_label)
        queue.addSpacing(16)
        queue.addWidget(self.next_label, 1)
        queue.addWidget(self.undo_absent_button)
        queue.addWidget(self.absent_button)
        live = QVBoxLayout(self.live)
        live.setContentsMargins(0, 0, 0, 0)
        live.addWidget(self.preview, 1)
        live.addLayout(queue)
        body = QHBoxLayout()
        body.addWidget(self.pages, 1)
        body.addWidget(panel)
        central = QWidget()
        central.setLayout(body)
        self.setCentralWidget(central)

    def _said_until(self) -> int:
        """Where the side panel's student card and the messages under it end, as far as they are in sight (screen y):
        a reason box stands below, over the checks and the shutter that wait for it, not over what was said."""
        area = self.message_area
        said = [area.mapToGlobal(QPoint(0, 0)).y()]  # the card, and the payment's button under it
        said += [label.mapToGlobal(QPoint(0, label.height())).y()
                 for label in (self.offer, self.message, self.warnings) if label.isVisible()]
        return min(max(said), area.viewport().mapToGlobal(QPoint(0, area.viewport().height())).y())

    def _build_menus(self) -> None:
        def add(menu: QMenu, entry: Text, key: str, slot: Callable[[], object] | None = None,
                shortcut: str = "") -> QAction:
            action = menu.addAction(accelerated(t(entry), key))
            action.setShortcut(QKeySequence(shortcut))
            if slot is not None:
                action.triggered.connect(slot)
            return action

        roster_menu = self.menuBar().addMenu(t(MENU_ROSTER))
        add(roster_menu, IMPORT_ROSTER, "I", self.import_roster)
        add(roster_menu, FROM_FOLDER, "F", lambda: import_references_interactively(self.session, "folder", self))
        add(roster_menu, FROM_ZIP, "Z", lambda: import_references_interactively(self.session, "zip", self))
        add(roster_menu, FROM_SERVER, "V", lambda: import_references_interactively(self.session, "server", self))
        add(roster_menu, SET_SLOTS, "L", self._edit_slots)
        add(roster_menu, PICK_STUDENT, "P", self.pick_student)
        add(roster_menu, CLASS_PAYMENT, "C", self.record_class_payment)
        upload_menu = self.menuBar().addMenu(t(MENU_UPLOAD))
        add(upload_menu, FAILED_UPLOADS, "F", self.show_failed_uploads)
        add(upload_menu, EXPORT_USB, "E", self.export_to_usb)
        add(upload_menu, LINK_SERVER, "C", self.link_server)
        reports_menu = self.menuBar().addMenu(t(MENU_REPORTS))
        add(reports_menu, PRINT_PHOTOS, "P", self.print_photos, "Ctrl+P")
        add(reports_menu, DAY_REPORT, "R", self.write_report)
        station_menu = self.menuBar().addMenu(t(MENU_STATION))
        add(station_menu, CAMERA_SETTINGS, "C", self.choose_camera)
        self.profile_action = station_menu.addAction("", self.choose_profile)
        self.calibrate_action = station_menu.addAction("", self.calibrate_backdrop)
        station_menu.aboutToShow.connect(self._name_settings)  # each entry names the current choice
        self._name_settings()
        add(station_menu, SHOW_QUEUE, "W", self.toggle_queue_screen, TOGGLE_KEY)
        self.full_names = add(station_menu, FULL_NAMES, "N")
        self.full_names.setCheckable(True)
        self.full_names.setChecked(not self.session.mask_names)  # as chosen in the window before a language switch
        self.full_names.toggled.connect(self._set_full_names)
        add_language_menu(station_menu, self.choose_language)
        station_menu.addSeparator()
        add(station_menu, QUIT, "Q", self.close, "Ctrl+Q")  # the close warnings still apply
        help_menu = self.menuBar().addMenu(t(MENU_HELP))
        add(help_menu, KEYBOARD_HELP, "K", self.show_keyboard_help, "F1")

    # -- commands --------------------------------------------------------------------
    @staticmethod
    def _press(button: QPushButton) -> None:
        """A key standing for a button does nothing while the button is hidden or disabled."""
        if button.isEnabled() and not button.isHidden():
            button.click()

    def identify(self, payload: str, by_number: bool = False) -> None:
        """A code typed or scanned with a handheld scanner, or a student number picked (`by_number`)."""
        try:
            found = self.session.identify(payload, by_number)
        except StationError as exc:
            say(self.message, t(exc.text), "bad")
            return
        if found.ok:
            self._identified(found)
        else:
            self._unknown(found)

    def _identified(self, found: Identification) -> None:
        self.card.show_identification(found)
        self._show_fee()
        self.queue_window.refresh()  # the student at the camera now, not at the next five-second refresh
        say(self.message, t(found.message), LEVEL[found.outcome])
        say(self.warnings, "\n".join(t(w) for w in found.warnings), "warn")
        self._show_step()
        self._tick()  # 下一位 at once: it named the student now at the camera until the next two-second tick

    def _unknown(self, found: Identification) -> None:
        message = t(found.message)
        if not self.session.desk.has_roster():
            message += "\n" + t(EMPTY_ROSTER)
        if self.session.student is not None:  # nobody new: the shutter still photographs the student on the card
            message += "\n" + t(STILL_CURRENT.format(name=Name(self.session.student.name)))
        say(self.message, message, LEVEL[found.outcome])
        self._show_step()  # a code typed and refused holds Enter: the shutter's button says which keys shoot

    def _card(self, read: CardRead) -> None:
        """An ID card on the chip reader: its student, as for a scanned code; a name on the chip that is not the
        roster's is said beside the card."""
        if not read.identification.ok:
            self._unknown(read.identification)
            return
        self._identified(read.identification)
        if read.name_mismatch is not None:
            shown = "\n".join(filter(None, (self.warnings.text(), t(read.name_mismatch))))
            say(self.warnings, shown, "warn")

    def _reader(self, text: Text, ok: bool) -> None:
        say(self.reader_status, t(text), "ok" if ok else "bad")

    def _offered(self, found: Identification, text: Text) -> None:
        say(self.offer, t(text), "warn")
        if self.message.text() == t(NO_OFFER):  # an F4 pressed too late said so: it stood under "press F4" (s25 walk)
            say(self.message, "", "")
        self._show_step()  # the shutter waits for the answer, and says so

    def _offer_withdrawn(self) -> None:
        say(self.offer, "", "warn")
        self._show_step()

    def accept_offer(self) -> None:
        """F4: the student whose code the camera saw held up is the one being photographed. With none it says so:
        the key was silent, pressed a moment after the code had gone (first-run walk, finding 3)."""
        if self.session.offer is None:
            say(self.message, t(NO_OFFER), "info")
            return
        try:
            self._identified(self.session.accept_offer())
        except StationError as exc:
            say(self.message, t(exc.text), "bad")

    def import_roster(self) -> None:
        if import_roster_interactively(self.session, self) is not None:
            say(self.message, "", "")  # an "unknown code" from before the import no longer holds
            self._tick()
            self.queue_window.refresh()

    def pick_student(self) -> None:
        picker = StudentPicker(self.session.desk.roster_rows(), self)
        if ask(picker) and picker.chosen:
            self.identify(picker.chosen, by_number=True)

    def _set_aside(self, text: Text) -> None:
        """A tethered camera's photo that was filed to nobody: where it went, and why."""
        say(self.message, t(text), "warn")

    def _saved(self) -> None:
        """A photo was saved: the upload counter shows it now (not at the next two-second tick), and the card, the
        warnings and the queue screen are ready for the next student."""
        self._tick()
        say(self.warnings, "", "warn")
        self.card.clear()
        self.queue_window.refresh()

    def _pay_key(self) -> None:
        """F6, the pay button's key: with nobody on the card (the button greyed) it says who comes first, where it
        did nothing and seemed unheard (seen on Xvfb, as F2 and F4 were)."""
        if self.session.student is None:
            say(self.message, t(NOBODY_TO_PAY), "info")
            return
        self._press(self.pay_button)

    def record_payment(self) -> None:
        """F6: the student on the card pays (and stays on the card while the dialog is open); a refund refused is
        said in the message line, as a closed override box is."""
        try:
            with self.session.answering():
                said = pay_interactively(self.session, self, self._in_the_column)
        except StationError as exc:
            say(self.message, t(exc.text), "bad")
            return
        self._paid(said)

    def record_class_payment(self) -> None:
        """名单 → 班级集体缴费: the class monitor pays for everyone in the class not yet paid, one receipt later."""
        classes = self.session.desk.class_names()
        if not classes:
            say(self.message, t(EMPTY_ROSTER), "bad")
            return
        with self.session.answering():
            said = pay_for_class_interactively(self.session, classes, title(CLASS_PAYMENT), self, self._in_the_column)
        self._paid(said)

    def _in_the_column(self, box: QWidget) -> None:
        """A payment's box over the side column below the card, as the reason boxes: not over the student's face."""
        in_the_column(box, self, self._said_until())

    def _paid(self, said: str) -> None:
        """A payment was recorded (`said` says it; '' when none was): the card's fee, the queue screen and a shutter
        that waited for it follow."""
        if said:
            say(self.message, said, "ok")
            self._show_fee()
            self.queue_window.refresh()
            self._show_step()

    def _show_fee(self) -> None:
        student = self.session.student
        if student is not None:
            status = self.session.desk.fee_status(student.student_no)
            self.card.show_fee(status.describe(), status.paid)

    def mark_next_absent(self) -> None:
        try:
            entry = self.session.mark_next_absent()
        except StationError as exc:  # the mark not written (a full disk): said, nobody marked
            say(self.message, t(exc.text), "bad")
            return
        if entry is not None:
            say(self.message, t(MARKED_ABSENT.format(name=Name(entry.name), no=entry.student_no)), "info")
            self.queue_window.refresh()
            self._tick()

    def undo_absent(self) -> None:
        try:
            entry = self.session.undo_absent()
        except StationError as exc:  # not written: said, the mark still there to take back
            say(self.message, t(exc.text), "bad")
            return
        if entry is not None:
            say(self.message, t(ABSENT_UNDONE.format(name=Name(entry.name), no=entry.student_no)), "info")
            self.queue_window.refresh()
            self._tick()

    def _retake_key(self) -> None:
        """F2 does what the retake button does; where there is nothing to retake it says why (it was silent)."""
        refused = self.session.retake_refused()
        if refused is None:
            self._press(self.retake_button)
        else:
            say(self.message, t(refused), "info")

    def _undo_absent_key(self) -> None:
        """Shift+F3 does what its button does; with no button (no mark of this run left to take back: the walk pressed
        it after a restart and nothing happened) it says so."""
        if self.undo_absent_button.isHidden():
            say(self.message, t(NOTHING_TO_UNDO), "info")
        else:
            self._press(self.undo_absent_button)

    def show_failed_uploads(self) -> None:
        dialog = FailedUploadsDialog(self.session.desk.queue_health(), self)
        if ask(dialog):
            self.retry_failed_uploads()

    def retry_failed_uploads(self) -> None:
        try:
            count = self.session.desk.retry_failed_uploads()
        except StationError as exc:  # not written (a full disk): said, the photos still wait as they were
            say(self.message, t(exc.text), "bad")
            return
        self._tick()
        say(self.message, t(RETRIED.format(count=count)), "info")

    def export_to_usb(self) -> None:
        """The offline route, for a day when the network is down: the queue written to a stick."""
        export_interactively(self.session, title(EXPORT_USB), self)

    def link_server(self) -> None:
        """The registrar's settings line for this laptop, pasted instead of run in a terminal."""
        if link_interactively(self.session, title(LINK_SERVER), self):
            self._tick()  # 未配置服务器 gone from the status bar at once
            self._show_step()  # and the shutter no longer refused for it

    def print_photos(self) -> None:
        """2-inch prints of the student at the camera (or just saved) or of a class, as a PDF to print."""
        print_interactively(self.session, self)

    def write_report(self) -> None:
        """The day and class report (who is still missing, overrides, photos per hour) as .xlsx or .pdf."""
        report_interactively(self.session, self)

    def choose_camera(self) -> None:
        dialog = CameraDialog(lambda: list_cameras(in_use=self.session.source.usb_index), self.session.usb_settings,
                              self.session.source.usb_index, self)
        if ask(dialog):
            self.use_camera(self.session.open_usb_camera(*dialog.choice()))

    def choose_profile(self) -> None:
        try:
            said = choose_profile(self.session, self)
        except StationError as exc:
            say(self.message, t(exc.text), "bad")
            return
        if said:
            say(self.message, said, "ok")
        self._name_settings()

    def calibrate_backdrop(self) -> None:
        calibrate_backdrop(self.session, lambda: self.preview.shown_frame, self, self._calibration_said)

    def _calibration_said(self, text: str, level: str) -> None:
        """How the calibration went, said by the window on screen when it is measured: a language switch meanwhile
        has built another (said to this one, hidden, it was never seen)."""
        window = self.holder.window
        say(window.message, text, level)
        window._name_settings()  # noqa: SLF001 - the same class's, in the window now on screen

    def _name_settings(self) -> None:
        self.profile_action.setText(accelerated(profile_entry(self.session.profiles()), "O"))
        self.calibrate_action.setText(accelerated(calibrate_entry(self.session.backdrop_calibrated_at()), "B"))

    def use_camera(self, source: FrameSource) -> None:
        """Show, scan and check `source` in place of the camera in use; its state is read once it is listened to (a
        camera that could not be opened changed state before: the status went on saying 相机正常 of the one before)."""
        self.preview.use_source(self.session.use_camera(source))
        self._show_camera_state()

    def show_keyboard_help(self) -> None:
        """F1 shows the keys, F1 again hides them: the window never has the keyboard, so an Esc meant to close it
        would reach the station (in review: drop the photo). Stepped aside (HelpWindow.follow), F1 shows it."""
        if self.help_window.isVisible():
            self.help_window.close()
            return
        # no room beside: over the picture beside the student's crop frame, not over the side panel
        self.help_window.show_beside(self, self.preview, self.preview.kept_clear(), self.preview.must_see())
        self.help_window.raise_()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._moved()

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        self._moved()

    def _moved(self) -> None:
        """F1's list, placed beside the window or over its picture, stayed where it was when the window was narrowed
        or moved: over the code field, the card and the messages, or far from the window (s33 walk). Placed again by
        the same rule a moment later (a drag's steps in between coalesced; nothing done while it is not shown)."""
        help_follows = getattr(self, "_help_follows", None)  # None: still being built
        if help_follows is not None and self.help_window.placed and not help_follows.isActive():
            help_follows.start()

    def _follow_the_window(self) -> None:
        if self.help_window.placed:
            self.help_window.follow(self, self.preview, self.preview.kept_clear(), self.preview.must_see(),
                                    anchor_moved=True)

    def toggle_queue_screen(self) -> None:
        """F9: the queue window in front of this one or back behind it (on a single screen nothing else shows it)."""
        self.queue_window.toggle_in_front()

    def _set_full_names(self, full: bool) -> None:
        self.session.show_full_names(full)
        self.queue_window.refresh()

    def choose_language(self, lang: str) -> None:
        """工作站 → 语言 / Language: the window built again in `lang` on the same session, and the choice kept for the
        next start (ui.window_language); refused, saying why the session gives, while a new window could not show the
        capture as it stands."""
        if lang == language():
            return
        refused = self.session.language_switch_refused()
        if refused is not None:
            if self.queue_window.in_front:  # over this window (F9): the line saying why would be out of sight
                self.queue_window.toggle_in_front()
            self.switch_refusal.say(refused)
            return
        kept = self.session.station.choose_lang(lang)
        use_language(QApplication.instance(), lang)
        MainWindow(self.session, self.demo, resumed=True).take_over(self, t(SWITCHED if kept else NOT_KEPT))

    def take_over(self, old: MainWindow, said: str) -> None:
        """In place of `old`, on its session: where it stood, the queue window where it stood (closed, behind or in
        front), the student on its card and a retake under way said again (the shutter would otherwise photograph a
        student the card does not name), F1's list if it was shown, and `said` above them; `old` closes without the
        close warnings, the day going on here."""
        if old.isMaximized():
            self.showMaximized()
        else:
            self.setGeometry(old.geometry())
            self.show()
        if old.queue_window.isVisible():  # one the photographer closed stays closed (F9 brings it back)
            self.queue_window.show_beside()
        if old.queue_window.in_front:  # brought in front with F9: in front of the new window too
            self.queue_window.toggle_in_front()
        found = self.session.workflow.identification
        if found is not None:
            self._identified(found)
        retake = self.flow.retake_line()  # said in place of the card's 已拍过…F2 once the retake has begun
        level = "warn" if retake else self.message.property("level") if found is not None else "ok"
        said_of_them = retake or (self.message.text() if found is not None else "")
        say(self.message, "\n".join(filter(None, (said, said_of_them))), level)
        self.holder = old.holder
        self.holder.window = self  # `old` is let go; held meanwhile by the call on its stack and by retire's task
        if old.help_window.isVisible():
            self.show_keyboard_help()
        old.retire()
        self.code_input.setFocus()

    def retire(self) -> None:
        """Closed for good, its session going on under the window that took its place: no close warnings, nothing of
        it left to hear the camera, and deleted only once what was posted to it already has run, and the work it gave
        the worker thread (a backdrop being measured) has said its result to it: the worker runs one task at a time,
        so this empty one ends after them."""
        self.preview.retire()
        self.close()
        run_task(lambda: None, lambda _: (self.queue_window.deleteLater(), self.deleteLater()))

    # -- what the window shows -------------------------------------------------------
    def _show_step(self) -> None:
        step = self.session.step
        self.pages.setCurrentWidget(self.review if step is Step.REVIEW else self.live)
        blocked = self.session.shutter_blocked()
        retake = blocked is Blocked.NEEDS_RETAKE  # photographed before: the only way on is a retake, in the same place
        # the one going away first: both shown for a moment grew the window's minimum by a button's height, and a
        # window grown to its minimum never shrinks back (a 1280x680 window became 688 tall at a retake: s30)
        buttons = (self.shutter_button, self.retake_button)
        going, coming = buttons if retake else buttons[::-1]
        going.hide()
        coming.show()
        self.shutter_button.setEnabled(blocked is None)
        self.pay_button.setEnabled(self.session.student is not None)
        if self.session.offer is None:  # taken (F4), or over: another student identified, the shutter pressed
            say(self.offer, "", "warn")
        self.flow.offer_seen()  # a press refused for a question since changed or gone no longer holds
        self.switch_refusal.seen(self.session.language_switch_refused())  # and a language switch refused for it
        if not retake:
            shutter = SHUTTER if self.session.enter_shoots else SHUTTER_SPACE
            self.shutter_button.setText(t(shutter if blocked is None else SHUTTER_BLOCKED[blocked]))
        self._show_problems()
        self.code_input.setFocus()

    def _show_problems(self) -> None:
        shown = self.preview.findings()  # the side panel names what the picture shows, from the same scene
        analysis = self.session.override_asked or (shown.analysis if shown is not None else None)
        # the instructions themselves are on the picture, beside the student; in review, the photo's checks
        step = self.session.step
        if step is Step.REVIEW:
            self.check_board.show_analysis(self.review.checked, photo=True)
        else:
            self.check_board.show_analysis(analysis if step is Step.LIVE else None)
        self.flow.picture_seen(shown)

    def _show_status(self, status: Status) -> None:
        slot, later = status.slot, status.next_slot
        if slot:
            self.slot_label.setText(t(SLOT_NOW.format(name=slot.class_name, start=slot.starts_at, end=slot.ends_at)))
        elif later:  # a day ahead named with its date
            start = later.starts_at.strftime("%H:%M" if later.starts_at.date() == dt.date.today() else "%m-%d %H:%M")
            self.slot_label.setText(t(NEXT_SLOT.format(name=Name(later.class_name), start=start)))
        else:
            self.slot_label.setText(t(NO_SLOT))
        health = status.queue
        last = local_time(health.last_success_at, today=dt.date.today()) if health.last_success_at else "—"
        text = t(QUEUE.format(waiting=health.waiting, sending=health.sending, failed=len(health.failed), last=last))
        if health.server_reachable is False:
            text += t(OFFLINE)
        if not status.linked:  # said from the start, not first when a photo cannot be saved
            text = t(NOT_LINKED)
        say(self.queue_status, text, "bad" if health.failed or not status.linked else "")  # must be seen
        # why the server is not reached (a mistyped fingerprint or token, no network), where the bar has room for none
        why = health.last_error if status.linked and health.server_reachable is False else None
        self.queue_status.setToolTip(t(why) if why else "")
        self.failed_button.setVisible(bool(health.failed))
        entry = status.next_waiting
        if entry is not None:
            self.next_label.setText(t(NEXT.format(name=entry.name, no=entry.student_no)))
        else:
            self.next_label.setText(t(NO_NEXT if status.has_roster else EMPTY_ROSTER))
        self.absent_button.setEnabled(entry is not None)
        self.undo_absent_button.setVisible(status.can_undo_absent)

    def _live(self, result: LiveResult) -> None:
        self.preview.show_live(result if self.session.step is Step.LIVE else None)
        self._show_problems()
        if self.help_window.placed:  # F1's list, off the moved student and what shows why the shutter is blocked
            self.help_window.follow(self, self.preview, self.preview.kept_clear(), self.preview.must_see())

    def _live_identity(self, seen: LiveIdentity) -> None:
        self.card.show_identity(seen.said, seen.level)

    def _camera_changed(self, change: StateChange) -> None:
        back = change.recovered and change.state is self.session.source.state  # a late change: the current state decides
        if change.recovered and self.message.property("level") == "bad":
            say(self.message, "", "")  # a refusal from while the camera was away no longer holds
        self._show_camera_state(change.text if back else None)
        if back:  # then the steady state's words: 相机已恢复 stood for as long as the camera stayed up (s32 walk)
            QTimer.singleShot(BACK_SAID_MS, self, self._show_camera_state)

    def _show_camera_state(self, said: Text | None = None) -> None:
        """The camera in use as it is now (`said` in place of its state's words: 相机已恢复)."""
        source = self.session.source
        state = source.state
        self._show_camera(said or source.state_text, state)
        if state is not CameraState.LIVE:  # the last picture and its results are no longer the live scene
            self.preview.show_live(None)
            self.preview.camera_lost()
        self._show_step()

    def _show_camera(self, text: Text, state: CameraState) -> None:
        say(self.camera_status, t(text), "ok" if state is CameraState.LIVE else "bad")

    def _tick(self) -> None:
        self._show_status(self.session.status())

    def _edit_slots(self) -> None:
        if ask(ScheduleDialog(self.session.desk.class_slots(), self.session.desk.save_slots, self)):
            # said: the box closed and the message line still spoke of the student before (s32 first-day walk)
            scheduled = sum(c.slot is not None for c in self.session.desk.class_slots())
            say(self.message, t(SLOTS_SAVED.format(n=scheduled)), "ok")
            self._tick()
            self.queue_window.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        warnings = self.session.closing_warnings() if self.holder.window is self else []  # else: taken over
        if warnings and not self._close_anyway(warnings):
            event.ignore()
            return
        self.queue_window.close()
        self.help_window.close()
        super().closeEvent(event)

    def _close_anyway(self, warnings: list[Text]) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, t(CLOSE_TITLE), "\n\n".join(t(w) for w in warnings),
                          QMessageBox.StandardButton.Cancel, self)
        close = box.addButton(t(CLOSE_ANYWAY), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter keeps the station open
        ask(box)
        return box.clickedButton() is close
