"""The live checks beside the picture, each in a place of its own: a photographer's eye that learned where 耳环 is
finds it there on every frame, whatever else comes and goes. Only colours and marks change; the summary line after
the chips keeps its place while empty, so nothing below it (the shutter) moves either."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QWidget

from station.compliance.messages import TITLES
from station.compliance.results import CHECK_IDS, FAIL, LOOK, Analysis
from station.i18n import Text
from ui.elided_label import ElidedLabel
from ui.i18n import t
from ui.theme import say

COLUMNS = 4
SUMMARY_CELLS = 3  # the chips' cells the summary line needs beside the last chips
# Each check's name on its chip, short enough for a quarter of the side panel (a 1280x720 laptop shows the whole
# panel only with four chips to a row); the full name (TITLES) is the chip's tooltip and what the override box and
# the messages say.
CHIP_TITLES: dict[str, Text] = {
    "face_count": Text("人脸数量", "faces"),
    "face_position": Text("位置大小", "position"),
    "code_in_photo": Text("二维码入镜", "phone/QR"),
    "pose": Text("头部姿态", "head pose"),
    "eyes_closed": Text("闭眼", "eyes"),  # a thing checked, as "mouth": "✓ eyes shut" read as "her eyes are shut"
    "mouth_open": Text("张嘴", "mouth"),
    "teeth": Text("露齿", "teeth"),
    "glasses": Text("眼镜", "glasses"),
    "hat": Text("帽子头饰", "hat"),
    "earrings": Text("耳环", "earrings"),
    "necklace": Text("项链", "necklace"),
    "ears_covered": Text("耳朵遮挡", "ears"),
    "eyebrows_covered": Text("眉毛遮挡", "eyebrows"),
    "coloured_lenses": Text("美瞳", "lenses"),
    "makeup": Text("浓妆", "makeup"),
    "background": Text("背景", "backdrop"),
    "backdrop_drift": Text("背景光变化", "light drift"),
    "clothing_contrast": Text("服装颜色", "clothing"),
    "exposure": Text("曝光", "exposure"),
    "lighting": Text("光线均匀", "lighting"),
    "blur": Text("清晰度", "sharpness"),
}
NOT_PASSED = Text("未通过 {n} 项", "Failing: {n}")
TO_LOOK = Text("请目视确认 {n} 项", "Check by eye: {n}")
ALL_PASS = Text("全部通过，可以拍照", "All checks pass")
# in review the board names the photo's own checks (a board of grey – read as "nothing was checked", s25 walk)
PHOTO_PASSES = Text("这张照片全部通过", "This photo passes all checks")
# a check's answer as a mark and a style level: colour is not the only sign
MARKS = {FAIL: ("✗", "bad"), LOOK: ("?", "warn")}
PASSED, UNMEASURED = ("✓", "ok"), ("–", "idle")


def _kept_when_hidden(label: QLabel) -> QLabel:
    policy = label.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    policy.setHorizontalPolicy(QSizePolicy.Ignored)  # the text never widens the panel; the grid has the names
    label.setSizePolicy(policy)
    label.hide()
    return label


class Chip(ElidedLabel):
    """One check's mark and short name, cut with … only where a font is wider than planned (the full name is its
    tooltip)."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("checkChip")
        self.setToolTip(title)

    def show_result(self, text: str, level: str) -> None:
        if (text, level) != (self.full_text, self.property("level")):
            say(self, text, level)  # restyled first: a failing check's bold name is measured bold
            self.show_text(text)


class CheckBoard(QWidget):
    """Every check of CHECK_IDS (the station's display order) as a chip in a fixed grid, and a summary line after
    them."""

    def __init__(self) -> None:
        super().__init__()
        self.problems = _kept_when_hidden(QLabel())
        self.problems.setObjectName("checkSummary")
        self.questions = _kept_when_hidden(QLabel())
        self.questions.setObjectName("checkSummary")
        summary = QHBoxLayout()
        summary.setContentsMargins(0, 0, 0, 0)
        summary.addWidget(self.problems, 1)
        summary.addWidget(self.questions, 1)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(2)
        self.chips: dict[str, Chip] = {}
        for index, check in enumerate(CHECK_IDS):
            chip = Chip(t(TITLES[check]))
            grid.addWidget(chip, index // COLUMNS, index % COLUMNS)
            self.chips[check] = chip
        for column in range(COLUMNS):
            grid.setColumnStretch(column, 1)
        # the summary closes the grid, on the shutter: in the last row's free cells when they hold it (a row less
        # for a small laptop's panel), else on a row of its own
        row, used = divmod(len(CHECK_IDS), COLUMNS)
        if COLUMNS - used < SUMMARY_CELLS:
            row, used = row + 1, 0
        grid.addLayout(summary, row, used, 1, COLUMNS - used)
        self.show_analysis(None)

    def show_analysis(self, analysis: Analysis | None, photo: bool = False) -> None:
        """None: nothing measured on the picture on screen (a new picture, no camera). `photo`: the checks of the
        photo in review, whose passing is no call to shoot."""
        listed = dict(analysis.on_screen) if analysis is not None else {}  # as the override box lists them
        for check, chip in self.chips.items():
            result = analysis.checks.get(check) if analysis is not None else None
            if check in listed:
                mark, level = MARKS[listed[check].level]
            elif result is None or result.unmeasured:
                mark, level = UNMEASURED
            else:
                mark, level = PASSED
            chip.show_result(f"{mark} {t(CHIP_TITLES[check])}", level)
        if analysis is None or analysis.settling:  # a new face's checks say nothing yet, not even ✓
            say(self.problems, "", "bad")
            say(self.questions, "", "warn")
            return
        failing, looks = len(analysis.problems), len(analysis.questions)
        if failing:
            say(self.problems, t(NOT_PASSED.format(n=failing)), "bad")
        else:
            say(self.problems, "" if looks else t(PHOTO_PASSES if photo else ALL_PASS), "ok")
        say(self.questions, t(TO_LOOK.format(n=looks)) if looks else "", "warn")
