"""A class paying together: the amount is per student, and the dialog says so and shows the total before it is
recorded. It read only 金额（元） under "演示2101 班集体缴费：每名未缴费的学生" (seen on Xvfb), so a photographer handed
the class's 160 yuan could type 160 and record 160 yuan for each of 8 students, 1280 in all, to be refunded one by one."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QInputDialog

from station.fees.ledger import entries
from tests.ui.conftest import on_next_dialog
from tests.ui.menus import menu_action
from ui.payment_dialog import PaymentDialog


def amount_caption(dialog: PaymentDialog) -> str:
    form = dialog.findChild(QFormLayout)
    return form.labelForField(dialog.amount).text()


def test_a_class_payment_says_the_amount_is_per_student_and_shows_the_total(qtbot, make_window, frames,
                                                                            station) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    seen = {}

    def type_the_class_total(dialog: PaymentDialog) -> None:
        try:
            seen["caption"], seen["preset"] = amount_caption(dialog), dialog.total.text()
            dialog.amount.setText("160")  # what the class monitor handed over
            seen["typed"] = dialog.total.text()
            dialog.amount.setText("abc")
            seen["not_money"] = dialog.total.text()
        finally:
            dialog.reject()  # seen in time: nothing recorded

    on_next_dialog(lambda dialog: dialog.accept())  # the class at the camera, offered first
    on_next_dialog(type_the_class_total, kind=PaymentDialog, wait_ms=40_000)
    menu_action(window, "班级集体缴费…").trigger()
    assert seen == {"caption": "每人金额（元）", "preset": "8 人，合计 160.00 元", "typed": "8 人，合计 1280.00 元",
                    "not_money": ""}
    assert entries(station.db) == []
    # one student's own payment (F6) keeps its plain amount and no total
    seen.clear()

    def look(dialog: PaymentDialog) -> None:
        try:
            seen["caption"], seen["total_shown"] = amount_caption(dialog), dialog.total.isVisibleTo(dialog)
        finally:
            dialog.reject()

    on_next_dialog(look, kind=PaymentDialog)
    window.record_payment()
    assert seen == {"caption": "金额（元）", "total_shown": False}


def test_the_total_counts_only_who_has_not_paid(qtbot, make_window, frames, station) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    on_next_dialog(lambda dialog: dialog.submit(), kind=PaymentDialog)  # she pays on her own first
    window.record_payment()
    seen = {}

    def look(dialog: PaymentDialog) -> None:
        try:
            seen["total"] = dialog.total.text()
        finally:
            dialog.reject()

    on_next_dialog(lambda dialog: dialog.accept(), kind=QInputDialog)
    on_next_dialog(look, kind=PaymentDialog, wait_ms=40_000)
    menu_action(window, "班级集体缴费…").trigger()
    assert seen == {"total": "7 人，合计 140.00 元"}
