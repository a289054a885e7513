"""名单 → 导入参考照片（文件夹 / 压缩包）and 从服务器获取参考照片 in the window: the capture session imports the demo's
real enrolment photos off the UI thread while the dialog says it is working (and cannot be closed), then says what
was imported, updated, unchanged, and every refused photo with its problem in a word; the server route fetches from
a real receiving server on 127.0.0.1, and an unreachable one is said in the dialog."""

from __future__ import annotations

import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import cv2
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QLineEdit

from station.adapters.demo import DEMO_REFERENCES, demo_server_home
from station.adapters.server.home import ServerContext
from station.adapters.server.references import import_references
from station.identity.capture_faces import gallery_stamp
from station.identity.swaps import CAPTURE, REFERENCE
from station.storage.server_link import save_link
from tests.ui.conftest import on_next_dialog
from tests.ui.test_closing_and_export import photograph
from tests.ui.test_identity_at_review import gallery_readers
from tests.ui.menus import menu_action
from tests.upload.kit import LiveServer
from ui import tasks
from station.capture.workflow import REVIEW_AT_LEAST
from ui.reference_dialogs import ReferenceImportDialog

LIN, ZHAO = "2021010101", "2021010104"  # 林晓雯 and 赵雨桐 of the demo roster, with the demo's enrolment photos


def trigger(window, text: str) -> None:
    menu_action(window, text).trigger()


def choosing(path: Path) -> Callable[[QFileDialog], None]:
    """A file dialog's answer choosing `path` (a folder or a file) as the photographer would: a folder by going into
    it, a file by typing its path in the name box (QFileDialog.selectFile, which depends on the folder's listing
    in the background, left the dialog open on this machine and hung the test)."""
    def act(dialog: QFileDialog) -> None:
        if path.is_dir():
            dialog.setDirectory(str(path))
        else:
            dialog.findChild(QLineEdit, "fileNameEdit").setText(str(path))
        dialog.accept()
    return act


def pick(path: Path) -> None:
    """Choose `path` in the next file dialog."""
    on_next_dialog(choosing(path), kind=QFileDialog)


def hold_worker() -> threading.Event:
    """The window's one worker held busy until the event is set: an import started meanwhile waits behind it, so
    the dialog is surely seen working (on a quiet machine a few photos were imported before its first look)."""
    gate = threading.Event()
    tasks.run_task(lambda: gate.wait(20), lambda _: None)
    return gate


def read_when_done(seen: list[dict], stop: bool = False, release: Callable[[], None] | None = None) -> None:
    """Wait for the next import dialog to finish (Esc is tried while it works, and 停止 when `stop`; then
    `release()`, e.g. of hold_worker), note what it says, close it."""
    def act(dialog: ReferenceImportDialog, tried: list[bool]) -> None:
        if dialog.working:
            if not tried:
                dialog.reject()
                tried.append(dialog.isVisible() and not dialog.close_button.isEnabled())
                if stop:
                    dialog.stop_button.click()
                if release is not None:
                    release()
            QTimer.singleShot(50, lambda: act(dialog, tried))
            return
        rows = [tuple(dialog.table.item(r, c).text() for c in range(3)) for r in range(dialog.table.rowCount())]
        seen.append({"status": dialog.status.text(), "level": dialog.status.property("level"), "rows": rows,
                     "table": dialog.table.isVisible(), "stayed_open_while_working": tried})
        dialog.reject()

    on_next_dialog(lambda dialog: act(dialog, []), kind=ReferenceImportDialog, wait_ms=60_000)


def photos_folder(folder: Path) -> Path:
    folder.mkdir()
    for no in (LIN, ZHAO):
        (folder / f"{no}.jpg").write_bytes((DEMO_REFERENCES / f"{no}.jpg").read_bytes())
    (folder / "2021010102.jpg").write_bytes((DEMO_REFERENCES / f"{LIN}.jpg").read_bytes()[:300])  # cut short
    (folder / "2099000001.jpg").write_bytes((DEMO_REFERENCES / f"{ZHAO}.jpg").read_bytes())  # nobody on the roster
    return folder


def held(station) -> dict[str, str]:
    return dict(station.db.execute("SELECT student_no, sha256 FROM reference_photos").fetchall())


def test_reference_photos_from_a_folder(qtbot, make_window, frames: Path, station, tmp_path: Path,
                                       monkeypatch) -> None:
    """The face gallery the swap checks use is read again with the new photos, off the UI thread, right after."""
    readers = gallery_readers(monkeypatch)
    window = make_window(frames)
    qtbot.waitUntil(lambda: window.session.workflow._faces is not None, timeout=10_000)  # read at start-up: empty
    seen: list[dict] = []
    pick(photos_folder(tmp_path / "学籍照片"))
    read_when_done(seen, release=hold_worker().set)
    trigger(window, "导入参考照片（文件夹）…")
    qtbot.waitUntil(lambda: bool(seen), timeout=60_000)
    [said] = seen
    assert said["stayed_open_while_working"] == [True]
    assert said["status"] == ("新增 2 张，更新 0 张，未变 0 张，拒绝 2 张\n拒绝原因：不在名单 1 张，无法读取 1 张\n"
                              "下次拍照时即与新的参考照片比对。")
    assert said["level"] == "warn" and said["table"]
    assert said["rows"] == [("2099000001.jpg", "—", "不在名单"), ("2021010102.jpg", "2021010102", "无法读取")]
    assert sorted(held(station)) == [LIN, ZHAO]
    qtbot.waitUntil(lambda: window.session.workflow._faces[0] == gallery_stamp(station.db), timeout=10_000)
    assert len(window.session.workflow._faces[1]) == 2
    assert len(readers) == 2 and threading.main_thread() not in readers


def test_reference_photos_from_a_zip_update_what_changed(qtbot, make_window, frames: Path, station,
                                                        tmp_path: Path) -> None:
    window = make_window(frames)
    checked: list[int] = []
    stop = threading.Event()
    stop.set()  # 停止 pressed while the face models loaded: nothing checked, which is not "no photos there"
    none = window.session.import_references(DEMO_REFERENCES, lambda n, total: checked.append(n), stop)
    assert (none.imported, none.stopped, checked) == (0, True, [])
    stop.clear()
    first = window.session.import_references(DEMO_REFERENCES, lambda n, total: (checked.append(n), stop.set()), stop)
    assert (first.imported, first.stopped, checked) == (1, True, [1])  # stopped after the photo being checked
    totals: list[int | None] = []
    rest = window.session.import_references(DEMO_REFERENCES, lambda n, total: (checked.append(n), totals.append(total)))
    assert (rest.imported, rest.unchanged, rest.stopped, checked) == (3, 1, False, [1, 1, 2, 3, 4])  # 4 in the demo
    assert totals == [4, 4, 4, 4]  # counted before the first is read: the dialog says "n / 4"
    before = held(station)
    archive = tmp_path / "photos.zip"
    ok, reencoded = cv2.imencode(".jpg", cv2.imread(str(DEMO_REFERENCES / f"{ZHAO}.jpg")), [cv2.IMWRITE_JPEG_QUALITY, 80])
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(DEMO_REFERENCES / f"{LIN}.jpg", f"照片/{LIN}.jpg")
        zipped.writestr(f"照片/{ZHAO}.jpg", reencoded.tobytes())  # the school sent a new copy of hers
    seen: list[dict] = []
    pick(archive)
    read_when_done(seen)
    trigger(window, "导入参考照片（压缩包）…")
    qtbot.waitUntil(lambda: bool(seen), timeout=60_000)
    assert seen[0]["status"] == "新增 0 张，更新 1 张，未变 1 张，拒绝 0 张\n下次拍照时即与新的参考照片比对。"
    assert seen[0]["level"] == "ok" and not seen[0]["table"]
    after = held(station)
    assert after[LIN] == before[LIN] and after[ZHAO] != before[ZHAO]


def test_stop_ends_an_import_before_the_next_photo(qtbot, make_window, frames: Path, station,
                                                   tmp_path: Path) -> None:
    """停止 pressed while the window's worker is still busy (here held until then, so that the press surely comes
    before the first photo: on a fast machine six photos took less than the dialog's first look) checks none."""
    window = make_window(frames)
    gate = hold_worker()
    folder = tmp_path / "学籍照片"
    folder.mkdir()
    numbers = [no for (no,) in station.db.execute("SELECT student_no FROM students ORDER BY student_no LIMIT 6")]
    for i, no in enumerate(numbers):
        (folder / f"{no}.jpg").write_bytes((DEMO_REFERENCES / f"{(LIN, ZHAO)[i % 2]}.jpg").read_bytes())
    seen: list[dict] = []
    pick(folder)
    read_when_done(seen, stop=True, release=gate.set)
    trigger(window, "导入参考照片（文件夹）…")
    qtbot.waitUntil(lambda: bool(seen), timeout=60_000)
    assert held(station) == {}
    assert seen[0]["status"] == "\n".join(["新增 0 张，更新 0 张，未变 0 张，拒绝 0 张",
                                           "已按要求停止，其余照片没有检查；再次导入时已导入的照片算作未变。"])
    assert seen[0]["level"] == "warn"


@pytest.fixture
def demo_server(station):
    """The demo station's own receiving server, served on 127.0.0.1, holding the demo's four enrolment photos (its
    roster is the demo's since 29f9ab0, so all four are its students')."""
    context = ServerContext(demo_server_home(station))
    import_references(context, DEMO_REFERENCES)
    live = LiveServer(context)
    live.start()
    save_link(station.db, url=live.url, cert_sha256=context.cert_sha256)
    yield live
    live.stop()


def test_reference_photos_from_the_server_then_the_server_gone(qtbot, make_window, frames: Path, station,
                                                               demo_server) -> None:
    window = make_window(frames)
    seen: list[dict] = []
    read_when_done(seen)
    trigger(window, "从服务器获取参考照片")
    qtbot.waitUntil(lambda: bool(seen), timeout=60_000)
    assert seen[0]["status"] == "新增 4 张，更新 0 张，未变 0 张，拒绝 0 张\n下次拍照时即与新的参考照片比对。"
    assert sorted(held(station)) == [LIN, "2021010102", "2021010103", ZHAO]

    demo_server.stop()
    read_when_done(seen)
    trigger(window, "从服务器获取参考照片")
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=60_000)
    assert seen[1]["status"].startswith("无法从服务器取得参考照片：") and seen[1]["level"] == "bad"
    assert not seen[1]["table"]


def test_a_face_saved_while_the_gallery_was_read_again_is_kept(qtbot, make_window, frames: Path) -> None:
    """Reference photos imported while a photo is in review: the gallery read again after the import began before
    that photo was saved, so it lacks the saved face; the one kept in memory has it and stays."""
    window = make_window(frames)
    session = window.session
    photograph(qtbot, window, "DEMO0001", accept=False)  # the press read the gallery: no reference photos yet
    session.import_references(DEMO_REFERENCES)
    loaded = session.load_faces()
    qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
    window.flow.accept()
    session.adopt_faces(loaded)
    assert [f.source for f in session.workflow._faces[1].faces] == [CAPTURE]
    session.adopt_faces(session.load_faces())  # read after the save: it has the demo's 4 photos and the face
    assert sorted(f.source for f in session.workflow._faces[1].faces) == sorted([CAPTURE, *[REFERENCE] * 4])
