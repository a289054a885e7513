"""工作站 → 输出规格 and 背景颜色标定: the station's photo profile and its backdrop colour, chosen and measured from the
window (the session keeps them in the data folder), each menu entry naming the current choice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup, QDialog, QDialogButtonBox, QLabel, QMessageBox, QRadioButton, QVBoxLayout, QWidget,
)

from station.camera.source import Frame
from station.capture.session import CaptureSession
from station.chsi.profiles import Profiles
from station.compliance.calibration import BackdropColour
from station.errors import StationError
from station.i18n import Text
from ui.i18n import t
from ui.modal import ask
from ui.tasks import run_task

PROFILE_ENTRY = Text("输出规格：{label}…", "Output profile: {label}…")
PROFILE_TITLE = Text("输出规格", "Output profile")
PROFILE_ASK = Text("照片按哪种规格生成？（下一次拍照起生效）", "Which photo file does the station make? (from the next shot on)")
PROFILE_LINE = Text("{label}\n{width}×{height} 像素，{low}–{high} 字节，{dpi} dpi", "{label}\n{width}x{height} px, "
                    "{low}-{high} bytes, {dpi} dpi")
PROFILE_CHOSEN = Text("已选用输出规格：{label}", "Output profile selected: {label}")
CALIBRATE_ENTRY = Text("背景颜色标定（{when}）…", "Calibrate the backdrop colour ({when})…")
NEVER = Text("未标定", "never calibrated")
LAST = Text("上次 {at:%m-%d %H:%M}", "last {at:%m-%d %H:%M}")
CALIBRATE_TITLE = Text("背景颜色标定", "Backdrop colour calibration")
CALIBRATE_ASK = Text("用现在的画面测量拍照用的蓝色背景？\n\n请先打开灯光，让背景布铺满画面中间学生站的位置（前面可以站人，"
                     "背景布两侧露出的墙壁不计入）。之后的背景检查按这次测到的颜色判断，白天背景光线的变化也与这次比较。"
                     "每天早上开灯后标定一次。",
                     "Measure the blue backdrop in the picture now?\n\nSwitch the lamps on first and let the backdrop "
                     "fill the middle of the picture, where the student stands (someone may stand in front; the wall "
                     "beside the cloth does not count). The backdrop check then accepts this blue, and the light on "
                     "the backdrop is compared with this measurement during the day. Calibrate each morning once the "
                     "lamps are on.")
NO_PICTURE = Text("相机没有实时画面，不能标定背景", "No live picture: the backdrop cannot be calibrated")
MEASURING = Text("正在测量背景颜色…", "Measuring the backdrop colour…")
CALIBRATED = Text("背景颜色已标定并保存（{path}）：色相 {hue_min:.0f}–{hue_max:.0f}，饱和度 ≥ {min_saturation:.0f}，"
                  "亮度 ≥ {min_value:.0f}", "Backdrop colour calibrated and saved ({path}): hue {hue_min:.0f}-"
                  "{hue_max:.0f}, saturation >= {min_saturation:.0f}, brightness >= {min_value:.0f}")
FAILED = Text("背景没有标定：程序出错，详情已写入日志", "The backdrop was not calibrated: a program error (details in the log)")


def profile_entry(profiles: Profiles) -> str:
    return t(PROFILE_ENTRY.format(label=profiles.current.label))


def calibrate_entry(calibrated_at: dt.datetime | None) -> str:
    return t(CALIBRATE_ENTRY.format(when=LAST.format(at=calibrated_at) if calibrated_at else NEVER))


class ProfileDialog(QDialog):
    """The profiles, one choice each, the station's current one checked."""

    def __init__(self, profiles: Profiles, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t(PROFILE_TITLE))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(t(PROFILE_ASK)))
        self.group = QButtonGroup(self)
        self.choices: dict[str, QRadioButton] = {}
        for name, profile in profiles.by_name.items():
            s = profile.spec
            button = QRadioButton(t(PROFILE_LINE.format(label=profile.label, width=s.width, height=s.height,
                                                         low=s.min_bytes, high=s.max_bytes, dpi=s.dpi)))
            button.setChecked(name == profiles.selected)
            self.group.addButton(button)
            self.choices[name] = button
            layout.addWidget(button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, 0)

    @property
    def chosen(self) -> str:
        return next(name for name, button in self.choices.items() if button.isChecked())


def choose_profile(session: CaptureSession, parent: QWidget) -> str:
    """The dialog, then the session's choice; returns what to say ('' when cancelled). A refusal raises."""
    dialog = ProfileDialog(session.profiles(), parent)
    if not ask(dialog):
        return ""
    return t(PROFILE_CHOSEN.format(label=session.select_profile(dialog.chosen).label))


def calibrate_backdrop(session: CaptureSession, shown: Callable[[], Frame | None], parent: QWidget,
                       say: Callable[[str, str], None]) -> None:
    """Asks first (the backdrop must be in view), then measures the picture on screen (`shown`: None when the
    camera is not live) off the UI thread and has the session keep it; `say(text, level)` tells how it went."""
    box = QMessageBox(QMessageBox.Icon.Question, t(CALIBRATE_TITLE), t(CALIBRATE_ASK),
                      QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, parent)
    if ask(box) != QMessageBox.StandardButton.Ok:
        return
    frame = shown()  # the picture on screen once the photographer said the backdrop is in view
    if frame is None:
        say(t(NO_PICTURE), "bad")
        return
    say(t(MEASURING), "info")

    def measured(colour: BackdropColour) -> None:
        try:
            path = session.use_calibration(colour)
        except StationError as exc:  # a full disk or a blocked folder: the morning's calibration is kept
            say(t(exc.text), "bad")
            return
        say(t(CALIBRATED.format(path=path, **colour.__dict__)), "ok")

    def failed(exc: BaseException) -> None:
        if isinstance(exc, StationError):  # not blue, too little backdrop: said, and nothing changed
            say(t(exc.text), "bad")
            return
        say(t(FAILED), "bad")
        raise exc

    run_task(lambda: session.measure_backdrop(frame), measured, failed)
