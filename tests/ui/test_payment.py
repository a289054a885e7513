"""Fees in the window: the card shows paid / not paid, F6 opens the payment dialog (method, amount preset to the
price, a reason for a free set), the queue screen marks who has not paid, and a school that takes payment before
the shutter sees the shutter say so until the payment is recorded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel, QMessageBox

from station.audit.trail import AuditTrail, entries
from station.errors import StationError
from station.fees.ledger import Method
from station.fees.settings import change_settings
from tests.ui.conftest import on_next_dialog
from tests.ui.menus import menu_action, words
from tests.ui.reading import read
from ui.i18n import t
from ui.main_window import CLASS_PAYMENT
from ui.payment_dialog import REFUND, TITLE_BAR_BUTTONS_PX, PaymentDialog
from ui.shutter_flow import RIGHT_MARGIN_PX

SHOTS = Path("/tmp/fees")


def screenshot(window, dialog: PaymentDialog, name: str) -> None:
    """The window with the dialog drawn where it stands over it, as the photographer sees them."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(window.mapFromGlobal(dialog.mapToGlobal(QPoint(0, 0))), dialog.grab())
    painter.end()
    picture.save(str(SHOTS / name))


def queue_fee(window, student_no: str) -> str:
    board = window.queue_window.board
    row = next(i for i, e in enumerate(board.entries) if e.student_no == student_no)
    return window.queue_window.table.item(row, 4).text()


def test_f6_records_a_payment_from_the_card(qtbot, make_window, frames, station) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    assert window.card.values["fee"].text() == "未缴费（F6 登记）"
    assert queue_fee(window, "2021010101") == "未缴"
    seen = {}

    def pay_by_wechat(dialog: PaymentDialog) -> None:
        seen["amount"] = dialog.amount.text()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.keyClick(dialog.amount, Qt.Key_2, Qt.AltModifier)  # Alt+2: WeChat, from the amount field
        screenshot(window, dialog, "payment_dialog_zh.png")
        dialog.submit()

    on_next_dialog(pay_by_wechat, kind=PaymentDialog)
    qtbot.keyClick(window.code_input, Qt.Key_F6)
    assert seen["amount"] == "20.00"  # preset to the price per set
    assert window.card.values["fee"].text().startswith("已缴费（微信 20.00 元")
    assert queue_fee(window, "2021010101") == "已缴"
    assert read(window.message.text()).startswith("已登记：林晓雯已缴费（微信 20.00 元")
    [payment] = [e for e in entries(station.db) if e.action == "payment"]
    assert payment.operator == "测试摄影师" and payment.detail["method"] == "wechat"


def test_a_free_set_needs_a_reason_said_in_the_dialog(qtbot, make_window, frames, station) -> None:
    window = make_window(frames)
    window.identify("DEMO0002")
    said = []

    def free_without_then_with_reason(dialog: PaymentDialog) -> None:
        dialog.choose(Method.FREE)
        dialog.submit()
        said.append((dialog.isVisible(), dialog.error.text()))
        screenshot(window, dialog, "payment_free_refused_zh.png")
        dialog.reason.setText("家庭经济困难，学校减免")
        dialog.submit()

    on_next_dialog(free_without_then_with_reason, kind=PaymentDialog)
    window.pay_button.click()
    assert said == [(True, "免费需要填写原因（如：家庭经济困难，学校减免）")]
    assert window.card.values["fee"].text().startswith("已缴费（免费：家庭经济困难")


def test_payment_before_the_shutter_greys_the_shutter_until_paid(qtbot, make_window, frames, station) -> None:
    change_settings(AuditTrail(station, "管理员"), pay_before_shutter=True)
    window = make_window(frames)
    window.identify("DEMO0003")
    assert not window.shutter_button.isEnabled() and window.shutter_button.text() == "未缴费：请先登记缴费（F6）"
    window.flow.shutter()  # a key pressed anyway
    assert "尚未缴费" in window.message.text()
    on_next_dialog(lambda dialog: dialog.submit(), kind=PaymentDialog)  # cash at the price, as preset
    qtbot.keyClick(window.code_input, Qt.Key_F6)
    assert window.shutter_button.isEnabled()
    window.queue_window.grab().save(str(SHOTS / "queue_fees_zh.png"))


def test_a_class_pays_together_from_the_roster_menu(qtbot, make_window, frames, station) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    # the student at the camera paid on their own before the monitor came
    on_next_dialog(lambda dialog: dialog.submit(), kind=PaymentDialog)
    qtbot.keyClick(window.code_input, Qt.Key_F6)
    seen = {}

    def pick_class(dialog: QInputDialog) -> None:
        seen["offered"], seen["preset"] = dialog.comboBoxItems(), dialog.textValue()
        title_room = dialog.width() - dialog.fontMetrics().horizontalAdvance(dialog.windowTitle())
        seen["title_fits"] = title_room >= 160  # beside a window manager's buttons ("Class p…gether" in English)
        dialog.accept()

    def pay_by_alipay(dialog: PaymentDialog) -> None:
        dialog.choose(Method.ALIPAY)
        screenshot(window, dialog, "class_payment_zh.png")
        dialog.submit()

    on_next_dialog(pick_class)
    on_next_dialog(pay_by_alipay, kind=PaymentDialog, wait_ms=40_000)
    menu_action(window, "班级集体缴费…").trigger()
    assert seen == {"offered": ["演示2101", "演示2102"], "preset": "演示2101", "title_fits": True}  # the class at the camera first
    assert window.message.text() == "已登记 演示2101 班集体缴费：7 人，共 140.00 元；已缴费的 1 人未重复登记"
    assert all(queue_fee(window, e.student_no) == "已缴" for e in window.queue_window.board.entries
               if e.class_name == "演示2101")
    assert {e.detail["method"] for e in entries(station.db) if e.action == "payment"} == {"cash", "alipay"}



def test_the_english_methods_are_capitalised_as_choices(qtbot) -> None:
    """"1 cash  2 WeChat  3 Alipay  4 free" read as two styles side by side; Chinese has no case to change."""
    from ui.i18n import language, set_language
    from ui.payment_dialog import STUDENT, PaymentDialog

    before = language()
    for lang, expected in (("en", ["1 Cash", "2 WeChat", "3 Alipay", "4 Free"]),
                           ("zh", ["1 现金", "2 微信", "3 支付宝", "4 免费"])):
        set_language(lang)
        try:
            dialog = PaymentDialog(STUDENT.format(name="林晓雯", no="2021010101"), "20.00", lambda *_: None)
        finally:
            set_language(before)
        qtbot.addWidget(dialog)
        assert [button.text() for button in dialog.methods.buttons()] == expected


def test_a_code_scanned_into_a_free_sets_reason_records_nothing(qtbot, make_window, frames, station) -> None:
    """On the demo walk the next student's code scanned while 免费 waited for its reason filled the reason and its
    Enter recorded 林晓雯 as paid (免费：DEMO0005). Like the photo's reason boxes, a scanner's burst is taken out and
    said; a reason typed after it records."""
    window = make_window(frames)
    window.identify("DEMO0002")
    said = []

    def scan_then_type(dialog: PaymentDialog) -> None:
        dialog.choose(Method.FREE)
        qtbot.keyClicks(dialog.reason, "DEMO0005")  # a scanner's pace
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        said.append((dialog.isVisible(), dialog.reason.text(), dialog.error.text()))
        qtbot.keyClicks(dialog.reason, "school waiver", delay=80)
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return, delay=80)

    on_next_dialog(scan_then_type, kind=PaymentDialog)
    window.pay_button.click()
    assert said == [(True, "", "扫码枪的输入不能作为原因，已清除，请填写原因")]
    assert window.card.values["fee"].text().startswith("已缴费（免费：school waiver")


def free_for_a_students_number(dialog: PaymentDialog) -> None:
    """免费 chosen and another student's number given as its reason, submitted."""
    dialog.choose(Method.FREE)
    dialog.reason.setText("2021010105")
    dialog.submit()


def test_a_students_code_typed_as_a_free_sets_reason_is_refused(qtbot, make_window, frames, station) -> None:
    """A reason that is a student's code or number is none, as in the photo's reason boxes (814c9ce): typed or scanned
    more slowly than a burst, the payment is not recorded and the dialog says why."""
    window = make_window(frames)
    window.identify("DEMO0002")
    said = []

    def code_as_reason(dialog: PaymentDialog) -> None:
        free_for_a_students_number(dialog)
        said.append((dialog.isVisible(), dialog.error.text()))
        dialog.reject()

    on_next_dialog(code_as_reason, kind=PaymentDialog)
    window.pay_button.click()
    assert said == [(True, "原因栏里是学生的采集码或学号“2021010105”（扫码枪扫进了对话框？）：没有记录，请重新填写原因")]
    assert window.card.values["fee"].text().startswith("未缴费")


def test_a_students_code_as_a_class_payments_or_refunds_reason_is_refused(make_window, frames, station) -> None:
    window = make_window(frames)
    window.identify("DEMO0002")
    desk = window.session.desk
    with pytest.raises(StationError, match="DEMO0005"):
        desk.record_class_payment("演示2101", Method.FREE, "", "DEMO0005")
    desk.record_payment("2021010102", Method.CASH, "20")
    with pytest.raises(StationError, match="DEMO0005"):
        desk.refund_payment("2021010102", "DEMO0005")
    assert desk.fee_status("2021010102").payment.method is Method.CASH


def test_a_refusal_in_the_payment_dialog_is_read_whole(qtbot, themed: str, make_window, frames, station) -> None:
    """A student's code typed as a free set's reason is refused in three lines in English: the dialog kept its height,
    the last line was cut and the rows above squeezed (the method's and amount's captions 16 px tall for 22)."""
    window = make_window(frames)
    window.resize(1366, 700)
    window.identify("DEMO0002")
    seen = []

    def shown(dialog: QDialog) -> list[tuple[str, int, int]]:
        return [(label.text(), label.height(), label.heightForWidth(label.width()) if label.wordWrap() else
                 label.sizeHint().height()) for label in dialog.findChildren(QLabel) if label.isVisible()]

    def code_as_reason(dialog: PaymentDialog) -> None:
        free_for_a_students_number(dialog)
        for _ in range(40):  # the dialog lays itself out again around the refusal (a loaded machine: a while)
            qtbot.wait(50)
            if all(height >= needed for _, height, needed in shown(dialog)):
                break
        seen.extend(shown(dialog))
        screenshot(window, dialog, f"refused_reason_{themed}.png")
        dialog.reject()

    on_next_dialog(code_as_reason, kind=PaymentDialog)
    window.pay_button.click()
    assert any("2021010105" in text for text, _, _ in seen)
    assert all(height >= needed for _, height, needed in seen), seen


def open_a_payment_box(qtbot, window, box: str, look: Callable[[QDialog], None]) -> None:
    """Opens `box` as the photographer does and does `look` to it: F6's payment box; for a student who has paid, the
    已缴费 notice and the refund's reason box (its 退费… pressed); the class picker and the class payment's box (名单
    menu)."""
    if box in ("paid notice", "refund reason"):
        window.session.desk.record_payment("2021010101", Method.CASH, "20")
    if box == "payment":
        on_next_dialog(look, kind=PaymentDialog)
    elif box == "paid notice":
        on_next_dialog(look, kind=QMessageBox)
    elif box == "refund reason":
        def refund(notice: QMessageBox) -> None:
            on_next_dialog(look)
            next(b for b in notice.buttons() if b.text() == t(REFUND)).click()

        on_next_dialog(refund, kind=QMessageBox)
    elif box == "class picker":
        on_next_dialog(look)
        menu_action(window, words(t(CLASS_PAYMENT))).trigger()
        return
    else:
        on_next_dialog(lambda picker: picker.accept())
        on_next_dialog(look, kind=PaymentDialog, wait_ms=40_000)
        menu_action(window, words(t(CLASS_PAYMENT))).trigger()
        return
    qtbot.keyClick(window.code_input, Qt.Key_F6)


@pytest.mark.parametrize("box", ["payment", "paid notice", "refund reason", "class picker", "class payment"])
@pytest.mark.parametrize("size", [(1366, 768), (1280, 720), (1280, 680)])
def test_the_payment_box_leaves_the_face_and_the_card_in_sight(qtbot, themed: str, make_window, frames,
                                                               size: tuple[int, int], box: str) -> None:
    """F6's box opened in the window's middle, over the student's face, and in English over the card's left edge
    ("ollege"): s25 layout walk, 11_f6.png, g_en720b.png. It stands over the side column below the card, in the
    window, fixed in size (openbox drew a resizable box's handle, an empty strip below its buttons). So do the
    已缴费 notice, the refund's reason box, the class picker and the class payment's box, which opened centred over
    the face too; the picker keeps the width its title needs beside a window manager's buttons."""
    from PySide6.QtCore import QRect

    from tests.ui.test_reason_box_beside_the_photo import held_face

    window = make_window(frames)
    window.resize(*size)
    window.identify("DEMO0001")
    qtbot.wait(50)
    seen: list[tuple[QRect, QRect, QRect]] = []
    fixed: list[bool] = []
    title_room: list[int] = []

    def look(dialog: QDialog) -> None:
        card = QRect(window.card.mapToGlobal(QPoint(0, 0)), window.card.size())
        seen.append((dialog.frameGeometry(), held_face(window), card))
        fixed.append(dialog.minimumSize() == dialog.maximumSize())  # no resize handle below its buttons (openbox)
        title_room.append(dialog.width() - dialog.fontMetrics().horizontalAdvance(dialog.windowTitle()))
        screenshot(window, dialog, f"placed_{box.replace(' ', '_')}_{themed}_{size[0]}x{size[1]}.png")
        dialog.reject()

    open_a_payment_box(qtbot, window, box, look)
    qtbot.waitUntil(lambda: bool(seen), timeout=40_000)
    [(placed, face, card)] = seen
    assert not placed.intersects(face) and not placed.intersects(card), (placed, face, card)
    assert window.frameGeometry().contains(placed), (placed, window.frameGeometry())
    # against the window's right edge, over the column: the notice placed before it was shown was placed at the width
    # it had then (533 px), and showed at 400 px, 133 px short of the edge
    assert window.frameGeometry().right() - placed.right() <= 2 * RIGHT_MARGIN_PX, (placed, window.frameGeometry())
    assert fixed == [True]
    if box == "class picker":  # "Class p…gether" beside a window manager's buttons
        assert title_room[0] >= TITLE_BAR_BUTTONS_PX, title_room


def test_a_payment_box_grown_by_a_refusal_is_placed_again(qtbot, themed: str, make_window, frames) -> None:
    """A refusal under the payment box's fields (a student's number given as a free set's reason: three lines in
    English) grows the box; it grew down from where it stood, past the window's bottom on a laptop's 1280x680 when
    the side panel's messages had put it at the bottom (English: 15 px past it), and in width over the picture (441
    to 620 px). It is placed again, whole in the window against its right edge, and the refusal wraps within it
    (s25 walk leftovers)."""
    window = make_window(frames)
    window.resize(1280, 680)
    window.identify("DEMO0002")
    window.identify("DEMO0099")  # not in the roster, then its Enter: said in four lines, the box stands at the bottom
    qtbot.keyClick(window.code_input, Qt.Key_Return)
    qtbot.wait(50)
    seen = []

    def refused(dialog: PaymentDialog) -> None:
        before = dialog.frameGeometry()
        free_for_a_students_number(dialog)
        qtbot.waitUntil(lambda: dialog.frameGeometry().height() > before.height())
        seen.append((before, dialog.frameGeometry()))
        qtbot.wait(50)  # drawn
        screenshot(window, dialog, f"grown_{themed}.png")
        dialog.reject()

    on_next_dialog(refused, kind=PaymentDialog)
    window.pay_button.click()
    [(before, grown)] = seen
    assert window.frameGeometry().contains(grown), (before, grown, window.frameGeometry())
    assert window.frameGeometry().right() - grown.right() <= 2 * RIGHT_MARGIN_PX, (grown, window.frameGeometry())
    assert grown.width() == before.width(), (before, grown)  # the refusal wraps in the box, not over the picture
