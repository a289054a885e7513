"""The preview goes on while the shutter's work runs: counted in frames the preview painted, not in time."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint

from tests.ui.conftest import answer_next_dialog, shoot


def test_the_preview_keeps_painting_new_frames_while_a_press_is_measured(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    painted: list[int] = []
    paint = window.preview.paintEvent

    def counted(event: object) -> None:
        paint(event)
        if window.session.pressing and window.preview.shown_frame is not None:
            painted.append(window.preview.shown_frame.frame_id)

    window.preview.paintEvent = counted
    window.identify("DEMO0001")
    answer_next_dialog("已目视确认，系统误报")  # her smile asks for an override reason
    shoot(qtbot, window)  # on a live picture, and back once the press's work is done
    assert window.pages.currentWidget() is window.review
    # the press takes a few hundred ms at least: a 20 fps camera gives several new frames, all painted while the
    # shutter's work runs off the UI thread (work on the UI thread would leave one frame on screen throughout)
    assert len(set(painted)) >= 3, painted


def test_the_preview_shows_frames_as_the_camera_tells_it_not_on_a_timer(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    window.preview._timer.stop()  # only the camera's word is left to bring frames to the screen
    qtbot.waitUntil(lambda: window.preview.shown_frame is not None, timeout=5000)
    first = window.preview.shown_frame.frame_id
    qtbot.waitUntil(lambda: window.preview.shown_frame.frame_id >= first + 3, timeout=5000)


def test_the_preview_shows_the_cameras_colours(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    qtbot.waitUntil(lambda: window.preview.shown_frame is not None, timeout=5000)
    window.preview.repaint()
    shown = window.preview.grab().toImage()
    corner = window.preview.image_rect().topLeft().toPoint() + QPoint(10, 10)  # the blue backdrop
    frame_blue, _, frame_red = window.preview.shown_frame.image[10, 10].tolist()
    colour = shown.pixelColor(corner)
    assert frame_blue > frame_red + 60 and colour.blue() > colour.red() + 60, (colour.name(), frame_blue, frame_red)
