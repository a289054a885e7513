"""F1's key list on a screen the station fills (a laptop, or a window maximised) has no room beside it. It stood
against the screen's right edge, over the code field, the student card and the messages (first-run walk s24, finding
10); it now stands over the live picture, beside the student's crop frame, and covers nothing of the side panel nor
of the queue's row under the picture."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMargins, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QPainter, QPixmap

from station.adapters.demo import DEMO_DIR
from station.camera import open_camera
from tests.ui.test_side_panel_fits import SIZES
from ui.help_window import MIN_OVER_PX, SIZE, beside

OPENBOX = QMargins(1, 20, 1, 5)  # a window manager's frame: title bar and bottom handle
SHOTS = Path("/tmp/key_list")


def on_screen(widget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def over_the_window(window, shown) -> QPixmap:
    """The window with the key list drawn where it stands over it (saved for a person to look at)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(window.mapFromGlobal(shown.mapToGlobal(QPoint(0, 0))), shown.grab())
    painter.end()
    return picture


LAPTOPS = ((1400, 860), *SIZES, (1366, 768), (1280, 720))


def test_the_key_list_covers_nothing_of_the_side_panel(qtbot, themed: str, make_window, frames: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    window.move(0, 0)
    side = (window.code_input, window.card, window.pay_button, window.message_area, window.check_board,
            window.shutter_button, window.slot_label, window.next_label, window.absent_button)
    for width, height in LAPTOPS:
        window.resize(width, height)
        qtbot.wait(50)
        laptop = window.frameGeometry()  # the station fills the screen: no room beside it
        picture = on_screen(window.preview)
        for crop in (None, picture.adjusted(picture.width() * 2 // 5, 40, -picture.width() * 2 // 5, -40)):
            frame = beside(laptop, laptop, SIZE, OPENBOX, picture, crop)
            assert picture.contains(frame), (width, height, frame)
            for widget in side:
                assert not frame.intersects(on_screen(widget)), (widget.objectName(), width, height, frame)
            # the student's face, in the middle of the picture, stays in sight (the list on either side of it)
            middle = picture.center().x()
            assert frame.right() < middle - 80 or frame.left() > middle + 80, (width, height, frame)


def test_the_key_list_stands_beside_the_crop_frame(qtbot) -> None:
    """Beside the crop frame the student is framed by, never over it, on the side with more room; on the side it
    stands on already while that keeps MIN_OVER_PX (a student swaying in the middle does not move it across); with no
    frame drawn, in a centred student's room."""
    laptop = QRect(0, 0, 1280, 680)
    picture = QRect(10, 36, 836, 526)  # a 1280x680 window's picture
    standing_right = QRect(400, 88, 288, 372)
    left = beside(laptop, laptop, SIZE, OPENBOX, picture, standing_right)
    assert left.left() == picture.left() and left.right() < 400 - 4 and left.height() == picture.height()
    far_left = QRect(120, 88, 288, 372)
    right = beside(laptop, laptop, SIZE, OPENBOX, picture, far_left)
    assert right.left() > far_left.right() and right.right() == picture.right()
    centred = QRect(283, 88, 288, 372)  # a little more room on the right
    assert beside(laptop, laptop, SIZE, OPENBOX, picture, centred, left=True).left() == picture.left()
    assert beside(laptop, laptop, SIZE, OPENBOX, picture, centred).right() == picture.right()
    tilted_left = QRect(10 + 8 + MIN_OVER_PX - 20, 88, 400, 372)  # too little room left of it: the list crosses over
    assert beside(laptop, laptop, SIZE, OPENBOX, picture, tilted_left, left=True).right() == picture.right()
    nobody = beside(laptop, laptop, SIZE, OPENBOX, picture)
    assert nobody.left() == picture.left() and nobody.width() <= picture.width() * 0.3


def test_the_keys_are_read_whole_beside_the_students_crop_frame(qtbot, themed: str, make_window,
                                                                 frames: Path) -> None:
    """Shown for real (offscreen, the test screen is narrower than the window: no room beside it), the list stands
    over the picture, F1 again hides it. It reached 20-35 px into the crop frame at 1280x680 and scrolled in English
    at 1366x768 and 1280x720 (new photographer's walk s25): now it stands beside the frame, whole, nothing to scroll,
    in both languages."""
    window = make_window(frames, live_checks=True)
    window.identify("DEMO0001")
    window.move(0, 0)
    for width, height in LAPTOPS:
        window.resize(width, height)
        qtbot.waitUntil(lambda: window.preview.kept_clear() is not None, timeout=20_000)
        qtbot.wait(100)  # the picture drawn at the window's new size
        crop = window.preview.kept_clear()
        qtbot.keyClick(window.code_input, Qt.Key_F1)
        shown = window.help_window
        qtbot.waitUntil(shown.isVisible)
        qtbot.wait(50)
        assert on_screen(window.preview).contains(shown.frameGeometry()), shown.frameGeometry()
        assert not shown.frameGeometry().intersects(crop), (width, height, shown.frameGeometry(), crop)
        table = shown.table
        needed, room = table.verticalHeader().length(), table.viewport().height()
        assert needed <= room and not table.verticalScrollBar().isVisible(), (width, height, needed, room)
        qtbot.keyClick(window.code_input, Qt.Key_F1)  # F1 again hides it
        assert not shown.isVisible()


def scene(folder: Path, picture: str, shift: int = 0) -> Path:
    """A camera folder showing a demo kiosk picture, the student standing `shift` px further left (the backdrop's
    blue filling in on the right)."""
    from PIL import Image

    folder.mkdir()
    image = Image.open(DEMO_DIR / "kiosk" / picture).convert("RGB")
    if shift:
        moved = Image.new("RGB", image.size, image.getpixel((image.width - 5, 5)))
        moved.paste(image.crop((shift, 0, image.width, image.height)), (0, 0))
        image = moved
    image.save(folder / picture)
    return folder


def open_the_key_list(qtbot, window) -> QRect:
    """F1 once the student is seen, the station maximised on a 1280x720 screen (1280x680 under a title bar and a
    panel); where the list keeps clear of (the crop frame, else the head)."""
    window.identify("DEMO0001")
    window.move(0, 0)
    window.resize(1280, 680)
    qtbot.waitUntil(lambda: window.preview.kept_clear() is not None, timeout=20_000)
    qtbot.wait(100)  # the picture drawn at the window's new size
    qtbot.keyClick(window.code_input, Qt.Key_F1)
    qtbot.waitUntil(window.help_window.isVisible)
    qtbot.wait(50)
    return window.preview.kept_clear()


def read_whole_beside(window, clear: QRect) -> None:
    shown = window.help_window
    assert on_screen(window.preview).contains(shown.frameGeometry()), shown.frameGeometry()
    assert not shown.frameGeometry().intersects(clear), (shown.frameGeometry(), clear)
    table = shown.table
    needed, room = table.verticalHeader().length(), table.viewport().height()
    assert needed <= room and not table.verticalScrollBar().isVisible(), (shown.width(), needed, room)


@pytest.mark.parametrize("picture", ["03_tilted.jpg", "04_off_centre.jpg"])
def test_the_keys_are_read_whole_beside_a_tilted_or_off_centre_student(qtbot, themed: str, make_window,
                                                                      tmp_path: Path, picture: str) -> None:
    """A tilted student's crop frame is wide, with about 230 px each side of it on a 1280x720 screen: the list was
    at least 240 px wide, over the frame's edge, and scrolled in English (s25 walk leftovers); it stands on the side
    with more room, in a font in which it is whole. A student at the picture's edge has no crop frame: the list stood
    in the left 30 % of the picture, over her face; it stands clear of her head."""
    window = make_window(scene(tmp_path / "camera", picture), live_checks=True)
    clear = open_the_key_list(qtbot, window)
    over_the_window(window, window.help_window).save(str(SHOTS / f"help_{picture[:-4]}_{themed}.png"))
    read_whole_beside(window, clear)


def test_the_key_list_follows_the_student(qtbot, themed: str, make_window, tmp_path: Path) -> None:
    """Placed when F1 was pressed, the list stayed there when the student moved under it (s25 walk leftovers): once
    the crop frame reaches under it, it is placed again beside the frame, whole."""
    window = make_window(scene(tmp_path / "centred", "01_good.jpg"), live_checks=True)
    before = open_the_key_list(qtbot, window)
    placed = window.help_window.frameGeometry()
    assert placed.right() < before.left()  # left of the centred student
    window.use_camera(open_camera(str(scene(tmp_path / "left", "01_good.jpg", shift=300)), fps=20).start())
    qtbot.waitUntil(lambda: (clear := window.preview.kept_clear()) is not None and clear.left() < placed.right(),
                    timeout=20_000)
    qtbot.wait(200)  # the next live results
    clear = window.preview.kept_clear()
    over_the_window(window, window.help_window).save(str(SHOTS / f"help_followed_{themed}.png"))
    read_whole_beside(window, clear)


def test_the_instructions_stand_clear_of_the_key_list(qtbot, themed: str, make_window, tmp_path: Path) -> None:
    """Over the picture the list and the instructions both took the crop frame's wider side, and the list hid them
    (请闭上嘴巴 under it: Xvfb walk, s26): the instructions now stand clear of the list while it is shown, and of
    the crop frame (the narrower side, or below the frame where a phrase would break there), and go back to their
    side once it is hidden."""
    window = make_window(scene(tmp_path / "camera", "01_good.jpg", shift=150), live_checks=True)  # more room right
    window.identify("DEMO0001")
    window.move(0, 0)
    window.resize(1280, 680)
    qtbot.waitUntil(lambda: window.preview.instructions is not None, timeout=20_000)
    qtbot.wait(300)  # drawn at the window's new size
    alone = window.preview.instructions
    assert alone is not None
    clear = open_the_key_list(qtbot, window)
    covered = window.preview.covered()
    assert covered is not None and covered.intersects(alone), (covered, alone)  # the list took their side
    window.preview.update()
    qtbot.waitUntil(lambda: window.preview.instructions is not None
                    and not window.preview.instructions.intersects(covered), timeout=5_000)
    instructions = window.preview.instructions
    assert window.preview.image_rect().contains(instructions)
    frame = window.preview.kept_clear()
    local = QRect(window.preview.mapFromGlobal(frame.topLeft()), frame.size())
    # not over the crop frame either: the top corner away from the list crossed its top, over her hair (s27)
    assert not instructions.intersects(QRectF(local)), (instructions, local)
    over_the_window(window, window.help_window).save(str(SHOTS / f"instructions_clear_{themed}.png"))
    read_whole_beside(window, clear)
    qtbot.keyClick(window.code_input, Qt.Key_F1)  # hidden: back where they were
    qtbot.waitUntil(lambda: window.preview.instructions == alone, timeout=5_000)


def code_on_screen(window) -> QRect | None:
    """Where the code seen in the picture is outlined, on the screen (None: none seen)."""
    from station.compliance.regions import check_regions

    findings = window.preview.findings()
    if findings is None or not findings.analysis.code_boxes:
        return None
    [(x, y, width, height)] = check_regions("code_in_photo", findings.analysis)
    target = window.preview.image_rect()
    scale = target.width() / findings.image_size[0]
    box = QRectF(target.x() + x * scale, target.y() + y * scale, width * scale, height * scale).toAlignedRect()
    return QRect(window.preview.mapToGlobal(box.topLeft()), box.size())


def test_the_key_list_keeps_clear_of_a_code_beside_the_student(qtbot, themed: str, make_window,
                                                               tmp_path: Path) -> None:
    """A phone held up just beside the student is outlined where it is (its question: a code in the photo?); the key
    list, on the crop frame's side with more room, stood over that outline and hid it (s27). It stands on the frame's
    other side, which has room enough, whole."""
    import cv2
    import numpy as np

    from tests.compliance.test_code_in_photo import JUST_OUTSIDE, clean_frame_with

    frame = clean_frame_with(JUST_OUTSIDE)
    shift = 70  # the student and the phone further left: more room right of the crop frame, where the phone is
    moved = np.empty_like(frame)
    moved[:, :-shift], moved[:, -shift:] = frame[:, shift:], frame[:, -1:]
    folder = tmp_path / "camera"
    folder.mkdir()
    cv2.imwrite(str(folder / "phone.jpg"), moved)
    window = make_window(folder, live_checks=True)
    clear = open_the_key_list(qtbot, window)  # her phone, held up before she is named, would name her
    qtbot.waitUntil(lambda: code_on_screen(window) is not None, timeout=20_000)
    # the list moves with the next live results: 200 ms were not always enough on a loaded machine (s30)
    qtbot.waitUntil(lambda: (seen := code_on_screen(window)) is not None
                    and not window.help_window.frameGeometry().intersects(seen), timeout=10_000)
    code = code_on_screen(window)
    over_the_window(window, window.help_window).save(str(SHOTS / f"help_beside_a_code_{themed}.png"))
    shown = window.help_window.frameGeometry()
    assert code.left() > clear.center().x()  # right of the student, where the list stood
    assert not shown.intersects(code), (shown, code)
    read_whole_beside(window, clear)


def several(window) -> bool:
    findings = window.preview.findings()
    return findings is not None and findings.analysis.faces > 1


def test_the_key_list_steps_aside_for_a_second_person(qtbot, themed: str, make_window, tmp_path: Path) -> None:
    """Two people at the camera: the overlay says 画面中有多张人脸 without drawing where the other one stands, and the
    key list over the picture stood over her (s27): the photographer saw one face and could not tell why the shutter
    was blocked. The list steps aside (hidden) while the picture shows several people, and comes back beside the
    crop frame once one is left. F1 shows it all the same (it was asked for: it stays), F1 again hides it for good."""
    window = make_window(scene(tmp_path / "one", "01_good.jpg"), live_checks=True)
    open_the_key_list(qtbot, window)
    shown = window.help_window
    window.use_camera(open_camera(str(scene(tmp_path / "two", "05_two_people.jpg")), fps=20).start())
    qtbot.waitUntil(lambda: several(window), timeout=20_000)
    qtbot.waitUntil(lambda: not shown.isVisible(), timeout=5_000)
    window.grab().save(str(SHOTS / f"help_aside_for_two_{themed}.png"))
    assert shown.aside
    window.use_camera(open_camera(str(scene(tmp_path / "again", "01_good.jpg")), fps=20).start())
    qtbot.waitUntil(shown.isVisible, timeout=20_000)
    qtbot.wait(100)
    read_whole_beside(window, window.preview.kept_clear())
    window.use_camera(open_camera(str(scene(tmp_path / "both", "05_two_people.jpg")), fps=20).start())
    qtbot.waitUntil(lambda: not shown.isVisible(), timeout=20_000)
    qtbot.keyClick(window.code_input, Qt.Key_F1)  # asked for over the two people: shown, and it stays
    qtbot.waitUntil(shown.isVisible)
    qtbot.wait(300)  # the next live results
    assert shown.isVisible() and several(window)
    qtbot.keyClick(window.code_input, Qt.Key_F1)  # hidden for good: it does not come back by itself
    window.use_camera(open_camera(str(scene(tmp_path / "alone", "01_good.jpg")), fps=20).start())
    qtbot.waitUntil(lambda: window.preview.findings() is not None and not several(window), timeout=20_000)
    qtbot.wait(300)
    assert not shown.isVisible()
