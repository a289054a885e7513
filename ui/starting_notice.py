"""What the screen says while the station starts: a borderless notice, shown before the work that holds the event loop
(a double-clicked program that shows nothing for seconds is clicked again)."""

from __future__ import annotations

import time

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QLabel

from station.i18n import Text
from ui.i18n import t

# before anything: the station's modules (OpenCV, mediapipe, onnxruntime) take 1-1.4 s to import on the 2-core build
# machine, several seconds from a laptop's cold disk, before the sign-in can show
LOADING = Text("正在启动工作站…", "Starting the station…")
# after the sign-in: the models load and the camera opens (0.7-2.1 s on the build machine at load 1-7)
STARTING = Text("正在启动工作站：加载相机和检测模型…", "Starting the station: opening the camera and loading the checks…")
SHOW_WAIT_S = 0.3


def starting_notice() -> QLabel:
    notice = QLabel()
    notice.setWindowFlags(Qt.SplashScreen | Qt.FramelessWindowHint)
    notice.setAlignment(Qt.AlignCenter)
    notice.setStyleSheet("font-size: 20px; padding: 24px 36px; background: white; border: 1px solid #9e9e9e")
    return notice


def say_starting(notice: QLabel, text: Text) -> None:
    """`text` shown and drawn now, before the work that holds the event loop: a window system maps a new window only
    after a round trip (a window manager's too), so events are handled until it is exposed, for at most
    SHOW_WAIT_S."""
    notice.setText(t(text))
    notice.adjustSize()
    notice.show()
    notice.raise_()
    deadline = time.monotonic() + SHOW_WAIT_S
    while time.monotonic() < deadline and not (notice.windowHandle() and notice.windowHandle().isExposed()):
        QApplication.processEvents(QEventLoop.AllEvents, 20)
    notice.repaint()
