"""The station log tells support what happened on the day, not only starts and saves: overrides with their reasons,
retakes, absent marks and their undoing, uploads that gave up."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from station.i18n import Text
from station.logs import log_to_file
from station.storage import outbox
from tests.ui.conftest import answer_next_dialog, shoot
from station.capture.workflow import REVIEW_AT_LEAST


@pytest.fixture
def station_log(station):
    path = log_to_file(station.home)
    yield path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "baseFilename", None) == str(path)]:
        root.removeHandler(handler)
        handler.close()


def test_the_days_actions_reach_the_log(qtbot, make_window, frames: Path, station, station_log: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    answer_next_dialog("学生佩戴隐形眼镜")  # the demo frame fails checks (her smile)
    shoot(qtbot, window)
    qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
    window.flow.accept()
    window.identify("DEMO0001")
    answer_next_dialog("学生要求重拍")
    qtbot.keyClick(window.code_input, Qt.Key_F2)
    qtbot.keyClick(window.code_input, Qt.Key_F3)
    qtbot.keyClick(window.code_input, Qt.Key_F3, Qt.ShiftModifier)
    [job] = [outbox.claim(station.db)]
    outbox.fail(station.db, job, Text("服务器拒绝", "refused by the server"))
    for handler in logging.getLogger().handlers:
        handler.flush()

    text = station_log.read_text("utf-8")
    assert "checks overridden for 2021010101 by 测试摄影师" in text and "学生佩戴隐形眼镜" in text
    assert "saved 2021010101 version 1" in text
    assert "retake started for 2021010101 by 测试摄影师: 学生要求重拍" in text
    assert "marked absent:" in text and "absent mark taken back:" in text
    assert "gave up after 1 attempt(s): refused by the server" in text
