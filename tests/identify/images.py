"""Scenes a camera at the kiosk sees: a phone or a card held up, at an angle, in a room."""

from __future__ import annotations

import barcode
import cv2
import numpy as np
import qrcode
from barcode.writer import ImageWriter


def qr_image(payload: str, box: int = 8) -> np.ndarray:
    img = qrcode.make(payload, box_size=box, border=2).get_image().convert("RGB")
    return cv2.cvtColor(np.array(img), cv2.COLOR_RGB2BGR)


def code128_image(payload: str) -> np.ndarray:
    img = barcode.get("code128", payload, writer=ImageWriter()).render({"module_height": 12, "write_text": False})
    return cv2.cvtColor(np.array(img.convert("RGB")), cv2.COLOR_RGB2BGR)


def held_up(code: np.ndarray, tilt: float = 0.18, dark_mode: bool = False, size: tuple[int, int] = (1280, 720),
            seed: int = 0) -> np.ndarray:
    """The code on a phone screen (a black bezel), warped in perspective into a noisy, dim room scene."""
    rng = np.random.default_rng(seed)
    if dark_mode:
        code = 255 - code
    h, w = code.shape[:2]
    phone = np.full((h + 80, w + 40, 3), 20, np.uint8)
    phone[40:40 + h, 20:20 + w] = code
    ph, pw = phone.shape[:2]
    scene = rng.normal(110, 25, (size[1], size[0], 3)).clip(0, 255).astype(np.uint8)
    cx, cy, half = size[0] * 0.55, size[1] * 0.5, min(size) * 0.32
    dst = np.float32([[cx - half, cy - half * (1 - tilt)], [cx + half, cy - half],
                      [cx + half, cy + half], [cx - half, cy + half * (1 - tilt)]])
    src = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(phone, matrix, size)
    mask = cv2.warpPerspective(np.full((ph, pw), 255, np.uint8), matrix, size) > 0
    scene[mask] = warped[mask]
    glare = cv2.GaussianBlur(scene, (3, 3), 0)  # a little defocus
    return glare


def code39_image(payload: str) -> np.ndarray:
    """A student card's Code 39, printed without its optional check character (as most are)."""
    code = barcode.get_barcode_class("code39")(payload, writer=ImageWriter(), add_checksum=False)
    img = code.render({"module_height": 12, "write_text": False})
    return cv2.cvtColor(np.array(img.convert("RGB")), cv2.COLOR_RGB2BGR)


STUDENT_CARDS = {"code39": lambda no: barcode.get_barcode_class("code39")(no, writer=ImageWriter(), add_checksum=False),
                 "codabar": lambda no: barcode.get("codabar", f"A{no}B", writer=ImageWriter()),
                 "itf": lambda no: barcode.get("itf", no, writer=ImageWriter()),
                 "code128": lambda no: barcode.get("code128", no, writer=ImageWriter())}


def student_card(symbology: str, number: str) -> np.ndarray:
    """A student card's barcode as printed on the card (short bars, a narrow quiet zone), in BGR."""
    img = STUDENT_CARDS[symbology](number).render({"module_height": 10, "write_text": False, "quiet_zone": 4})
    return cv2.cvtColor(np.array(img.convert("L")), cv2.COLOR_GRAY2BGR)


def card_in_room(code: np.ndarray, share: float, tilt: float, angle: float, rng: np.random.Generator) -> np.ndarray:
    """A 1280x720 frame of `code` held up in a noisy room: `share` of the frame's width, tilted in perspective, turned
    `angle` degrees; its defocus, motion blur and noise are drawn from `rng` (they change from frame to frame)."""
    size = (1280, 720)
    scene = rng.normal(110, 20, (size[1], size[0], 3)).clip(0, 255).astype(np.uint8)
    h, w = code.shape[:2]
    width = share * size[0]
    height = width * h / w
    cx, cy = size[0] * 0.5, size[1] * 0.5
    corners = np.float32([[-width / 2, -height / 2 * (1 - tilt)], [width / 2, -height / 2],
                          [width / 2, height / 2], [-width / 2, height / 2 * (1 - tilt)]])
    turn = np.deg2rad(angle)
    rotation = np.float32([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    dst = corners @ rotation.T + np.float32([cx, cy])
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), dst)
    warped = cv2.warpPerspective(code, matrix, size, flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), matrix, size) > 0
    scene[mask] = warped[mask]
    frame = cv2.GaussianBlur(scene, (0, 0), rng.uniform(0.4, 1.5))
    length = int(rng.integers(1, 7))
    if length > 1:
        kernel = np.zeros((length, length), np.float32)
        kernel[length // 2, :] = 1 / length
        frame = cv2.filter2D(frame, -1, kernel)
    return (frame + rng.normal(0, rng.uniform(4, 10), frame.shape)).clip(0, 255).astype(np.uint8)
