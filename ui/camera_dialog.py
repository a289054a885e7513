"""Choosing the camera: attached devices by index and name, resolution, locked exposure/white balance."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from station.camera.backends import UsbSettings
from station.camera.discovery import CameraInfo
from station.i18n import Text
from ui.i18n import t

TITLE = Text("相机设置", "Camera")
CAMERA = Text("相机", "Camera")
RESOLUTION = Text("分辨率", "Resolution")
LOCK_EXPOSURE = Text("锁定曝光（避免学生衣服颜色改变亮度）", "Lock exposure (clothing must not change brightness)")
LOCK_WB = Text("锁定白平衡（保持背景蓝色一致）", "Lock white balance (keeps the backdrop the same blue)")
NONE_FOUND = Text("没有找到相机：请检查 USB 连接", "No camera found: check the USB cable")
RESOLUTIONS = ((1280, 720), (1920, 1080), (640, 480))


class CameraDialog(QDialog):
    def __init__(self, cameras: list[CameraInfo], current: UsbSettings, current_index: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t(TITLE))
        form = QFormLayout(self)
        self.camera = QComboBox()
        for info in cameras:
            self.camera.addItem(f"{info.index} — {info.name}", info.index)
        # opened to change a setting, OK must keep the camera in use, not switch to the first one listed
        self.camera.setCurrentIndex(max(0, self.camera.findData(current_index)))
        form.addRow(t(CAMERA), self.camera)
        if not cameras:
            form.addRow(QLabel(t(NONE_FOUND)))
        self.resolution = QComboBox()
        for width, height in RESOLUTIONS:
            self.resolution.addItem(f"{width} x {height}", (width, height))
        self.resolution.setCurrentIndex(max(0, self.resolution.findData((current.width, current.height))))
        form.addRow(t(RESOLUTION), self.resolution)
        self.lock_exposure = QCheckBox(t(LOCK_EXPOSURE))
        self.lock_exposure.setChecked(current.lock_exposure)
        self.lock_wb = QCheckBox(t(LOCK_WB))
        self.lock_wb.setChecked(current.lock_white_balance)
        form.addRow(self.lock_exposure)
        form.addRow(self.lock_wb)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.Ok).setEnabled(bool(cameras))
        form.addRow(buttons)

    def choice(self) -> tuple[int, UsbSettings]:
        width, height = self.resolution.currentData()
        return self.camera.currentData(), UsbSettings(width=width, height=height,
                                                      lock_exposure=self.lock_exposure.isChecked(),
                                                      lock_white_balance=self.lock_wb.isChecked())
