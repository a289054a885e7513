"""A student's name put into a message is not broken across lines in the side panel: "the current student is still
林 / 晓雯" (English, s25 walk, g_en720.png) and "当前学生仍是林 / 晓雯" (Chinese) were wrapped inside her name. The
line breaks are measured at every width the message column might have, the way Qt lays out the label's text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel

from tests.ui.reading import read
from tests.ui.test_enter_after_a_refused_code import typed


def wrapped(label: QLabel, width: int) -> list[str]:
    """The label's text as Qt's word wrapping lays it out at `width`, line by line."""
    text = label.text()
    layout = QTextLayout(text, label.font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        lines.append(text[line.textStart():line.textStart() + line.textLength()])
    layout.endLayout()
    return lines


def test_a_name_stays_on_one_line(qtbot, themed: str, make_window, frames: Path) -> None:
    window = make_window(frames)
    window.resize(1280, 720)
    typed(qtbot, window, "DEMO0001")
    typed(qtbot, window, "DEMO0099")
    typed(qtbot, window, "")  # Enter after a refused code: "…is still 林晓雯. To photograph 林晓雯, press Space…"
    message = window.message
    assert "林" in message.text() and message.wordWrap()
    widths = range(message.contentsRect().width(), 199, -1)  # the column's, and narrower ones
    seen = {width: [read(line) for line in wrapped(message, width)] for width in widths}
    broken = {width: lines for width, lines in seen.items() if any(line.count("林") != line.count("林晓雯") for line in lines)}
    assert broken == {}, broken
    assert any(len(lines) > 2 for lines in seen.values())  # it did wrap: the name was kept, not the text unwrapped


def test_a_long_run_of_chinese_still_wraps(qtbot, themed: str) -> None:
    """Only the name put in is kept whole: a college's or a folder's long Chinese run in the same message still wraps,
    so it can never make the message wider than its column."""
    from station.i18n import Name, Text
    from ui.i18n import t
    from ui.theme import say

    label = QLabel()
    label.setWordWrap(True)
    qtbot.addWidget(label)
    saved = Text("已为{name}保存到 {folder}", "Saved under {folder} for {name}.")
    say(label, t(saved.format(folder="D:\\毕业照\\中国人民解放军国防科技大学计算机学院软件工程系", name=Name("林晓雯"))), "ok")
    assert "林\u2060晓\u2060雯" in label.text() and "学\u2060院" not in label.text()
    assert max(label.fontMetrics().horizontalAdvance(line.rstrip()) for line in wrapped(label, 200)) <= 200
    assert saved.format(name=Name("林晓雯"), folder="D:") == Text("已为林晓雯保存到 D:", "Saved under D: for 林晓雯.")
