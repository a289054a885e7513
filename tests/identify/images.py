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
