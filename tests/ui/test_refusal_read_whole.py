"""Enter after a refused code: the refusal and, under it, how to photograph the student on the card (回车没有拍照：…请按
空格键…). At 1366x700 that second line was below the fold of the side panel's messages: a photographer never saw it
(new photographer's walk s25). The class now and the next student moved under the picture; the refusal is read whole
on a laptop's window, and the card, the checks, the shutter and the queue's row stay in sight."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from station.capture.workflow import Step
from tests.ui.conftest import on_next_dialog, shoot
from tests.ui.reading import read
from tests.ui.test_enter_after_a_refused_code import typed
from tests.ui.test_shutter_while_offered import HELD_UP
from tests.ui.test_side_panel_fits import SIZES, in_sight


def test_the_refusal_after_enter_is_read_whole_on_a_laptop(qtbot, themed: str, make_window, frames: Path) -> None:
    window = make_window(frames)
    typed(qtbot, window, "DEMO0003")
    typed(qtbot, window, "DEMO0099")
    typed(qtbot, window, "")  # the code's Enter pressed twice
    label, area = window.message, window.message_area
    assert label.text().splitlines()[-1].startswith("回车没有拍照" if themed == "zh" else "Enter took no photo")
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(50)
        assert window.size().toTuple() == (width, height)
        assert area.verticalScrollBar().value() == 0
        # its last line above the fold, nothing of it to scroll to
        assert in_sight(label) and label.height() <= area.viewport().height(), (width, height, label.height(),
                                                                                 area.viewport().height())
        for widget in (window.card, window.pay_button, window.check_board, window.shutter_button, window.slot_label,
                       window.next_label, window.absent_button):
            assert in_sight(widget), (widget, width, height)


def test_in_review_the_photos_have_the_queue_rows_room_and_f3_still_works(qtbot, make_window, frames: Path) -> None:
    """The queue's row is the live picture's: in review the photos take its room (a retake's review grew the window
    past a 1280x680 screen with it), and F3 and Shift+F3, whose buttons are in it, still work."""
    window = make_window(frames)
    window.resize(1280, 680)
    typed(qtbot, window, "DEMO0003")
    on_next_dialog(lambda box: (box.setTextValue("已目视确认"), box.accept()))  # her smile: taken anyway
    shoot(qtbot, window)
    assert window.session.step is Step.REVIEW and not window.next_label.isVisible()
    qtbot.keyClick(window.code_input, Qt.Key_F3)  # the next student (林晓雯) has not come
    assert "林晓雯" in read(window.message.text()) and window.session.step is Step.REVIEW
    qtbot.keyClick(window.code_input, Qt.Key_F3, Qt.ShiftModifier)
    assert "林晓雯" in read(window.message.text()) and window.undo_absent_button.isHidden()
    assert window.size().toTuple() == (1280, 680)


def test_under_a_switch_question_enter_is_told_the_question_and_read_whole(qtbot, themed: str, make_window,
                                                                          frames: Path) -> None:
    """An Enter refused after an unknown code while the F4 question stood said to press Space, which the question
    refuses too, and at 1280x680 its last line was below the fold (s30 screens review, k2_badcode_enter.png). Under
    the question Enter is told what Space is; once the phone is put away, Enter still takes no photo."""
    window = make_window(frames)
    window.identify("DEMO0001")
    window.session.camera_code(HELD_UP)
    qtbot.waitUntil(lambda: "陈浩然" in read(window.offer.text()))
    typed(qtbot, window, "20210101099")  # a student number mistyped
    window.session.camera_code(HELD_UP)  # the phone still held up, asking again (the typed code withdrew it)
    qtbot.waitUntil(lambda: "陈浩然" in read(window.offer.text()))
    typed(qtbot, window, "")  # its Enter pressed twice
    said = read(window.message.text())
    assert said.startswith("没有拍照：若镜头前是陈浩然" if themed == "zh" else "Nothing taken: if 陈浩然"), said
    assert window.session.workflow.shot is None
    area = window.message_area
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(50)
        assert window.size().toTuple() == (width, height)
        for label in (window.offer, window.message):
            assert in_sight(label), (label.text(), width, height, area.viewport().height())
        assert area.verticalScrollBar().maximum() == 0, (width, height)
    window.session.code_gone(HELD_UP.text)  # the phone put away: the mistyped code's Enter still shoots nobody
    typed(qtbot, window, "")
    assert read(window.message.text()).splitlines()[-1].startswith("回车没有拍照" if themed == "zh" else "Enter took no")
    assert window.session.workflow.shot is None and window.session.step is not Step.REVIEW
