"""The queue screen for a student photographed before who is identified again: done, not 正在拍摄, until her retake
begins (s28 walk on Xvfb, /tmp/xv/p_pair.png: the queue said 正在拍摄 for 林晓雯, saved a moment before and back at
the camera, while the station offered only a retake; the students watching read her as not done)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.conftest import answer_next_dialog, shoot


def her_status(window) -> str:
    queue = window.queue_window
    [row] = [r for r, entry in enumerate(queue.board.entries) if entry.student_no == "2021010101"]
    return queue.table.item(row, 3).text()


def test_a_student_photographed_before_is_done_on_the_queue_until_her_retake_begins(qtbot, make_window,
                                                                                    frames: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    assert her_status(window) == "正在拍摄"
    answer_next_dialog("测试")  # her smile overridden
    shoot(qtbot, window)
    qtbot.waitUntil(window.session.review_settled, timeout=5_000)
    window.flow.accept()
    assert her_status(window) == "已完成"
    window.identify("DEMO0001")  # her phone's code again: back to look, or for a retake
    assert window.retake_button.isVisible() and her_status(window) == "已完成"
    answer_next_dialog("学生要求重拍")
    qtbot.keyClick(window.code_input, Qt.Key_F2)
    assert window.session.workflow.retake_reason == "学生要求重拍"
    assert her_status(window) == "正在拍摄"  # at once, not at the queue's next 5-second refresh
