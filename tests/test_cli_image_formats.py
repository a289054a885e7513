"""Image files as other programs save them, through check, crop and verify: each read as a viewer shows it, and a
file that holds no picture said plainly."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from station import ASSETS_DIR
from tests.cli import json_lines, run_cli

GOOD = ASSETS_DIR / "demo" / "kiosk" / "01_good.jpg"


def _saved_otherwise(folder: Path) -> list[Path]:
    """The demo frame as a print shop's CMYK JPEG, a 16-bit PNG, a palette PNG, a progressive JPEG and a TIFF."""
    folder.mkdir()
    upright = Image.open(GOOD).convert("RGB")
    upright.convert("CMYK").save(folder / "cmyk.jpg")
    upright.convert("P", palette=Image.Palette.ADAPTIVE).save(folder / "palette.png")
    upright.save(folder / "progressive.jpg", progressive=True)
    upright.save(folder / "scan.tif")
    cv2.imwrite(str(folder / "deep.png"), cv2.imread(str(GOOD)).astype(np.uint16) * 257)
    return sorted(folder.iterdir())


def test_cmyk_16_bit_palette_progressive_and_tiff_are_checked_as_the_jpeg_is(home: Path, tmp_path: Path) -> None:
    paths = _saved_otherwise(tmp_path / "saved")
    lines = json_lines(run_cli("check", str(GOOD), *map(str, paths), "--json", home=home))
    yaw = [line["pose"]["yaw"] for line in lines]
    assert [line["faces"] for line in lines] == [1] * 6 and max(yaw) - min(yaw) < 3, lines


def test_an_empty_file_is_said_to_be_empty_by_check_crop_and_verify(home: Path, tmp_path: Path) -> None:
    empty = tmp_path / "空的 照片.jpg"
    empty.write_bytes(b"")
    said = "the file is empty (0 bytes): it may not have been copied whole"

    checked = json_lines(run_cli("check", str(empty), "--json", "--lang", "en", home=home))
    cropped = json_lines(run_cli("crop", str(empty), "--out", str(tmp_path / "out"), "--json", "--lang", "en",
                                 home=home))
    verified = json_lines(run_cli("verify", str(empty), str(GOOD), "--json", "--lang", "en", home=home))

    assert checked == [{"path": str(empty), "error": said}]
    assert cropped[0]["reason"] == "unreadable" and cropped[0]["message"] == said
    assert verified == [{"a": str(empty), "b": str(GOOD), "error": f"a: unreadable: {said}"}]
