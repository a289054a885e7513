"""The USB camera's format (MJPG, size, frame rate) as DirectShow keeps it: what a Windows laptop's webcam is given.

Linux has no DirectShow, so its rules are followed here as OpenCV 4's cap_dshow.cpp (VideoCapture_DShow::setProperty)
writes them: a FOURCC is taken with the size the stream has now; a width waits for its height; a new size sets the
stream up again with the FOURCC given since the last set-up, else the camera's default format; a new frame rate sets
it up again at the last size in the default format. A webcam's default is YUY2, 5-10 fps at 1280x720 over USB 2.
"""

from __future__ import annotations

import cv2

from station.camera.backends import UsbSettings, apply_format

MJPG = cv2.VideoWriter_fourcc(*"MJPG")
YUY2 = cv2.VideoWriter_fourcc(*"YUY2")


class DirectShowCamera:
    """cap_dshow.cpp's stream settings over a webcam that opens at 640x480 in its default format."""

    def __init__(self) -> None:
        self.stream = (640, 480, YUY2)  # what the camera sends
        self.fps = 0  # the frame rate asked for (none yet)
        self.pending = {"width": -1, "height": -1, "fourcc": -1}  # m_width, m_height, m_fourcc
        self.size_set = (-1, -1)  # m_widthSet, m_heightSet

    def set(self, prop: int, value: float) -> bool:
        if prop == cv2.CAP_PROP_FPS:
            if round(value) != self.fps:
                self.fps = round(value)
                self.stream = (*self.size_set, YUY2) if self.size_set[0] > 0 else (640, 480, YUY2)
            return True
        if prop == cv2.CAP_PROP_FOURCC:
            self.pending.update(fourcc=int(value), width=self.stream[0], height=self.stream[1])
        elif prop == cv2.CAP_PROP_FRAME_WIDTH:
            self.pending["width"] = round(value)
        elif prop == cv2.CAP_PROP_FRAME_HEIGHT:
            self.pending["height"] = round(value)
        else:
            return False
        width, height, fourcc = self.pending["width"], self.pending["height"], self.pending["fourcc"]
        if width > 0 and height > 0:
            if (width, height, fourcc) != self.stream:
                self.stream = (width, height, fourcc if fourcc != -1 else YUY2)
            self.size_set = (width, height)
            self.pending = {"width": -1, "height": -1, "fourcc": -1}
        return True


def test_a_directshow_webcam_ends_in_mjpg_at_the_size_and_rate_asked() -> None:
    camera = DirectShowCamera()
    applied = apply_format(camera, UsbSettings(width=1280, height=720, fps=30.0), cv2.CAP_DSHOW)
    assert all(applied.values()) and set(applied) == {"fourcc", "width", "height", "fps"}
    assert camera.stream == (1280, 720, MJPG) and camera.fps == 30
