"""Choosing the camera: attached devices by index and name, resolution, which way up, locked exposure/white balance."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QPushButton, QWidget,
)

from station.camera.backends import UsbSettings
from station.camera.discovery import CameraInfo
from station.i18n import Text
from ui.i18n import t
from ui.wrapped_height import tall_enough

TITLE = Text("相机设置", "Camera")
CAMERA = Text("相机", "Camera")
RESOLUTION = Text("分辨率", "Resolution")
LOCK_EXPOSURE = Text("锁定曝光（避免学生衣服颜色改变亮度）", "Lock exposure (clothing must not change brightness)")
LOCK_WB = Text("锁定白平衡（保持背景蓝色一致）", "Lock white balance (keeps the backdrop the same blue)")
NONE_FOUND = Text("没有找到相机：请检查 USB 连接，插好后点“重新查找”", "No camera found: check the USB cable, then press Look again")
NONE_FOUND_FILE = Text("没有找到 USB 相机。现在的画面来自照片文件（演示或文件相机），会继续使用；插上相机后点“重新查找”即可切换。",
                       "No USB camera found. The picture comes from image files (the demo or a file camera) and keeps "
                       "doing so; plug a camera in and press Look again to switch.")
IN_USE_FILE = Text("现在使用：照片文件（演示或文件相机）", "In use: image files (the demo or a file camera)")
RESCAN = Text("重新查找", "Look again")
RESOLUTIONS = ((1280, 720), (1920, 1080), (640, 480))
ROTATION = Text("画面旋转", "Turn the picture")
ROTATION_HINT = Text("相机侧放（竖拍）或倒装时，选择使画面中的人站正的方向",
                     "For a camera mounted on its side (portrait) or upside down: the turn that makes the person stand "
                     "upright")
TURNS = {0: Text("不旋转", "no turn"), 90: Text("顺时针 90°", "90° clockwise"),
         270: Text("逆时针 90°", "90° anticlockwise"), 180: Text("180°", "180°")}


class CameraDialog(QDialog):
    def __init__(self, find: Callable[[], list[CameraInfo]], current: UsbSettings, current_index: int | None = None,
                 parent: QWidget | None = None) -> None:
        """`find` lists the attached cameras; it runs again when the photographer plugs one in and looks again.
        `current_index`: the USB camera in use, None when the picture comes from files (the demo)."""
        super().__init__(parent)
        self.find = find
        self.setWindowTitle(t(TITLE))
        form = QFormLayout(self)
        self.camera = QComboBox()
        self.rescan = QPushButton(t(RESCAN))
        self.rescan.clicked.connect(self.look_again)
        row = QHBoxLayout()
        row.addWidget(self.camera, 1)
        row.addWidget(self.rescan)
        form.addRow(t(CAMERA), row)
        self.none_found = QLabel(t(NONE_FOUND if current_index is not None else NONE_FOUND_FILE))
        self.none_found.setWordWrap(True)
        form.addRow(self.none_found)
        if current_index is None:  # the demo's or a folder's pictures: say what is in use, not only what is missing
            form.insertRow(0, QLabel(t(IN_USE_FILE)))
        self.resolution = QComboBox()
        for width, height in RESOLUTIONS:
            self.resolution.addItem(f"{width} x {height}", (width, height))
        self.resolution.setCurrentIndex(max(0, self.resolution.findData((current.width, current.height))))
        form.addRow(t(RESOLUTION), self.resolution)
        self.rotation = QComboBox()
        for degrees, label in TURNS.items():
            self.rotation.addItem(t(label), degrees)
        self.rotation.setCurrentIndex(max(0, self.rotation.findData(current.rotation)))
        form.addRow(t(ROTATION), self.rotation)
        hint = QLabel(t(ROTATION_HINT))
        hint.setWordWrap(True)
        form.addRow("", hint)
        self.lock_exposure = QCheckBox(t(LOCK_EXPOSURE))
        self.lock_exposure.setChecked(current.lock_exposure)
        self.lock_wb = QCheckBox(t(LOCK_WB))
        self.lock_wb.setChecked(current.lock_white_balance)
        form.addRow(self.lock_exposure)
        form.addRow(self.lock_wb)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self._list(current_index)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        tall_enough(self)  # "No USB camera found…" wraps onto a third line in English

    def look_again(self) -> None:
        self._list(self.camera.currentData())
        tall_enough(self)  # the none-found line may have appeared

    def _list(self, keep: int | None) -> None:
        """Fill the camera list; opened to change a setting, OK must keep the camera in use (`keep`), not switch
        to the first one listed."""
        cameras = self.find()
        self.camera.clear()
        for info in cameras:
            self.camera.addItem(f"{info.index} — {info.name}", info.index)
        self.camera.setCurrentIndex(max(0, self.camera.findData(keep)))
        self.none_found.setVisible(not cameras)
        # nothing to choose: pick nothing, and the USB camera's settings (which OK could not keep) stay greyed out
        for widget in (self.buttons.button(QDialogButtonBox.Ok), self.resolution, self.rotation, self.lock_exposure,
                       self.lock_wb):
            widget.setEnabled(bool(cameras))

    def choice(self) -> tuple[int, UsbSettings]:
        width, height = self.resolution.currentData()
        return self.camera.currentData(), UsbSettings(width=width, height=height,
                                                      lock_exposure=self.lock_exposure.isChecked(),
                                                      lock_white_balance=self.lock_wb.isChecked(),
                                                      rotation=self.rotation.currentData())
