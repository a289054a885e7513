"""The photographer's window: live picture on the left, who is in front of the camera on the right."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QVBoxLayout, QWidget

from station.camera.source import FrameSource, StateChange
from station.context import Station
from station.i18n import Text
from station.identify.identify import Identification, Outcome, identify
from station.identify.scanner import CodeScanner
from station.roster import schedule
from ui.code_input import CodeInput
from ui.i18n import t
from ui.preview import PreviewWidget
from ui.roster_dialogs import ScheduleDialog, import_roster_interactively
from ui.student_card import StudentCard

TITLE = Text("毕业生图像采集工作站", "Graduation photo station")
DEMO = Text("演示模式", "demo mode")
SLOT_NOW = Text("当前时段：{name}  {start:%H:%M}-{end:%H:%M}", "Now: {name}  {start:%H:%M}-{end:%H:%M}")
NO_SLOT = Text("当前没有排定的班级", "No class scheduled now")
MENU_ROSTER = Text("名单(&R)", "&Roster")
IMPORT_ROSTER = Text("导入名单…", "Import roster…")
SET_SLOTS = Text("班级采集时段…", "Class capture slots…")
LEVEL = {Outcome.FOUND: "ok", Outcome.ALREADY_CAPTURED: "warn", Outcome.UNKNOWN: "bad"}


class _Bridge(QObject):
    """Carries callbacks from camera and scanner threads onto the UI thread."""

    code = Signal(str)
    camera = Signal(object)


class MainWindow(QMainWindow):
    def __init__(self, station: Station, source: FrameSource, demo: bool = False) -> None:
        super().__init__()
        self.station = station
        self.source = source
        self.setWindowTitle(t(TITLE) + (f" — {t(DEMO)}" if demo else ""))
        self.identification: Identification | None = None

        self.preview = PreviewWidget(source)
        self.code_input = CodeInput()
        self.card = StudentCard()
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setObjectName("message")
        self.warnings.setProperty("level", "warn")
        self.warnings.setWordWrap(True)
        self.warnings.hide()
        self.slot_label = QLabel()
        self.slot_label.setObjectName("title")

        side = QVBoxLayout()
        side.addWidget(self.slot_label)
        side.addWidget(self.code_input)
        side.addWidget(self.card)
        side.addWidget(self.message)
        side.addWidget(self.warnings)
        side.addStretch(1)
        panel = QWidget()
        panel.setLayout(side)
        panel.setFixedWidth(430)
        body = QHBoxLayout()
        body.addWidget(self.preview, 1)
        body.addWidget(panel)
        central = QWidget()
        central.setLayout(body)
        self.setCentralWidget(central)
        roster_menu = self.menuBar().addMenu(t(MENU_ROSTER))
        roster_menu.addAction(t(IMPORT_ROSTER), lambda: import_roster_interactively(self.station, self))
        roster_menu.addAction(t(SET_SLOTS), self._edit_slots)
        self.camera_status = QLabel()
        self.statusBar().addWidget(self.camera_status)

        self._bridge = _Bridge()
        self._bridge.code.connect(lambda payload: self.identify(payload))
        self._bridge.camera.connect(self._camera_changed)
        source.subscribe(self._bridge.camera.emit)
        self.code_input.submitted.connect(lambda text, _scanned: self.identify(text))
        self.scanner = CodeScanner(source, self._bridge.code.emit).start()
        self._slot_timer = QTimer(self)
        self._slot_timer.timeout.connect(self._show_slot)
        self._slot_timer.start(30_000)
        self._show_slot()
        self.code_input.setFocus()

    def identify(self, payload: str) -> Identification:
        found = identify(self.station.db, payload)
        self.identification = found if found.ok else self.identification
        if found.ok:
            self.card.show_identification(found)
        self._say(found.message, LEVEL[found.outcome])
        self.warnings.setText("\n".join(t(w) for w in found.warnings))
        self.warnings.setVisible(bool(found.warnings))
        return found

    def _say(self, text: Text, level: str) -> None:
        self.message.setText(t(text))
        self.message.setProperty("level", level)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def _camera_changed(self, change: StateChange) -> None:
        self.camera_status.setText(t(change.text))

    def _edit_slots(self) -> None:
        if ScheduleDialog(self.station, self).exec():
            self._show_slot()

    def _show_slot(self) -> None:
        slot = schedule.current_slot(self.station.db, dt.datetime.now())
        self.slot_label.setText(t(SLOT_NOW.format(name=slot.class_name, start=slot.starts_at, end=slot.ends_at))
                                if slot else t(NO_SLOT))

    def closeEvent(self, event: object) -> None:
        self.scanner.stop()
        super().closeEvent(event)
