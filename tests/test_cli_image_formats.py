"""Image files as other programs save them, through check, crop and verify: each read as a viewer shows it, and a
file that holds no picture said plainly."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from station import ASSETS_DIR
from station.image_io import read_image
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


def test_a_transparent_background_is_white_as_a_viewer_shows_it_whatever_is_stored_under_it(tmp_path: Path) -> None:
    frame = np.asarray(Image.open(GOOD).convert("RGB"))
    cut_out = np.dstack([frame, np.zeros(frame.shape[:2], np.uint8)])
    cut_out[200:500, 400:800, 3] = 255  # the head stays; around it nothing, stored black as cut-out tools leave it
    cut_out[cut_out[:, :, 3] == 0, :3] = 0
    paths = []
    for suffix in (".png", ".webp", ".tif"):
        paths.append(tmp_path / f"cut_out{suffix}")
        Image.fromarray(cut_out).save(paths[-1], **({"lossless": True} if suffix == ".webp" else {}))
    paths.append(tmp_path / "deep.png")
    cv2.imwrite(str(paths[-1]), cv2.cvtColor(cut_out, cv2.COLOR_RGBA2BGRA).astype(np.uint16) * 257)

    for path in paths:
        image = read_image(path)
        assert image[:200].min() == 255 and image[600:].min() == 255, path  # white where transparent
        assert np.abs(image[200:500, 400:800].astype(int) - frame[200:500, 400:800, ::-1]).max() <= 1, path


def _cut_out() -> np.ndarray:
    """The demo frame as RGBA, the head kept and the rest transparent, stored black as cut-out tools leave it."""
    frame = np.asarray(Image.open(GOOD).convert("RGB"))
    cut_out = np.dstack([frame, np.zeros(frame.shape[:2], np.uint8)])
    cut_out[100:600, 400:850, 3] = 255
    cut_out[cut_out[:, :, 3] == 0, :3] = 0
    return cut_out


# Stored pixels turned so that the EXIF orientation puts them upright again, as a phone held otherwise saves them.
STORED_FOR = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270,
              5: Image.Transpose.TRANSPOSE}


def _saved_turned(image: Image.Image, path: Path, orientation: int) -> Path:
    exif = Image.Exif()
    exif[0x0112] = orientation
    image.transpose(STORED_FOR[orientation]).save(path, exif=exif, lossless=True)
    return path


def test_a_png_or_webp_saved_turned_with_its_exif_orientation_is_read_upright_on_white(tmp_path: Path) -> None:
    """OpenCV turned a PNG's colour by its EXIF orientation but not its alpha channel (a turned cut-out got a black
    background, or, upside down, the transparency of another part of the picture), and a WebP not at all."""
    cut_out = _cut_out()
    upright = np.where(cut_out[:, :, 3:] == 255, cut_out[:, :, :3], 255)[:, :, ::-1]
    photo = Image.fromarray(cut_out)
    for orientation in STORED_FOR:
        for suffix in (".png", ".webp"):
            read = read_image(_saved_turned(photo, tmp_path / f"turned{orientation}{suffix}", orientation))
            assert read.shape == upright.shape and np.abs(read.astype(int) - upright).max() <= 1, (orientation, suffix)
        plain = read_image(_saved_turned(photo.convert("RGB"), tmp_path / f"plain{orientation}.webp", orientation))
        assert np.abs(plain.astype(int) - cut_out[:, :, 2::-1]).max() <= 1, orientation


def test_check_and_crop_take_a_turned_webp_and_cut_out_as_a_viewer_shows_them(home: Path, tmp_path: Path) -> None:
    """A WebP phone photo with EXIF orientation 6 was checked as lying on its side ("turned": 270, said to be saved
    sideways), and a cut-out PNG saved so was cropped onto a black backdrop."""
    webp = _saved_turned(Image.open(GOOD).convert("RGB"), tmp_path / "phone.webp", 6)
    png = _saved_turned(Image.fromarray(_cut_out()), tmp_path / "cut_out.png", 6)

    checked = json_lines(run_cli("check", str(webp), "--json", home=home))
    cropped = json_lines(run_cli("crop", str(png), "--out", str(tmp_path / "out"), "--json", home=home))

    assert checked[0]["faces"] == 1 and "turned" not in checked[0], checked
    corners = read_image(cropped[0]["out"])[:40, [0, -1]]
    assert corners.min() >= 250, corners  # the transparent background, white as a viewer shows it


def test_a_gif_s_transparent_colour_is_white_as_a_viewer_shows_it(tmp_path: Path) -> None:
    """Pillow reads GIFs, and its RGB of one gave the transparent index's palette colour (black here): a cut-out
    saved as GIF was checked and cropped on black."""
    cut_out = _cut_out()
    gif = tmp_path / "cut_out.gif"
    Image.fromarray(cut_out).save(gif)  # transparent where alpha is 0, the palette's black there
    assert Image.open(gif).info.get("transparency") is not None

    image = read_image(gif)

    assert image[:100].min() == 255 and image[600:].min() == 255  # white where transparent
    head = np.abs(image[100:600, 400:850].astype(int) - cut_out[100:600, 400:850, 2::-1])
    assert head.mean() < 8  # the head as it was, up to the GIF's 256 colours


def test_a_mac_s_metadata_files_in_a_folder_are_passed_over(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "U盘"
    (folder / "__MACOSX").mkdir(parents=True)
    (folder / "IMG_0001.jpg").write_bytes(GOOD.read_bytes())
    (folder / "._IMG_0001.jpg").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ")
    (folder / "__MACOSX" / "IMG_0002.jpg").write_bytes(b"\x00\x05\x16\x07")

    lines = json_lines(run_cli("check", str(folder), "--json", home=home))

    assert [line["path"] for line in lines] == [str(folder / "IMG_0001.jpg")] and "error" not in lines[0]


def test_a_strip_a_pixel_or_a_few_thin_is_checked_as_showing_nobody(home: Path, tmp_path: Path) -> None:
    """Shrunk for the analysis (8000 px long) or the backdrop's scene (320 px wide), a side rounded to 0 px and
    OpenCV refused it: the line was 'analysis failed: OpenCV(4.11.0) ... !dsize.empty()'. Shrunk to 640 px to find
    which way is up (a strip 2 px thin and 3000 long: 0.43 px), `check` said it 'could not be analysed' and `crop`
    ended in that traceback."""
    strips = []
    for height, width in ((1, 1000), (10, 8000), (8000, 10), (2, 3000), (3000, 2)):
        strips.append(tmp_path / f"{width}x{height}.png")
        cv2.imwrite(str(strips[-1]), np.full((height, width, 3), 128, np.uint8))
    lines = json_lines(run_cli("check", *map(str, strips), "--json", home=home))
    assert [line.get("verdict") for line in lines] == ["no_face"] * 5, lines
    cropped = run_cli("crop", *map(str, strips[-2:]), "--out", str(tmp_path / "out"), "--json", home=home)
    assert b"Traceback" not in cropped.stderr, cropped.stderr.decode()
    assert [line["reason"] for line in json_lines(cropped)] == ["no_face"] * 2


def test_a_jpeg_windows_named_jfif_is_found_in_a_folder_by_check_and_roster_photos(home: Path, tmp_path: Path) -> None:
    """Windows names a JPEG saved from a browser .jfif: check passed it over in a folder, and roster photos left
    such a student without a reference photo, in silence (a folder of them was 'no photos')."""
    from station.identity.references import source_entries

    folder = tmp_path / "下载"
    folder.mkdir()
    (folder / "2021001.jfif").write_bytes(GOOD.read_bytes())

    lines = json_lines(run_cli("check", str(folder), "--json", home=home))

    assert [(line["path"], line["faces"]) for line in lines] == [(str(folder / "2021001.jfif"), 1)]
    assert [name for name, _ in source_entries(folder)] == ["2021001.jfif"]
