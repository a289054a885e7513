"""The keyboard at the kiosk, in a small window a photographer can keep open beside the station."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from station.i18n import Text
from ui.i18n import t

TITLE = Text("键盘操作", "Keyboard")
INTRO = Text("光标始终停在扫码框中：扫码，或输入学号后回车。", "The cursor stays in the code field: scan, or type a number + Enter.")
COLUMNS = (Text("按键", "Key"), Text("作用", "What it does"))
# Each line short: the list stands beside the student's crop frame, not over it, and is read whole without a scroll on
# a 1280x680 window (new photographer's walk s25: it reached into the frame, and scrolled in English)
KEYS = (
    (Text("空格 / 回车", "Space / Enter"), Text("拍照", "Take the photo")),
    (Text("PageDown / F12", "PageDown / F12"), Text("脚踏开关：拍照", "Foot pedal: take the photo")),
    (Text("回车", "Enter"), Text("确认保存（照片出现 0.8 秒后）", "Accept it (0.8 s after it shows)")),
    (Text("Esc", "Esc"), Text("放弃这张（不保存），回到实时画面", "Drop it (not saved), back to the live picture")),
    (Text("F2", "F2"), Text("重拍已拍过的学生（填原因）", "Retake (give a reason)")),
    (Text("F3", "F3"), Text("下一位缺席", "Next is absent")),
    (Text("Shift+F3", "Shift+F3"), Text("撤销缺席标记", "Undo absent")),
    (Text("F4", "F4"), Text("切换到举起采集码或身份证的学生", "Switch to the code or ID card held up")),
    (Text("F6", "F6"), Text("登记缴费", "Record payment")),
    (Text("F9", "F9"), Text("显示或隐藏拍摄队列", "Show or hide the queue")),
    (Text("Ctrl+P", "Ctrl+P"), Text("打印证件照（2寸×8张）", "Print photos (2-inch x 8)")),
    (Text("F1", "F1"), Text("关闭本窗口", "Hide this list")),
    (Text("Ctrl+Q", "Ctrl+Q"), Text("退出工作站", "Quit the station")),
    (Text("Alt+字母", "Alt+letter"), Text("菜单，再按带下划线的字母", "Menus, then an underlined letter")),
)


SIZE = QSize(600, 560)  # the list whole in both languages, the window's inside
# over the live picture (no room beside the station): beside the crop frame the student is framed by, never over it
# nor over the student's face (it reached 20-35 px into the frame at 1280x680: new photographer's walk s25), as tall
# as the picture and OVER_PICTURE_PX wide at most
OVER_PICTURE_PX = 400
# with no crop frame drawn (nobody at the camera), the room a student centred in the picture leaves beside theirs
CENTRED_SHARE = 0.3
# the narrowest the list is read whole in (English at 12 px: from 200 px wide beside a 1280x720 window's 600 px tall
# picture, 215 px beside a 1280x680's 562): the side of the crop frame the list stands on keeps it while it has this
# much room, else the list takes the side with more (a tilted student's frame left 231 and 258 px, and the list,
# 240 px wide on the left, reached over the frame and scrolled in English: s25 walk leftovers)
MIN_OVER_PX = 200
GAP_PX = 8  # between the list and the crop frame
# over the picture, smaller than the station's 15 px: the first of these looks (font px, the line above the keys
# shown) in which the list is whole there; in MIN_OVER_PX at 1280x680 the English list was whole in none while the
# line stood above it (s29: it scrolled below 215 px), and the keys are what the list is for
OVER_PICTURE_LOOKS = ((13, True), (12, True), (12, False))
OVER_PICTURE_MARGIN_PX = 4  # around the list over the picture (the window's own 11 px took room from every row)
KEY_PADDING_PX = 12  # a cell's text margins and a little air before what the key does
KEYS_SHARE = 0.35  # of the list's width, at most, for the keys' column with each key on one line


def frame_margins(window: QWidget) -> QMargins:
    """The window manager's frame around a window: zero without one (a bare kiosk) and until it has framed it."""
    frame, inside = window.frameGeometry(), window.geometry()
    return QMargins(inside.left() - frame.left(), inside.top() - frame.top(), frame.right() - inside.right(),
                    frame.bottom() - inside.bottom())


def beside(anchor: QRect, screen: QRect, size: QSize, margins: QMargins, picture: QRect | None = None,
           crop: QRect | None = None, left: bool | None = None, seen: Sequence[QRect] = ()) -> QRect:
    """The frame, title bar included, of a window whose inside is `size` and frame `margins`, to the right of the
    `anchor` frame where `screen` has room, else to its left; with room on neither side, over the `picture`, beside
    its `crop` frame (`over_the_picture`: against the screen's right edge it covered the station's code field, student
    card and messages: first-run walk s24, finding 10), else against the screen's right edge, shrunk to fit it:
    wholly on the screen. `seen`: what it keeps clear of over the picture where it can (see `over_the_picture`)."""
    outer = size.grownBy(margins).boundedTo(screen.size())
    if anchor.right() + outer.width() < screen.right():
        x = anchor.right() + 1
    elif anchor.left() - outer.width() >= screen.left():
        x = anchor.left() - outer.width()
    elif picture is not None:
        return over_the_picture(picture.intersected(screen), OVER_PICTURE_PX + margins.left() + margins.right(), crop,
                                left, seen)
    else:
        x = screen.right() + 1 - outer.width()
    y = min(max(anchor.top(), screen.top()), screen.bottom() + 1 - outer.height())
    return QRect(QPoint(max(x, screen.left()), y), outer)


def over_the_picture(area: QRect, widest: int, crop: QRect | None, left: bool | None = None,
                     seen: Sequence[QRect] = ()) -> QRect:
    """As tall as the picture's `area`, `widest` at most, beside the `crop` frame drawn over it (or the student's
    face where none is drawn): on the side it stands on already (`left`; None: not shown yet) while that side has
    MIN_OVER_PX, else on the side with more room; on the other side where only that one, with MIN_OVER_PX, keeps
    clear of what the photographer must see there (`seen`: a code's outline beside the student, s27); with no crop
    frame nor face, in the room a centred student's leaves on the left."""
    if crop is None:
        return QRect(area.topLeft(), QSize(min(widest, int(area.width() * CENTRED_SHARE)), area.height()))
    room = {True: crop.left() - GAP_PX - area.left(), False: area.right() - crop.right() - GAP_PX}

    def on(side: bool) -> QRect:
        width = max(MIN_OVER_PX, min(widest, room[side]))
        return QRect(QPoint(area.left() if side else area.right() + 1 - width, area.top()), QSize(width, area.height()))

    on_left = left if left is not None and room[left] >= MIN_OVER_PX else room[True] >= room[False]
    first, other = on(on_left), on(not on_left)
    if room[not on_left] >= MIN_OVER_PX and covers(first, seen) and not covers(other, seen):
        return other
    return first


def covers(frame: QRect, seen: Sequence[QRect]) -> bool:
    return any(frame.intersects(box) for box in seen)


class HelpWindow(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool)  # stays beside the station, never takes the keyboard from it
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setWindowTitle(t(TITLE))
        self.intro = QLabel(t(INTRO))
        self.intro.setWordWrap(True)
        self.table = QTableWidget(len(KEYS), len(COLUMNS))
        self.table.setHorizontalHeaderLabels([t(c) for c in COLUMNS])
        self.table.horizontalHeader().setVisible(False)  # a key and what it does: read without a heading
        self.table.verticalHeader().setVisible(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)  # each key with its line, without a grid's room
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.NoSelection)
        self.table.setFocusPolicy(Qt.NoFocus)
        for row, (key, what) in enumerate(KEYS):
            self.table.setItem(row, 0, QTableWidgetItem(t(key)))
            self.table.setItem(row, 1, QTableWidgetItem(t(what)))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)  # _fit_keys
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        # A long line (the English ones) wraps onto a taller row instead of ending in "…"
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table)
        self._margins = layout.contentsMargins()  # beside the window; over the picture, OVER_PICTURE_MARGIN_PX
        self.resize(SIZE)
        self._fit_keys()
        self.aside = False  # stepped aside from what the photographer must see, back once that is gone (follow)
        self.kept_over: set[str] = set()  # the checks whose places it covered when placed: it does not step aside

    def _fit_keys(self) -> None:
        """The keys' column as wide as its widest key where the list has room, else as its widest part of a key
        (PageDown / F12 on two lines): what each key does has the rest of a narrow list."""
        metrics = self.table.fontMetrics()
        whole = max(metrics.horizontalAdvance(t(key)) for key, _ in KEYS)
        part = max(metrics.horizontalAdvance(part) for key, _ in KEYS for part in t(key).split(" / "))
        part += metrics.horizontalAdvance(" /")
        room = self.width() * KEYS_SHARE
        self.table.setColumnWidth(0, (whole if whole + KEY_PADDING_PX <= room else part) + KEY_PADDING_PX)

    def show_beside(self, anchor: QWidget, picture: QWidget | None = None, crop: QRect | None = None,
                    seen: dict[str, list[QRect]] | None = None) -> None:
        """Beside the station's window where the screen has room, else over its `picture` beside the `crop` frame
        drawn over it (or the face), on the screen (see `beside`): always wholly on the screen, title bar included.
        Over the picture, in the first of OVER_PICTURE_LOOKS in which it is read whole. Placed before it is
        first shown: a window manager then puts the frame itself there (moved once shown, openbox took the place for
        the window's inside, before it had framed the window, and its title bar stood above the screen's top).
        `seen`: where the photographer must see something, by check (PreviewWidget.must_see): kept clear of where
        the list can; what it covers all the same was asked for (F1) and it does not step aside for it (follow)."""
        seen = seen or {}
        self.aside = False
        frame, margins, over = self._placed(anchor, picture, crop, seen)
        self.kept_over = {check for check, boxes in seen.items() if covers(frame, boxes)}
        if self.isVisible() and frame == self.frameGeometry():
            return
        looks = OVER_PICTURE_LOOKS if over is not None and over.contains(frame) else ((None, True),)
        for px, intro in looks:
            self.setStyleSheet("" if px is None else f"font-size: {px}px")
            self.layout().setContentsMargins(self._margins if px is None else QMargins(*[OVER_PICTURE_MARGIN_PX] * 4))
            self.intro.setVisible(intro)
            self.resize(frame.size().shrunkBy(margins))
            self._fit_keys()
            self.move(frame.topLeft())  # a window's position is its frame's
            self.show()
            if self.whole():
                break

    def _placed(self, anchor: QWidget, picture: QWidget | None, crop: QRect | None,
                seen: dict[str, list[QRect]]) -> tuple[QRect, QMargins, QRect | None]:
        """Where its frame goes (see `beside`), the frame's margins, and the picture on the screen."""
        screen = (anchor.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        margins = frame_margins(self)
        if margins.isNull():  # never framed yet: the station's own frame is the best guess at this one's
            margins = frame_margins(anchor)
        over = None if picture is None else QRect(picture.mapToGlobal(QPoint(0, 0)), picture.size())
        left = None if crop is None or not self.isVisible() else self.frameGeometry().center().x() < crop.center().x()
        boxes = [box for boxes in seen.values() for box in boxes]
        return beside(anchor.frameGeometry(), screen, SIZE, margins, over, crop, left, boxes), margins, over

    def follow(self, anchor: QWidget, picture: QWidget, crop: QRect | None,
               seen: dict[str, list[QRect]] | None = None, anchor_moved: bool = False) -> None:
        """Shown over the `picture`, placed again once the student's `crop` frame (or face) reaches under it: placed
        only when F1 was pressed, it stayed where the student had been. Placed again too once it would cover what
        the photographer must `see` (a code's or a question's outline, several people: it hid them, and why the
        shutter was blocked, s27): on the crop frame's other side where that is clear, else it steps aside (hidden)
        until that is gone. What it covered when F1 showed it, it keeps covering while that lasts.
        `anchor_moved`: the station's window was resized or moved, placed again by the same rule wherever it stands
        (it stayed where it was: over the side panel of a window narrowed or moved, or far from it; s33 walk)."""
        if not self.placed:
            return
        seen = seen or {}
        self.kept_over &= set(seen)  # gone: when it comes back, the list steps aside for it
        new = [box for check, boxes in seen.items() if check not in self.kept_over for box in boxes]
        here = self.frameGeometry()
        if (self.isVisible() and not anchor_moved and not (crop is not None and here.intersects(crop))
                and not covers(here, new)):
            return
        if covers(self._placed(anchor, picture, crop, seen)[0], new):
            self.hide()
            self.aside = True
            return
        self.show_beside(anchor, picture, crop, seen)

    @property
    def placed(self) -> bool:
        """Shown by F1, over the picture or beside the window, or stepped aside for a while (follow)."""
        return self.isVisible() or self.aside

    def whole(self) -> bool:
        """Every key's row in sight, nothing to scroll (measured now, as laid out for the window's size)."""
        self.layout().activate()
        self.table.doItemsLayout()
        return self.table.verticalHeader().length() <= self.table.viewport().height()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:  # a window manager's close button may not be there (a bare kiosk)
            self.close()
            return
        super().keyPressEvent(event)
