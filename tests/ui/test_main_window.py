"""The station window driven offscreen as a photographer would, with the file-backed camera."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import Qt

from station.adapters.demo import DEMO_DIR
from station.identify.identify import Outcome
from tests.ui.conftest import accept_next_dialog_untouched, answer_next_dialog, on_next_dialog, shoot
from tests.ui.reading import beside_shown, read
from station.capture.reasons import OVERRIDE_REASONS, RETAKE_REASONS
from station.capture.workflow import REVIEW_AT_LEAST
from station.compliance.messages import TITLES
from ui.check_board import CHIP_TITLES


def test_a_capture_code_shown_to_the_camera_identifies_the_student(qtbot, make_window, tmp_path: Path) -> None:
    frames = tmp_path / "qr"
    frames.mkdir()
    shutil.copy(DEMO_DIR / "qr" / "DEMO0002.jpg", frames)
    window = make_window(frames)
    qtbot.waitUntil(lambda: window.card.name.text() == "陈浩然", timeout=10_000)
    assert window.card.values["student_no"].text() == "2021010102"
    assert window.card.values["id_number"].text() == "110101********1050"
    assert window.message.property("level") == "ok"
    # ready once the camera is live: a loaded CI machine's stall of the file camera greyed it for a moment (CI, s29)
    qtbot.waitUntil(window.shutter_button.isEnabled, timeout=10_000)
    assert window.shutter_button.text() == "拍照（空格 / 回车）"


def test_typing_a_student_number_and_enter(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    assert not window.shutter_button.isEnabled()  # nobody identified yet
    assert window.shutter_button.text() == "请先扫码或输入学号"
    qtbot.keyClicks(window.code_input, "2021010201")
    qtbot.keyClick(window.code_input, Qt.Key_Return)
    assert window.card.name.text() == "孙明轩"
    assert window.code_input.text() == ""
    assert "不在当前时段" in window.warnings.text()  # 演示2102 is scheduled for the next hour


def test_unknown_code_keeps_the_current_student_and_says_why(make_window, frames: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    window.identify("garbage\x07code")
    window.identify("NOT-A-CODE")
    assert window.card.name.text() == "林晓雯"
    assert "NOT-A-CODE" in window.message.text() and window.message.property("level") == "bad"
    assert "当前学生仍是林晓雯" in read(window.message.text())  # the shutter would still photograph her


def test_live_checks_draw_on_the_preview_and_name_the_problems(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames, live_checks=True)
    window.identify("DEMO0001")
    qtbot.waitUntil(lambda: window.preview.live is not None and not window.preview.live.analysis.settling,
                    timeout=20_000)  # a new view says nothing for its first analyses
    analysis = window.preview.live.analysis
    assert analysis.faces == 1 and analysis.crop is not None  # the face guide has a place to go
    board = window.check_board
    shown, asked = board.problems.text(), board.questions.text()
    if analysis.problems:
        assert shown == f"未通过 {len(analysis.problems)} 项"
    else:
        assert shown == ("" if analysis.questions else "全部通过，可以拍照")
    assert asked == (f"请目视确认 {len(analysis.questions)} 项" if analysis.questions else "")
    marked = {level: {c for c, chip in board.chips.items() if chip.property("level") == level} for level in ("bad", "warn")}
    assert marked == {"bad": {c for c, _ in analysis.problems}, "warn": {c for c, _ in analysis.questions}}
    assert all(board.chips[c].full_text == f"✗ {CHIP_TITLES[c].zh}" for c, _ in analysis.problems)


def test_shoot_override_review_accept_then_retake_with_history(qtbot, make_window, frames: Path, station) -> None:
    window = make_window(frames)
    store = window.session.workflow.store
    window.identify("DEMO0001")
    qtbot.keyClick(window.code_input, Qt.Key_F2)  # not photographed yet: no retake to start
    assert window.session.workflow.retake_reason == ""
    answer_next_dialog("学生佩戴隐形眼镜")  # the override reason, asked only if a check fails
    qtbot.keyClick(window.code_input, Qt.Key_Space)
    assert window.session.pressing and window.pages.currentWidget() is window.live  # measured off the UI thread
    assert not window.shutter_button.isEnabled() and window.shutter_button.text() == "正在处理照片…"
    qtbot.waitUntil(lambda: not window.session.pressing, timeout=30_000)
    assert window.pages.currentWidget() is window.review
    assert window.review.values["name"].text() == "林晓雯"
    assert window.message.text() == ""  # no "please take your place" beside the photo under review
    assert window.review.photo.pixmap().size().toTuple() == (480, 640)
    qtbot.keyClick(window.code_input, Qt.Key_Return)  # a double press: the student has not seen the photo yet
    qtbot.keyClick(window.code_input, Qt.Key_Space)  # Space or a pedal never accepts
    assert window.pages.currentWidget() is window.review and "回车确认" in window.message.text()
    qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
    qtbot.keyClick(window.code_input, Qt.Key_Return)  # accept, after a look
    assert window.pages.currentWidget() is window.live and "第 1 版" in window.message.text()
    [first] = station.db.query("SELECT * FROM captures WHERE student_no = '2021010101'")
    assert first["operator"] == "测试摄影师" and first["superseded_at"] is None
    stored = (station.home / first["chsi_file"]).read_bytes()
    photo = store.load_for_review("2021010101", 1)
    # encrypted at rest: none of the photo's first 64 bytes in the file ("JFIF" could be, by chance, one time in about
    # 40,000: 4 bytes anywhere in the ciphertext or in the header's base64)
    assert photo[:2] == b"\xff\xd8" and not stored.startswith(b"\xff\xd8") and photo[:64] not in stored
    assert station.db.execute("SELECT state FROM outbox").fetchone()[0] == "pending"
    assert window.queue_status.text().startswith("待上传 1")  # counted at once, beside "已加入上传队列"

    # the same student again: a retake needs a reason, and the earlier photo is kept
    window.identify("DEMO0001")
    assert window.session.workflow.identification.outcome is Outcome.ALREADY_CAPTURED
    # the only way on is a retake: its button stands where the shutter was, whatever the message above says now
    assert window.retake_button.isVisible() and not window.shutter_button.isVisible()
    window.resize(1280, 650)  # a 1280x720 laptop's window: the button is in sight
    qtbot.wait(50)
    assert not window.retake_button.visibleRegion().isEmpty()
    answer_next_dialog("学生要求重拍")
    qtbot.keyClick(window.code_input, Qt.Key_F2)
    assert window.shutter_button.isEnabled() and window.shutter_button.isVisible()
    assert not window.retake_button.isVisible()
    answer_next_dialog("学生佩戴隐形眼镜")
    shoot(qtbot, window)
    assert [read(caption) for caption in beside_shown(window.review)] == ["林晓雯的上一版照片"]  # beside version 1
    shot = window.session.workflow.shot
    assert shot.override_reason  # the demo frame fails checks (her smile), so the review names them to look again
    assert all(TITLES[check].zh in window.review.notes.text() for check, _ in shot.analysis.problems)
    assert shot.questions == ("teeth",) and "请在照片上再看一眼：露齿" in window.review.notes.text()  # asked at the press
    # the fullest screen still fits a 1366x768 laptop with its taskbar (at 125 % too: 1093 wide), and a 1080p
    # one at 150 % scaling
    assert window.minimumSizeHint().width() <= 1090 and window.minimumSizeHint().height() <= 640
    window.flow.accept()
    history = list(station.db.query("SELECT version, reason, superseded_at FROM captures ORDER BY version"))
    assert [h["version"] for h in history] == [1, 2]
    assert history[0]["superseded_at"] is not None and history[1]["reason"] == "学生要求重拍"
    assert station.db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 2


def test_escape_in_review_retakes_at_once_and_saves_nothing(qtbot, make_window, frames: Path, station) -> None:
    window = make_window(frames)
    window.identify("DEMO0003")
    answer_next_dialog("测试")
    shoot(qtbot, window)
    assert window.pages.currentWidget() is window.review
    qtbot.keyClick(window.code_input, Qt.Key_Space)  # a hint about accepting with Enter...
    qtbot.keyClick(window.code_input, Qt.Key_Escape)
    assert window.pages.currentWidget() is window.live
    assert station.db.execute("SELECT COUNT(*) FROM captures").fetchone()[0] == 0
    assert window.shutter_button.isEnabled()  # the same student, ready again
    assert read(window.message.text()) == "这张照片已放弃（未保存），请重新拍摄王思远"  # ...is gone with the photo it was about


def test_cancelled_override_takes_no_photo(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0004")
    if window.session.workflow.engine.analyze(window.preview.shown_frame.image).verdict == "pass":
        return  # nothing to override on this frame
    answer_next_dialog(None)
    shoot(qtbot, window)
    assert window.pages.currentWidget() is window.live and window.message.property("level") == "bad"


def test_override_reasons_are_one_pick_away_but_never_preselected(qtbot, make_window, frames: Path, station) -> None:
    """A false alarm is overridden by picking a common reason, which is recorded with the photo; the reason
    box opens empty, so accepting it untouched (the shutter key pressed twice) takes no photo."""
    window = make_window(frames)
    window.identify("DEMO0006")
    assert window.session.workflow.engine.analyze(window.preview.shown_frame.image).verdict == "fail"  # her broad smile
    seen = []
    accept_next_dialog_untouched(seen)
    shoot(qtbot, window)
    assert seen == [([r.zh for r in OVERRIDE_REASONS], "")]
    assert window.pages.currentWidget() is window.live and window.message.property("level") == "bad"

    on_next_dialog(lambda dialog: (dialog.setTextValue(dialog.comboBoxItems()[0]), dialog.accept()))
    shoot(qtbot, window)
    assert window.pages.currentWidget() is window.review
    assert window.message.text() == ""  # the first press's refusal is not left beside the photo
    window.flow.accept()
    [row] = station.db.query("SELECT override_reason FROM captures WHERE student_no = '2021010106'")
    assert row["override_reason"] == OVERRIDE_REASONS[0].zh


def test_retake_reasons_are_offered_but_never_preselected(qtbot, make_window, frames: Path) -> None:
    """F2 then Enter must not record a retake reason nobody chose (the photo replaced would carry it)."""
    window = make_window(frames)
    window.identify("DEMO0001")
    answer_next_dialog("测试")
    shoot(qtbot, window)
    window.flow.accept()
    window.identify("DEMO0001")  # photographed: a retake needs a reason
    seen = []
    accept_next_dialog_untouched(seen)
    window.flow.ask_retake()
    assert seen == [([r.zh for r in RETAKE_REASONS], "")]
    assert not window.shutter_button.isEnabled() and window.session.workflow.retake_reason == ""


def test_camera_unplugged_in_review_loses_nothing_and_comes_back(qtbot, make_window, frames: Path, station,
                                                                 monkeypatch) -> None:
    monkeypatch.setattr("ui.main_window.BACK_SAID_MS", 500)
    window = make_window(frames)
    window.identify("DEMO0005")
    answer_next_dialog("测试")
    shoot(qtbot, window)
    hidden = frames.with_name("unplugged")
    frames.rename(hidden)  # the folder vanishing reads as an unplugged camera
    qtbot.waitUntil(lambda: "断开" in window.camera_status.text() or "停止" in window.camera_status.text(), timeout=10_000)
    window.flow.accept()  # the photo taken before the camera went away is saved
    assert station.db.execute("SELECT COUNT(*) FROM captures WHERE student_no = '2021010105'").fetchone()[0] == 1
    hidden.rename(frames)
    qtbot.waitUntil(lambda: window.camera_status.text() == "相机已恢复", timeout=10_000)
    qtbot.waitUntil(lambda: window.camera_status.text() == "相机正常", timeout=5_000)  # then the steady words (s32)


def test_an_unplugged_camera_never_gives_its_last_picture_to_the_shutter(qtbot, make_window, frames: Path,
                                                                        station) -> None:
    window = make_window(frames, live_checks=True)
    window.identify("DEMO0005")
    qtbot.waitUntil(lambda: window.preview.live is not None, timeout=20_000)
    assert window.shutter_button.isEnabled() and window.camera_status.property("level") == "ok"
    hidden = frames.with_name("unplugged")
    frames.rename(hidden)
    qtbot.waitUntil(lambda: window.camera_status.property("level") == "bad", timeout=10_000)
    left_over = window.session.source.latest()  # the last picture before the loss
    assert window.preview.shown_frame is None
    qtbot.wait(1500)  # the checks still busy with the last picture must not bring its results back
    assert not window.shutter_button.isEnabled()  # the last picture is still on screen, dimmed...
    assert window.shutter_button.text() == "相机没有画面，不能拍照"
    shoot(qtbot, window, wait_live=False)  # ...and the shutter key does not take it
    assert window.pages.currentWidget() is window.live and "相机没有实时画面" in window.message.text()
    assert window.preview.live is None and not window.check_board.problems.isVisible()
    assert station.db.execute("SELECT COUNT(*) FROM captures").fetchone()[0] == 0
    hidden.rename(frames)
    qtbot.waitUntil(window.shutter_button.isEnabled, timeout=10_000)
    assert window.shutter_button.text() == "拍照（空格 / 回车）"
    assert "相机没有实时画面" not in window.message.text()  # the refusal from while it was away is gone
    # back live, the picture left over from before the loss is never the one the shutter takes
    assert window.preview.shown_frame is not None and window.preview.shown_frame.frame_id > left_over.frame_id


def test_a_full_disk_refuses_the_save_and_keeps_the_photo_in_review(qtbot, make_window, frames: Path, station) -> None:
    from station.storage.captures import CaptureStore

    store = CaptureStore(station, key=station.demo_key, reserve_bytes=1 << 60)  # "less free space than the reserve"
    window = make_window(frames, store=store)
    window.identify("DEMO0006")
    answer_next_dialog("测试")
    shoot(qtbot, window)
    window.flow.accept()
    assert window.pages.currentWidget() is window.review and window.message.property("level") == "bad"
    assert station.db.execute("SELECT COUNT(*) FROM captures").fetchone()[0] == 0
    store.reserve_bytes = 0  # space freed: the same photo is saved
    window.flow.accept()
    assert station.db.execute("SELECT COUNT(*) FROM captures WHERE student_no = '2021010106'").fetchone()[0] == 1


def test_next_never_names_the_student_just_identified(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    assert window.next_label.text() == "下一位：林晓雯（2021010101）"
    window.identify("DEMO0001")  # she comes first: the photographer now calls the one after her, not her again
    assert window.next_label.text() == "下一位：陈浩然（2021010102）"


def station_absent(window, student_no: str) -> bool:
    return bool(window.session.station.db.execute("SELECT absent FROM students WHERE student_no = ?", [student_no]).fetchone()[0])


def test_queue_screen_follows_the_station(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    queue = window.queue_window
    window.identify("DEMO0002")
    rows = [(queue.table.item(r, 1).text(), queue.table.item(r, 2).text(), queue.table.item(r, 3).text())
            for r in range(queue.table.rowCount())]
    numbers = [e.student_no for e in queue.board.entries]
    assert numbers == sorted(numbers)  # class slot, then student number
    assert rows[1] == ("2021****02", "陈*然", "正在拍摄")  # masked for the people in the queue
    assert all("110101" not in cell and "2021010102" not in cell for row in rows for cell in row)
    assert window.next_label.text() == "下一位：林晓雯（2021010101）"  # the photographer calls full names
    qtbot.keyClick(window.code_input, Qt.Key_F3)  # 2021010101 has not come
    assert queue.table.item(0, 3).text() == "缺席" and "已将林晓雯（2021010101）标为缺席" in read(window.message.text())
    assert window.next_label.text() != "下一位：林晓雯（2021010101）" and window.undo_absent_button.isVisible()
    qtbot.keyClick(window.code_input, Qt.Key_F3, Qt.ShiftModifier)  # she was there after all
    assert queue.table.item(0, 3).text() != "缺席" and window.next_label.text() == "下一位：林晓雯（2021010101）"
    assert not station_absent(window, "2021010101") and "林晓雯（2021010101）已回到排队名单" in read(window.message.text())
    assert not window.undo_absent_button.isVisible()


def test_the_queue_behind_the_station_keeps_to_its_place(qtbot, make_window, frames: Path) -> None:
    """On one screen too narrow for the queue beside, it stands behind the station window. A window manager centred
    the station after the queue was put there, and a strip of the queue (its heading, its table) stood out on the
    left and top (s25 layout walk, 1600x900): it now keeps to the station's place, moved or resized."""
    window = make_window(frames)
    window.show()
    queue = window.queue_window
    queue.show_beside()
    assert queue.isVisible() and queue.geometry() == window.geometry()  # behind: no room beside
    window.move(window.x() + 100, window.y() + 27)  # as openbox centred it on a 1600x900 screen
    assert queue.geometry() == window.geometry()
    window.resize(window.width() - 50, window.height())
    assert queue.geometry() == window.geometry()


def test_switching_cameras_keeps_scanning_on_the_new_one(qtbot, make_window, frames: Path, tmp_path: Path) -> None:
    from station.camera import open_camera

    window = make_window(frames)
    qr = tmp_path / "phone"
    qr.mkdir()
    shutil.copy(DEMO_DIR / "qr" / "DEMO0001.jpg", qr)
    old = window.session.source
    window.use_camera(open_camera(str(qr), fps=20).start())
    qtbot.waitUntil(lambda: window.card.name.text() == "林晓雯", timeout=10_000)
    assert old.state.value == "stopped" and window.preview.source is window.session.source


def test_a_camera_that_never_gave_a_picture_is_not_said_to_be_disconnected(qtbot, make_window, frames: Path,
                                                                          tmp_path: Path) -> None:
    """A first start on a laptop without a camera (or a camera number with none behind it) said 相机已断开，正在重新连接…:
    nothing had been connected. It says the camera cannot be opened, and where to choose another; one that was live
    and is then unplugged is still said to be disconnected."""
    from station.camera import open_camera

    window = make_window(frames)
    window.use_camera(open_camera(str(tmp_path / "no camera here"), fps=20, backoff_start=0.1).start())
    qtbot.waitUntil(lambda: window.camera_status.property("level") == "bad", timeout=10_000)
    said = "无法打开相机，正在重试…（工作站 → 相机设置…）"
    assert window.camera_status.text() == said and "断开" not in window.camera_status.text()
    window.preview.grab()  # painted: the picture's own words are the source's
    assert window.preview.source.state_text.zh == said
    window.use_camera(open_camera(str(frames), fps=20, frozen_after=3.0, backoff_start=0.1, backoff_max=0.3).start())
    qtbot.waitUntil(lambda: window.camera_status.text() == "相机正常", timeout=10_000)
    frames.rename(frames.with_name("unplugged"))
    qtbot.waitUntil(lambda: "断开" in window.camera_status.text() or "停止" in window.camera_status.text(),
                    timeout=10_000)


def plug_camera(sysfs: Path, index: int, name: str) -> None:
    """What Linux shows in /sys/class/video4linux when a camera is plugged in."""
    node = sysfs / f"video{index}"
    node.mkdir(parents=True)
    (node / "name").write_text(name + "\n")
    (node / "index").write_text("0\n")


def test_camera_dialog_offers_resolution_and_locks(qtbot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from station.camera import open_camera
    from station.camera.backends import UsbSettings
    from station.camera.discovery import linux_cameras
    from ui.camera_dialog import CameraDialog

    sysfs = tmp_path / "video4linux"
    sysfs.mkdir()
    find = lambda: linux_cameras(sysfs)  # noqa: E731

    empty = CameraDialog(find, UsbSettings())
    qtbot.addWidget(empty)
    assert not empty.buttons.button(QDialogButtonBox.Ok).isEnabled()  # nothing to choose: say so, pick nothing
    assert empty.none_found.isVisibleTo(empty)
    assert not empty.rotation.isEnabled() and not empty.resolution.isEnabled()  # USB settings OK could not keep
    # the demo's pictures come from files: the dialog says they go on, not that the station has no camera
    assert "照片文件" in empty.none_found.text() and "会继续使用" in empty.none_found.text()
    assert CameraDialog(find, UsbSettings(), current_index=0).none_found.text().startswith("没有找到相机")
    plug_camera(sysfs, 0, "Integrated")
    plug_camera(sysfs, 2, "USB Camera")
    empty.rescan.click()  # plugged in with the dialog open: look again, no restart
    assert empty.camera.count() == 2 and empty.buttons.button(QDialogButtonBox.Ok).isEnabled()
    assert not empty.none_found.isVisibleTo(empty)
    assert empty.rotation.isEnabled() and empty.lock_exposure.isEnabled()

    dialog = CameraDialog(find, UsbSettings())
    qtbot.addWidget(dialog)
    dialog.camera.setCurrentIndex(1)
    dialog.resolution.setCurrentIndex(1)
    dialog.lock_exposure.setChecked(True)
    dialog.rotation.setCurrentIndex(dialog.rotation.findData(270))  # mounted on its side for a tall picture
    dialog.rescan.click()  # looking again keeps the chosen camera
    index, settings = dialog.choice()
    assert (index, settings.width, settings.height, settings.lock_exposure, settings.lock_white_balance) == (2, 1920, 1080, True, False)
    assert settings.rotation == 270 and CameraDialog(find, settings).rotation.currentData() == 270  # shown as in use

    # opened to lock the exposure of camera 2 in use, OK keeps camera 2 (not the built-in webcam listed first)
    in_use = CameraDialog(find, UsbSettings(), current_index=2)
    qtbot.addWidget(in_use)
    in_use.lock_exposure.setChecked(True)
    assert in_use.choice()[0] == 2
    assert open_camera("2").usb_index == 2 and open_camera(str(DEMO_DIR / "kiosk")).usb_index is None


def test_the_last_upload_from_another_day_is_said_with_its_date(qtbot, make_window, frames: Path, station) -> None:
    """上次成功 is kept from one day to the next: yesterday evening's upload read the next morning said only 17:30, as if
    the server had taken a photo today."""
    import datetime as dt

    from station.storage import outbox

    window = make_window(frames)
    yesterday = dt.datetime.now().astimezone() - dt.timedelta(days=1)
    outbox.record_status(station.db, last_success_at=yesterday.isoformat())
    window._tick()
    assert f"上次成功 {yesterday:%m-%d %H:%M}" in window.queue_status.text()
    now = dt.datetime.now().astimezone()
    outbox.record_status(station.db, last_success_at=now.isoformat())
    window._tick()
    assert window.queue_status.text().endswith(f"上次成功 {now:%H:%M}")


def test_failed_uploads_are_listed_with_their_reason_and_can_be_retried(qtbot, make_window, frames: Path, station) -> None:
    from PySide6.QtWidgets import QAbstractItemView

    from station.i18n import Text
    from station.storage import outbox
    from ui.upload_dialog import FailedUploadsDialog

    window = make_window(frames)
    assert window.failed_button.isHidden()  # nothing failed: nothing to open
    window.identify("DEMO0007")
    answer_next_dialog("测试")
    shoot(qtbot, window)
    window.flow.accept()
    job = outbox.claim(station.db)
    outbox.fail(station.db, job, Text("服务器拒绝：令牌无效", "server refused: bad token"))
    window._tick()
    assert "失败 1" in window.queue_status.text() and window.queue_status.property("level") == "bad"  # red
    assert window.failed_button.isVisible()  # the red count leads to the list, without hunting in the menus
    seen: list[list[str]] = []

    def read_and_retry(dialog: FailedUploadsDialog) -> None:
        table = dialog.table
        seen.append([table.item(0, c).text() for c in range(table.columnCount())])
        seen.append([str(table.editTriggers() == QAbstractItemView.NoEditTriggers)])
        dialog.retry.click()

    on_next_dialog(read_and_retry, kind=FailedUploadsDialog)
    window.failed_button.click()
    row, read_only = seen
    assert row[:4] == ["演示2101", "2021010107", "吴俊杰", "1"] and "令牌无效" in row[-1]  # whose photo, not only a number
    assert read_only == ["True"]
    assert outbox.queue_health(station.db).failed == [] and "失败 0" in window.queue_status.text()
    assert window.queue_status.property("level") == "" and window.failed_button.isHidden()
    assert window.message.text() == "已重新排队 1 张照片，正在重新上传"  # the retry says it did something


def test_queue_screen_full_names_setting(make_window, frames: Path) -> None:
    window = make_window(frames)
    window.full_names.setChecked(True)
    names = [window.queue_window.table.item(r, 2).text() for r in range(window.queue_window.table.rowCount())]
    assert "林晓雯" in names and not any("*" in n for n in names)


def test_a_captured_student_picked_from_the_list_can_be_retaken(qtbot, make_window, frames: Path, station) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.student_picker import StudentPicker

    window = make_window(frames)
    window.identify("DEMO0008")
    answer_next_dialog("测试")
    shoot(qtbot, window)
    window.flow.accept()

    seen = []

    def pick() -> None:  # as the photographer: type part of the name, press Enter
        picker = QApplication.activeModalWidget()
        if not isinstance(picker, StudentPicker):
            QTimer.singleShot(20, pick)
            return
        picker.filter.setText("郑欣")  # 2021010108
        seen.extend(picker.table.item(r, c).text() for r in range(picker.table.rowCount()) for c in (0, 3))
        picker.filter.returnPressed.emit()

    QTimer.singleShot(20, pick)
    window.pick_student()
    assert seen == ["2021010108", "1"]  # one match, already photographed once
    assert window.card.name.text() == "郑欣然"
    assert window.session.workflow.identification.outcome is Outcome.ALREADY_CAPTURED and window.retake_button.isVisible()


def test_codes_in_view_during_review_are_ignored(qtbot, make_window, frames: Path, tmp_path: Path) -> None:
    from station.camera import open_camera

    window = make_window(frames)
    window.identify("DEMO0009")
    answer_next_dialog("测试")
    shoot(qtbot, window)
    before = window.message.text()
    phone = tmp_path / "phone"
    phone.mkdir()
    shutil.copy(DEMO_DIR / "qr" / "DEMO0001.jpg", phone)
    window.use_camera(open_camera(str(phone), fps=20).start())  # the new camera's scanner is paused too
    qtbot.wait(1500)
    assert window.pages.currentWidget() is window.review and window.message.text() == before
    window.flow.escape()  # back to live: the code held up is read again, and asks to switch rather than switching
    qtbot.waitUntil(lambda: "按 F4 切换" in window.offer.text(), timeout=10_000)
    assert "林晓雯" in read(window.offer.text()) and window.card.name.text() != "林晓雯"
    qtbot.keyClick(window.code_input, Qt.Key_F4)
    assert window.card.name.text() == "林晓雯" and window.offer.text() == ""


def test_a_question_to_switch_ends_with_the_camera_that_saw_the_code(qtbot, make_window, frames: Path,
                                                                     tmp_path: Path) -> None:
    from station.camera import open_camera

    window = make_window(frames)
    window.identify("DEMO0009")
    phone = tmp_path / "phone"
    phone.mkdir()
    shutil.copy(DEMO_DIR / "qr" / "DEMO0001.jpg", phone)
    window.use_camera(open_camera(str(phone), fps=20).start())
    qtbot.waitUntil(lambda: "按 F4 切换" in window.offer.text(), timeout=10_000)
    window.use_camera(open_camera(str(frames), fps=20).start())  # another camera: it never saw that phone
    assert window.offer.text() == "" and window.session.offer is None
    qtbot.keyClick(window.code_input, Qt.Key_F4)
    assert window.card.name.text() == "孙明轩"  # F4 switches to nobody


def test_the_queue_screen_keeps_the_student_at_the_camera_in_view(qtbot, make_window, frames: Path, station,
                                                                  tmp_path: Path) -> None:
    from station.roster.importer import import_roster

    roster = tmp_path / "big.csv"
    roster.write_text("学号,姓名,班级\n" + "".join(f"2021099{i:03d},学生{i},演示2101\n" for i in range(80)),
                      encoding="utf-8")
    import_roster(station.db, roster)
    window = make_window(frames)
    queue = window.queue_window
    queue.resize(900, 700)
    queue.show()
    window.identify("2021099075")
    item = next(queue.table.item(r, 3) for r in range(queue.table.rowCount())
                if queue.table.item(r, 3).text() == "正在拍摄")
    assert queue.table.viewport().rect().contains(queue.table.visualItemRect(item))


def test_the_override_box_and_the_side_panel_name_the_same_checks(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames, live_checks=True)
    window.identify("DEMO0001")
    qtbot.waitUntil(lambda: window.preview.live is not None, timeout=20_000)
    seen: dict[str, object] = {}

    def look(dialog) -> None:
        board = window.check_board
        seen["panel"], seen["box"] = board.problems.text(), dialog.labelText()
        seen["red"] = sum(chip.property("level") == "bad" for chip in board.chips.values())
        held = window.preview.shown_frame.frame_id
        qtbot.wait(300)  # the camera runs on at 30 fps behind the box
        # the picture the box is about stays on screen, with the shutter's own findings over it
        seen["held"] = window.preview.shown_frame.frame_id == held and window.preview.live.analysis is window.session.override_asked
        dialog.reject()

    on_next_dialog(look)
    shoot(qtbot, window)
    refused = window.session.workflow  # nothing taken
    assert refused.shot is None and seen, "the demo frame fails checks: the box must ask"
    assert seen["held"]
    after = window.preview.shown_frame.frame_id
    qtbot.waitUntil(lambda: window.preview.shown_frame.frame_id != after, timeout=5_000)  # live again
    listed = [line for line in seen["box"].splitlines() if line.startswith("· ")]
    # one analysis, the shutter's, behind both
    assert seen["panel"] == f"未通过 {len(listed)} 项" and seen["red"] == len(listed)


def test_a_black_frame_says_there_is_no_face_and_offers_no_override(qtbot, make_window, tmp_path: Path) -> None:
    """A lens cap: no face and too dark, not 背景不是蓝色 (the cloth is there, the picture is black)."""
    dark = tmp_path / "dark"
    dark.mkdir()
    shutil.copy(DEMO_DIR / "kiosk" / "06_black.jpg", dark)
    window = make_window(dark, live_checks=True)
    window.identify("DEMO0001")
    chips = window.check_board.chips  # the live panel: too dark, and the backdrop not judged (not 背景不是蓝色)
    qtbot.waitUntil(lambda: chips["exposure"].full_text.startswith("✗"), timeout=10_000)
    assert chips["background"].full_text.startswith("–") and chips["backdrop_drift"].full_text.startswith("–")
    asked: list[str] = []
    on_next_dialog(lambda dialog: (asked.append(dialog.labelText()), dialog.reject()))
    shoot(qtbot, window)
    assert asked == [] and window.pages.currentWidget() is window.live
    message = window.message.text()
    assert "人脸" in message and "眼镜" not in message and "耳环" not in message and message.count("；") <= 2
    assert "光线太暗" in message and "背景" not in message
    assert message.index("光线太暗") < message.index("人脸")  # no face is found because it is dark: the light first


def test_a_face_too_dark_to_see_is_told_the_light_not_blur_nor_fringe(qtbot, make_window, tmp_path: Path) -> None:
    """林晓雯 with the room's lights off (6 EV under, 2**-6 in linear light): her face is found, and the side panel showed ✗ 清晰度 and
    ✗ 眉毛遮挡 beside ✗ 曝光, the override box 照片模糊 and 请把刘海拨开. Now those are – and the box lists the light."""
    dark = tmp_path / "dark"
    dark.mkdir()
    lit = cv2.imread(str(DEMO_DIR / "kiosk" / "01_good.jpg"))
    cv2.imwrite(str(dark / "lights_off.jpg"), np.round(lit * 2 ** (-6 / 2.2)).astype(np.uint8))
    window = make_window(dark, live_checks=True)
    window.identify("DEMO0001")
    chips = window.check_board.chips
    qtbot.waitUntil(lambda: chips["exposure"].full_text.startswith("✗") and chips["blur"].full_text.startswith("–"),
                    timeout=20_000)
    assert all(chips[c].full_text.startswith("–") for c in ("blur", "lighting", "eyebrows_covered", "hat"))
    assert chips["pose"].full_text.startswith("✓") and chips["face_position"].full_text.startswith("✓")
    asked: list[str] = []
    on_next_dialog(lambda dialog: (asked.append(dialog.labelText()), dialog.reject()))
    shoot(qtbot, window)
    assert len(asked) == 1 and "光线太暗" in asked[0], asked
    assert "模糊" not in asked[0] and "刘海" not in asked[0] and "帽子" not in asked[0]


def test_a_refusal_is_not_left_beside_the_next_press(qtbot, make_window, frames: Path, tmp_path: Path) -> None:
    """The black frame's refusal (no face) stays said until the next press, whose override box it must not stand
    beside: seen on a real display, an out-of-frame refusal stood beside the next frame's 仍要拍摄？"""
    from station.camera import open_camera

    dark = tmp_path / "dark"
    dark.mkdir()
    shutil.copy(DEMO_DIR / "kiosk" / "06_black.jpg", dark)
    window = make_window(dark)
    window.identify("DEMO0001")
    shoot(qtbot, window)
    assert "人脸" in window.message.text()
    window.use_camera(open_camera(str(frames), fps=20).start())  # the lens cap off: her smiling frames
    beside: list[str] = []
    on_next_dialog(lambda dialog: (beside.append(window.message.text()), dialog.reject()))
    shoot(qtbot, window)
    assert beside == [""]


def test_a_station_without_its_server_key_says_so_before_any_photo(qtbot, make_window, frames: Path, station) -> None:
    with station.db.conn:  # a new laptop whose server-config line was never run
        station.db.execute("UPDATE server_link SET public_key = ''")
    window = make_window(frames)
    assert "未配置服务器" in window.queue_status.text() and window.queue_status.property("level") == "bad"
    window.identify("DEMO0001")
    assert not window.shutter_button.isEnabled() and window.shutter_button.text() == "未配置服务器，照片无法保存"
    shoot(qtbot, window)  # the key does not take a photo that could not be saved
    assert window.pages.currentWidget() is window.live and "server-config" in window.message.text()


def test_the_registrars_line_pasted_in_the_window_links_the_station(qtbot, make_window, frames: Path, station,
                                                                   tmp_path: Path) -> None:
    """上传 → 连接服务器…: the line a real `photo-station-server add-station` prints, pasted as it came (a chat wrapped
    it), links the laptop: no terminal needed, and the photo can be taken. A line cut short is refused, nothing kept."""
    import subprocess
    import sys

    from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit

    from station.storage.server_link import load_link

    with station.db.conn:  # a new laptop whose settings were never given
        station.db.execute("UPDATE server_link SET public_key = '', station_id = '', token = ''")
    server = [str(Path(sys.executable).with_name("photo-station-server")), "--home", str(tmp_path / "server")]
    subprocess.run([*server, "init"], check=True, capture_output=True, timeout=120)
    added = subprocess.run([*server, "add-station", "S07", "--url", "https://192.168.1.10:8420"], check=True,
                           capture_output=True, text=True, timeout=120).stdout
    line = next(row for row in added.splitlines() if "server-config" in row)
    window = make_window(frames)
    assert "上传 → 连接服务器…" in window.queue_status.text()
    said: list[str] = []

    def paste(text: str) -> None:
        on_next_dialog(lambda box: (box.setTextValue(text), box.accept()))
        on_next_dialog(lambda box: (said.append(box.text()), box.accept()), kind=QMessageBox)
        window.link_server()

    sideways: list[int] = []

    def typed_then_tab(box) -> None:  # Tab leaves the text for the buttons, as in every other box
        edit = box.findChild(QPlainTextEdit)
        qtbot.keyClicks(edit, "--token x")
        qtbot.keyClick(edit, Qt.Key.Key_Tab)
        said.append(box.textValue())
        edit.setPlainText(line)  # the real line, pasted: wrapped whole in sight, nothing off to the side
        QApplication.processEvents()
        sideways.append(edit.horizontalScrollBar().maximum())
        sideways.append(edit.verticalScrollBar().maximum())
        box.reject()

    on_next_dialog(typed_then_tab)
    window.link_server()
    assert said == ["--token x"]
    assert sideways == [0, 0], "the pasted line runs off the box, under a scroll bar"
    paste(line.split(" --public-key")[0])  # cut short
    assert "--public-key --server-cert-sha256" in read(said[-1]) and not load_link(station.db).can_encrypt
    paste(line.replace(" --token", "\n--token"))
    link = load_link(station.db)
    assert link.station_id == "S07" and link.url == "https://192.168.1.10:8420" and link.can_encrypt
    assert said[-1].startswith("已保存服务器连接设置：工作站 S07")
    assert "未配置服务器" not in window.queue_status.text()
    window.identify("DEMO0001")
    assert window.shutter_button.isEnabled()
    answer_next_dialog("测试")  # her smile: taken anyway
    shoot(qtbot, window)
    window.flow.accept()  # sealed for this server, waiting to upload
    other = [str(Path(sys.executable).with_name("photo-station-server")), "--home", str(tmp_path / "other")]
    subprocess.run([*other, "init"], check=True, capture_output=True, timeout=120)
    added = subprocess.run([*other, "add-station", "S01", "--url", "https://10.0.0.9:8420"], check=True,
                           capture_output=True, text=True, timeout=120).stdout
    asked: list[str] = []
    on_next_dialog(lambda box: box.setTextValue(next(r for r in added.splitlines() if "server-config" in r))
                   or box.accept())
    on_next_dialog(lambda box: (asked.append(box.text()), box.button(QMessageBox.StandardButton.No).click()),
                   kind=QMessageBox)
    window.link_server()  # another server's line while a photo waits: asked first, and No keeps the link
    assert "1 张照片在等待上传" in asked[0] and load_link(station.db).station_id == "S07"


def test_between_slots_the_status_says_when_the_next_class_comes(qtbot, make_window, frames: Path, station) -> None:
    """当前没有排定的班级 said nothing of when the first slot of the day starts (s32 first-day walk): it names it."""
    from station.roster import schedule

    window = make_window(frames)
    schedule.save_slots(station.db, [], [s.class_name for s in schedule.slots(station.db)])  # the demo's day cleared
    later = dt.datetime.now().replace(second=0, microsecond=0) + dt.timedelta(hours=2)
    schedule.set_slot(station.db, schedule.Slot("演示2102", later, later + dt.timedelta(hours=1)))
    window._tick()
    start = later.strftime("%H:%M" if later.date() == dt.date.today() else "%m-%d %H:%M")
    assert read(window.slot_label.text()) == f"当前没有排定的班级（下一时段 {start}：演示2102）"
    now = dt.datetime.now().replace(second=0, microsecond=0)
    schedule.set_slot(station.db, schedule.Slot("演示2101", now - dt.timedelta(minutes=5), now + dt.timedelta(hours=1)))
    window._tick()
    assert window.slot_label.text().startswith("当前时段：演示2101")
