"""The second window, facing the queue: who is being photographed, who is next, who is done.

Fullscreen on a second monitor when there is one. It shows no ID numbers, and names and
student numbers masked unless the station's setting says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from station.capture.queue_board import QueueBoard, QueueState
from station.i18n import Text
from ui.i18n import t
from ui.theme import BAD

TITLE = Text("拍摄队列", "Photo queue")
TOGGLE_KEY = "F9"  # the station's key that brings the queue in front and puts it back
MIN_SIDE_WIDTH = 480  # narrower than this beside the main window, the queue goes behind it instead
HEADING = Text("正在拍摄：{current}    下一个班级：{next}", "Now: {current}    Next class: {next}")
NONE = Text("无", "none")
COLUMNS = (Text("班级", "Class"), Text("学号", "Student no."), Text("姓名", "Name"), Text("状态", "Status"),
           Text("缴费", "Fee"))
FEE = {True: Text("已缴", "Paid"), False: Text("未缴", "Not paid")}  # capitalised as the status beside
STATES = {
    QueueState.WAITING: (Text("等待", "Waiting"), "#ffffff"),
    QueueState.NOW: (Text("正在拍摄", "Now"), "#fff59d"),
    QueueState.DONE: (Text("已完成", "Done"), "#c8e6c9"),
    QueueState.RETAKE: (Text("已重拍", "Retaken"), "#bbdefb"),
    QueueState.ABSENT: (Text("缺席", "Absent"), "#eeeeee"),
}


class QueueWindow(QWidget):
    def __init__(self, board: Callable[[], QueueBoard], main: QWidget) -> None:
        """`board`: the queue as it stands (the capture session's), asked again at every refresh; `main`: the
        station window, which keeps the keyboard."""
        super().__init__()
        self._board = board
        self._main = main
        self._in_front = False
        self._over_main = False  # on the station window's screen, where it stands: it follows the station's moves
        self.setWindowTitle(t(TITLE))
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 30px; font-weight: 700; padding: 12px")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([t(c) for c in COLUMNS])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.NoSelection)  # a display, not a grid to click in
        self.table.setFocusPolicy(Qt.NoFocus)
        self.table.setStyleSheet("font-size: 24px")
        for clicked in (self, self.heading, self.table.viewport()):
            clicked.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(5000)  # follows other stations' and the slot clock's changes too
        self.board: QueueBoard | None = None
        main.installEventFilter(self)
        self.refresh()

    def refresh(self) -> None:
        board = self._board()
        self.board = board
        self.heading.setText(t(HEADING.format(current=board.current_class or t(NONE), next=board.next_class or t(NONE))))
        self.table.setRowCount(len(board.entries))
        for row, entry in enumerate(board.entries):
            label, colour = STATES[entry.state]
            for column, value in enumerate((entry.class_name, entry.shown_no, entry.name, t(label), t(FEE[entry.paid]))):
                item = QTableWidgetItem(value)
                item.setBackground(QColor(colour))
                if column == len(COLUMNS) - 1 and not entry.paid:
                    item.setForeground(QColor(BAD))
                item.setTextAlignment(Qt.AlignCenter)
                self.table.setItem(row, column, item)
        self._keep_current_in_view()
        QTimer.singleShot(0, self._keep_current_in_view)  # again once rows just gained are laid out (a new class)

    def _keep_current_in_view(self) -> None:
        """The student at the camera stays in view, however long the class list."""
        now = next((row for row, entry in enumerate(self.board.entries) if entry.state is QueueState.NOW), None)
        if now is not None and self.table.item(now, 0) is not None:
            self.table.scrollToItem(self.table.item(now, 0), QTableWidget.PositionAtCenter)

    def show_beside(self) -> None:
        """Fullscreen on a screen other than the main window's when there is one; on a single screen beside the
        main window where there is room, else behind it: never over the preview and the student card. The main
        window keeps the keyboard, since a handheld scanner types into whichever window has it."""
        self.setAttribute(Qt.WA_ShowWithoutActivating)
        main = self._main
        home = main.screen()
        others = [screen for screen in QGuiApplication.screens() if screen is not home]
        self._over_main = False
        if others:
            self.setGeometry(others[0].geometry())
            self.showFullScreen()
        else:
            free, frame = home.availableGeometry(), main.frameGeometry()
            room = free.right() - frame.right()
            if room >= MIN_SIDE_WIDTH:
                self.setGeometry(frame.right() + 1, frame.top(), min(room, 900), frame.height())
            else:
                self._over_main = True
                self.setGeometry(main.geometry())
            self.show()
            self.lower()
        main.raise_()
        main.activateWindow()

    @property
    def in_front(self) -> bool:
        """Brought in front of the station window (F9) and not put back since."""
        return self.isVisible() and self._in_front

    def toggle_in_front(self) -> None:
        """F9: in front of the station window (on a single screen it stands behind it), or back behind. The station
        keeps the keyboard either way."""
        if self.in_front:
            self._back()
            return
        self._in_front = True
        if self.isMinimized():  # minimised with its title bar's button: show() and raise_() leave it so, and a
            self.hide()  # window manager gives a window it restores the keyboard: shown afresh, without it
            self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        if self.screen() is self._main.screen() and self.geometry().intersects(self._main.geometry()):
            self._over_main = True
            self.setGeometry(self._main.geometry())  # over the whole station window (it was placed before it maximised)
        self.show()  # closed with its title bar's button, it comes back too
        self.raise_()

    def _back(self) -> None:
        self._in_front = False
        if self.screen() is self._main.screen():  # on a screen of its own it stays in sight, whatever is clicked
            self.lower()
        self._main.raise_()
        self._main.activateWindow()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """A click on the queue (which gave it the keyboard) puts it back behind the station window. Standing over
        the station window, it keeps to the station's place: a window manager centres the station after the queue was
        put behind it, and a strip of the queue stood out beside it (s25 layout walk, 1600x900)."""
        if watched is self._main:
            if self._over_main and event.type() in (QEvent.Type.Move, QEvent.Type.Resize):
                self.setGeometry(self._main.geometry())
            if self.in_front and event.type() == QEvent.Type.WindowActivate:
                self.raise_()  # a window manager raises the station window it activates (one just built, too)
            return False
        if event.type() == QEvent.Type.MouseButtonPress:
            self._back()
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """A key that reached the queue (clicked, so the window manager gave it the keyboard) is the station's:
        a scanned code typed here would be lost, and a menu's key (F1, Ctrl+P) does what it does there. F9 here only
        puts it back (the station's F9 would bring it in front again)."""
        self._back()
        pressed = QKeySequence(event.keyCombination())
        if pressed == QKeySequence(TOGGLE_KEY):
            return
        action = next((a for a in self._main.findChildren(QAction) if a.isEnabled() and a.shortcut() == pressed), None)
        if action is not None:
            action.trigger()
            return
        QApplication.sendEvent(self._main.focusWidget() or self._main,
                               QKeyEvent(event.type(), event.key(), event.modifiers(), event.text(),
                                         event.isAutoRepeat(), event.count()))
