"""F6 on a student who has paid: the photographer is told so (not a blank form whose 登记 is then refused), and a
payment recorded wrongly is refunded with a reason and recorded again from the window, as `photo-station fees
refund` does (seen on the walk: the window said 请先退费再重新登记 and had no way to refund)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox

from station.audit.trail import entries, verify
from station.fees.ledger import REFUND_NEEDS_REASON, Method, entries as ledger
from tests.ui.conftest import on_next_dialog
from tests.ui.reading import read
from ui.i18n import t
from ui.payment_dialog import NOT_REFUNDED, REFUND, PaymentDialog

BOX_SHOT = "/tmp/s19_refund_box.png"


def refund_button(box: QMessageBox):
    return next(b for b in box.buttons() if b.text() == t(REFUND))


def press_f6(qtbot, window) -> None:
    qtbot.keyClick(window.code_input, Qt.Key_F6)


def test_a_wrong_payment_is_refunded_and_recorded_again(qtbot, make_window, frames, station) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    window.session.desk.record_payment("2021010101", Method.CASH, "20")  # meant to be WeChat
    said: list[str] = []

    def refund(box: QMessageBox) -> None:  # each answer sets up the next, as the dialogs open one after another
        said.append(box.text())
        box.grab().save(BOX_SHOT)
        on_next_dialog(reason)
        refund_button(box).click()

    def reason(dialog: QInputDialog) -> None:
        on_next_dialog(pay_by_wechat, kind=PaymentDialog)
        dialog.setTextValue("方式登记错误")
        dialog.accept()

    def pay_by_wechat(dialog: PaymentDialog) -> None:
        dialog.choose(Method.WECHAT)
        dialog.submit()

    on_next_dialog(refund, kind=QMessageBox)
    press_f6(qtbot, window)
    qtbot.waitUntil(lambda: window.card.values["fee"].text().startswith("已缴费（微信 20.00 元"), timeout=10_000)
    assert read(said[0]).startswith("林晓雯（2021010101）已缴费（现金 20.00 元") and "先退费" in said[0]
    kinds = [(e.kind, e.method, e.amount_fen, e.reason) for e in ledger(station.db)]
    assert kinds == [("payment", Method.CASH, 2000, ""), ("refund", Method.CASH, -2000, "方式登记错误"),
                     ("payment", Method.WECHAT, 2000, "")]
    assert [e.action for e in entries(station.db) if e.action in ("payment", "refund")] == ["payment", "refund",
                                                                                           "payment"]
    assert verify(station.db).ok


def test_closing_the_paid_notice_changes_nothing(qtbot, make_window, frames, station) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    window.session.desk.record_payment("2021010101", Method.CASH, "20")
    on_next_dialog(lambda box: box.reject(), kind=QMessageBox)
    press_f6(qtbot, window)
    assert [e.kind for e in ledger(station.db)] == ["payment"]
    assert window.session.desk.fee_status("2021010101").payment.method is Method.CASH
    assert QApplication.activeModalWidget() is None  # no payment form after the notice is closed


def test_enter_in_the_paid_notice_closes_it(qtbot, make_window, frames, station) -> None:
    """Enter, the key a tired photographer dismisses a box with, is 关闭: as 退费… was the default button, it opened the
    refund's reason box (first-run walk F5)."""
    window = make_window(frames)
    window.identify("DEMO0001")
    window.session.desk.record_payment("2021010101", Method.CASH, "20")
    asked: list[str] = []
    on_next_dialog(lambda dialog: (asked.append(dialog.labelText()), dialog.reject()))  # the refund's reason, if asked
    on_next_dialog(lambda box: qtbot.keyClick(box, Qt.Key_Return), kind=QMessageBox)
    press_f6(qtbot, window)
    assert asked == [] and QApplication.activeModalWidget() is None
    assert [e.kind for e in ledger(station.db)] == ["payment"]


def test_a_refund_without_a_reason_is_refused_in_the_window(qtbot, themed: str, make_window, frames, station) -> None:
    """The refund's reason box answered with nothing: refused, the payment stays, and the window's message line says
    so and how to refund, as for an override box closed empty (a box of its own opened over the window, a second
    one to close)."""
    window = make_window(frames)
    window.identify("DEMO0001")
    window.session.desk.record_payment("2021010101", Method.CASH, "20")
    boxes: list[str] = []

    def no_reason(dialog: QInputDialog) -> None:
        on_next_dialog(lambda box: (boxes.append(box.text()), box.accept()), kind=QMessageBox)
        dialog.setTextValue("  ")
        dialog.accept()

    on_next_dialog(lambda box: (on_next_dialog(no_reason), refund_button(box).click()), kind=QMessageBox)
    press_f6(qtbot, window)
    assert boxes == [] and QApplication.activeModalWidget() is None
    assert [e.kind for e in ledger(station.db)] == ["payment"]
    refusal, said = window.message.text().split("\n")
    assert (refusal, said) == (t(REFUND_NEEDS_REASON), NOT_REFUNDED.get(themed).split("\n")[1])
    assert window.message.property("level") == "bad" and window.message.isVisible()
    label = window.message  # each on one line of the side panel, beside its scroll bar
    room = label.contentsRect().width() - window.message_area.verticalScrollBar().sizeHint().width()
    assert max(label.fontMetrics().horizontalAdvance(line) for line in (refusal, said)) <= room


def test_a_code_scanned_into_the_refund_reason_refunds_nothing(qtbot, make_window, frames, station) -> None:
    """The next student's code scanned while the refund's reason waited answered it (退费 for the reason DEMO0005), as
    in the payment's reason on the demo walk: the burst is taken out, the box says so and waits."""
    window = make_window(frames)
    window.identify("DEMO0001")
    window.session.desk.record_payment("2021010101", Method.CASH, "20")
    seen: list[tuple[bool, str, bool]] = []

    def scanned_into(dialog: QInputDialog) -> None:
        field = dialog.findChild(QLineEdit)
        qtbot.keyClicks(field, "DEMO0005")  # a scanner's pace
        qtbot.keyClick(field, Qt.Key.Key_Return)
        seen.append((dialog.isVisible(), dialog.textValue(), "扫码枪" in dialog.labelText()))
        dialog.reject()

    on_next_dialog(lambda box: (on_next_dialog(scanned_into), refund_button(box).click()), kind=QMessageBox)
    press_f6(qtbot, window)
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert seen == [(True, "", True)] and [e.kind for e in ledger(station.db)] == ["payment"]
