"""The end of a capture day: closing never drops a photo unasked, and the queue goes to a USB stick from
the window when the network is down."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from station.i18n import Text
from station.storage import outbox
from station.upload.package import MANIFEST
from tests.ui.conftest import answer_next_dialog, on_next_dialog, shoot
from tests.ui.reading import read
from station.capture.workflow import REVIEW_AT_LEAST


def photograph(qtbot, window, code: str, accept: bool = True) -> None:
    window.identify(code)
    answer_next_dialog("已目视确认，系统误报")  # the override reason, asked only if a check fails
    shoot(qtbot, window)
    assert window.session.workflow.shot is not None, window.message.text()
    if accept:
        qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
        if window.session.needs_identity_reason:  # the demo camera's one face, photographed for a second student
            answer_next_dialog("演示：同一张脸，已核对身份证")
        window.flow.accept()
        assert window.session.workflow.shot is None, "not saved"


def answer_box(button: str, seen: list[str]) -> None:
    """Note the next message box's text and press its Cancel or its destructive button."""
    def act(box: QMessageBox) -> None:
        seen.append(box.text())
        if button == "cancel":
            box.button(QMessageBox.StandardButton.Cancel).click()
        else:
            next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole).click()

    on_next_dialog(act, kind=QMessageBox)


def export_to(window, folder: Path) -> list[str]:
    """Upload -> Export to USB stick: the folder picked in the file dialog; the text of the box that answers."""
    seen: list[str] = []

    def pick(dialog: QFileDialog) -> None:
        seen.append(dialog.labelText(QFileDialog.DialogLabel.LookIn))  # Qt's own dialog, in Chinese throughout
        dialog.setDirectory(str(folder))
        dialog.accept()
        on_next_dialog(lambda box: (seen.append(box.text()), box.accept()), wait_ms=20_000, kind=QMessageBox)

    on_next_dialog(pick, kind=QFileDialog)
    window.export_to_usb()
    return seen


def test_closing_warns_of_a_photo_in_review_and_of_photos_not_yet_uploaded(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    photograph(qtbot, window, "DEMO0001", accept=False)
    seen: list[str] = []
    answer_box("cancel", seen)
    window.close()
    assert window.isVisible() and window.session.workflow.shot is not None  # kept open, the photo still in review
    assert "林晓雯的照片还没有确认保存" in read(seen[0]) and "丢弃" in seen[0]
    qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
    window.flow.accept()
    answer_box("close", seen)
    window.close()
    assert not window.isVisible()
    assert "还有 1 张照片没有上传" in seen[1] and "不会丢失" in seen[1] and "确认保存" not in seen[1]
    assert "它们" not in seen[1]  # one photo is not "they" (s32 first-day walk)


def test_the_upload_queue_goes_to_a_usb_stick_from_the_menu(qtbot, make_window, frames: Path, tmp_path: Path) -> None:
    window = make_window(frames)
    photograph(qtbot, window, "DEMO0001")
    stick = tmp_path / "U盘"
    stick.mkdir()

    seen = export_to(window, stick)
    [package] = list(stick.iterdir())
    assert (package / MANIFEST).is_file() and len(list(package.glob("*.pse"))) == 3  # photo, original, manifest
    assert seen[0] == "查找范围："
    assert "已把 1 张照片导出到" in seen[1] and str(package) in seen[1]


def test_exporting_with_nothing_queued_says_so_before_asking_for_a_folder(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    asked: list[str] = []
    seen: list[str] = []
    on_next_dialog(lambda dialog: (asked.append("folder"), dialog.reject()), kind=QFileDialog)
    on_next_dialog(lambda box: (seen.extend((box.windowTitle(), box.text())), box.accept()), kind=QMessageBox)
    window.export_to_usb()
    assert seen == ["导出到U盘", "上传队列为空，没有需要导出的照片。"] and asked == []  # the title without the menu's …


def test_closing_tells_uploads_that_gave_up_from_those_still_queued(qtbot, make_window, frames: Path,
                                                                    tmp_path: Path) -> None:
    """A photo the uploader gave up on is told apart, with the way to hand it over today: the stick takes it too."""
    window = make_window(frames)
    photograph(qtbot, window, "DEMO0001")
    photograph(qtbot, window, "DEMO0002")
    db = window.session.station.db
    outbox.fail(db, outbox.claim(db), Text("服务器拒收", "refused"))  # one of the two gave up
    seen: list[str] = []
    answer_box("cancel", seen)
    window.close()
    assert "还有 1 张照片没有上传" in seen[0] and "有 1 张照片上传失败，不会自动重传" in seen[0]
    assert "“上传 → 导出到U盘…”也会导出上传失败的照片" in seen[0] and "它们" not in seen[0]  # one photo each
    stick = tmp_path / "U盘"
    stick.mkdir()
    said = export_to(window, stick)
    assert "已把 2 张照片导出到" in said[1]  # the one that gave up with the one still queued
