"""The keyboard at the kiosk, in a small window a photographer can keep open beside the station."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from station.i18n import Text
from ui.i18n import t

TITLE = Text("键盘操作", "Keyboard")
INTRO = Text("光标始终停在扫码框中：手持扫码枪扫码、或输入学号后回车即可识别学生。",
             "The cursor stays in the code field: scan with a handheld scanner, or type a number and press Enter.")
COLUMNS = (Text("按键", "Key"), Text("作用", "What it does"))
KEYS = (
    (Text("空格 / 回车", "Space / Enter"), Text("拍照（实时画面时）", "Take the photo (while the picture is live)")),
    (Text("PageDown / F12", "PageDown / F12"), Text("脚踏开关：拍照", "Foot pedal: take the photo")),
    (Text("回车", "Enter"), Text("确认保存（照片出现 0.8 秒后，先让学生看清）",
                                 "Accept the photo (from 0.8 s after it appears: let the student look first)")),
    (Text("Esc", "Esc"), Text("放弃这张（不保存），回到实时画面，再按拍照键重拍",
                              "Drop this photo (not saved) and go back to the live picture; press the shutter again")),
    (Text("F2", "F2"), Text("已拍过的学生：重拍（需填写原因）", "A student photographed before: retake (give a reason)")),
    (Text("F3", "F3"), Text("把下一位标为缺席", "Mark the next student absent")),
    (Text("Shift+F3", "Shift+F3"), Text("撤销上一次缺席标记", "Undo the last absent mark")),
    (Text("F4", "F4"), Text("摄像头看到另一名学生的采集码或身份证时：切换到该学生",
                            "The camera saw another student's code or ID card held up: switch to them")),
    (Text("F6", "F6"), Text("登记当前学生的缴费（现金、微信、支付宝或免费）", "Record the current student's payment (cash, WeChat, Alipay or free)")),
    (Text("F9", "F9"), Text("显示或隐藏拍摄队列（只有一块屏幕时它在本窗口后面）",
                            "Show or hide the queue window (on a single screen it stands behind this one)")),
    (Text("Ctrl+P", "Ctrl+P"), Text("打印当前学生或刚保存学生的证件照（2寸×8张）",
                                    "Print the current or just-saved student's photos (2-inch x 8)")),
    (Text("F1", "F1"), Text("显示本窗口（再按 F1 关闭）", "Show this window (F1 again hides it)")),
    (Text("Ctrl+Q", "Ctrl+Q"), Text("退出工作站", "Quit the station")),
    (Text("Alt+字母", "Alt+letter"), Text("打开菜单，再按菜单项带下划线的字母", "Open a menu, then press the underlined letter of an entry")),
)


SIZE = QSize(600, 560)  # the list whole in both languages, the window's inside
# over the live picture's left side (no room beside the station): two fifths of its width at most and as tall as
# it, so the student's face, in the middle of the picture, and the crop's frame around it stay in sight
OVER_PICTURE_PX = 400
# over the picture, smaller than the station's 15 px: the list whole in Chinese there on a 1280x680 window
OVER_PICTURE_FONT = "font-size: 13px"


def frame_margins(window: QWidget) -> QMargins:
    """The window manager's frame around a window: zero without one (a bare kiosk) and until it has framed it."""
    frame, inside = window.frameGeometry(), window.geometry()
    return QMargins(inside.left() - frame.left(), inside.top() - frame.top(), frame.right() - inside.right(),
                    frame.bottom() - inside.bottom())


def beside(anchor: QRect, screen: QRect, size: QSize, margins: QMargins, picture: QRect | None = None) -> QRect:
    """The frame, title bar included, of a window whose inside is `size` and frame `margins`, to the right of the
    `anchor` frame where `screen` has room, else to its left; with room on neither side, over the `picture`'s left
    side, OVER_PICTURE_PX wide at most (against the screen's right edge it covered the station's code field, student
    card and messages: first-run walk s24, finding 10), else against the screen's right edge, shrunk to fit it:
    wholly on the screen."""
    outer = size.grownBy(margins).boundedTo(screen.size())
    if anchor.right() + outer.width() < screen.right():
        x = anchor.right() + 1
    elif anchor.left() - outer.width() >= screen.left():
        x = anchor.left() - outer.width()
    elif picture is not None:
        area = picture.intersected(screen)
        outer = QSize(min(OVER_PICTURE_PX + margins.left() + margins.right(), area.width() * 2 // 5), area.height())
        return QRect(area.topLeft(), outer)
    else:
        x = screen.right() + 1 - outer.width()
    y = min(max(anchor.top(), screen.top()), screen.bottom() + 1 - outer.height())
    return QRect(QPoint(max(x, screen.left()), y), outer)


class HelpWindow(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool)  # stays beside the station, never takes the keyboard from it
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setWindowTitle(t(TITLE))
        intro = QLabel(t(INTRO))
        intro.setWordWrap(True)
        self.table = QTableWidget(len(KEYS), len(COLUMNS))
        self.table.setHorizontalHeaderLabels([t(c) for c in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.NoSelection)
        self.table.setFocusPolicy(Qt.NoFocus)
        for row, (key, what) in enumerate(KEYS):
            self.table.setItem(row, 0, QTableWidgetItem(t(key)))
            self.table.setItem(row, 1, QTableWidgetItem(t(what)))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        # A long line (the English ones) wraps onto a taller row instead of ending in "…"
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        self.resize(SIZE)

    def show_beside(self, anchor: QWidget, picture: QWidget | None = None) -> None:
        """Beside the station's window where the screen has room, else over its `picture` (see `beside`): always
        wholly on the screen, title bar included. Placed before it is shown: a window manager then puts the
        frame itself there (moved once shown, openbox took the place for the window's inside, before it had framed
        the window, and its title bar stood above the screen's top)."""
        screen = (anchor.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        margins = frame_margins(self)
        if margins.isNull():  # never framed yet: the station's own frame is the best guess at this one's
            margins = frame_margins(anchor)
        over = None if picture is None else QRect(picture.mapToGlobal(QPoint(0, 0)), picture.size())
        frame = beside(anchor.frameGeometry(), screen, SIZE, margins, over)
        self.setStyleSheet(OVER_PICTURE_FONT if over is not None and over.contains(frame) else "")
        self.resize(frame.size().shrunkBy(margins))
        self.move(frame.topLeft())  # a window's position is its frame's
        self.show()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:  # a window manager's close button may not be there (a bare kiosk)
            self.close()
            return
        super().keyPressEvent(event)
