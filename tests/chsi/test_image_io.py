"""Reading image files: what is not a usable picture is None, at once, whatever it claims to be."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from station.image_io import MAX_PIXELS, decode_image, read_image
from tests.chsi.images import KIOSK


def png_of_zeros(path: Path, width: int, height: int, comment_crc: int = 0) -> None:
    """A valid grey PNG of the given size whose rows compress to almost nothing: a decompression bomb; with a
    comment (tEXt) whose checksum is off by `comment_crc` when that is not 0."""
    packer = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()

    def chunk(kind: bytes, body: bytes, wrong: int = 0) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) ^ wrong)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    comment = chunk(b"tEXt", b"Comment\x00scanned", comment_crc) if comment_crc else b""
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + comment + chunk(b"IDAT", data)
                     + chunk(b"IEND", b""))


def test_a_decompression_bomb_is_refused_from_its_header(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    png_of_zeros(bomb, 12_000, 12_000)  # 144 MP: about 0.2 MB on disk, 430 MB once decoded
    assert 12_000 * 12_000 > MAX_PIXELS and bomb.stat().st_size < 1_000_000
    assert read_image(bomb) is None
    small = tmp_path / "small.png"
    png_of_zeros(small, 640, 480)
    assert read_image(small).shape == (480, 640, 3)  # the same kind of file, of a sane size, reads


def test_a_decompression_bomb_pillow_finds_damaged_is_refused_too(tmp_path: Path) -> None:
    """Pillow refuses a PNG whose comment has a wrong checksum, which libpng only warns about: the guard then
    counted no pixels and OpenCV decoded the 144 megapixels (430 MB; a bigger one would end the run)."""
    bomb = tmp_path / "bomb.png"
    png_of_zeros(bomb, 12_000, 12_000, comment_crc=1)
    assert read_image(bomb) is None
    small = tmp_path / "small.png"
    png_of_zeros(small, 640, 480, comment_crc=1)
    assert read_image(small).shape == (480, 640, 3)  # damaged so, a photo of a sane size still reads, as before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_or_a_folder_is_not_waited_on(tmp_path: Path) -> None:
    pipe = tmp_path / "photo.jpg"
    os.mkfifo(pipe)  # reading it would block until a writer came: forever
    assert read_image(pipe) is None
    assert read_image(tmp_path) is None
    assert read_image(KIOSK / "01_good.jpg").shape == (720, 1280, 3)


def test_a_gif_is_read_and_a_truncated_jpeg_still_is_not(tmp_path: Path) -> None:
    """OpenCV has no GIF decoder: Pillow reads it (first frame, 24-bit). The fallback must not turn a JPEG cut off
    half-way (a copy interrupted) into a half-grey picture: Pillow refuses it too."""
    good = KIOSK / "01_good.jpg"
    gif = tmp_path / "photo.gif"
    Image.open(good).save(gif)
    assert read_image(gif).shape == (720, 1280, 3)
    truncated = tmp_path / "cut.jpg"
    data = good.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    assert read_image(truncated) is None
    assert read_image(tmp_path / "name\x00with a NUL.jpg") is None  # a path read from a file, never raised


def test_an_upload_that_would_decode_to_gigabytes_is_not_decoded_on_the_server(tmp_path: Path) -> None:
    """A station's upload is bounded to 20 MB, not in pixels: its CHSI photo is now decoded for the face check and
    the registrar's thumbnails through the same pixel guard as files (a few kB of PNG here, 430 MB decoded)."""
    from station.adapters.server.pages import thumbnail
    from station.identity.embedder import JpegFaces

    bomb = tmp_path / "bomb.png"
    png_of_zeros(bomb, 12_000, 12_000)
    data = bomb.read_bytes()
    assert decode_image(data) is None and thumbnail(data) is None and JpegFaces().vector(data) is None
    assert thumbnail((KIOSK / "01_good.jpg").read_bytes()) is not None


@pytest.mark.parametrize("exif", [b"MM\x00*", b"II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\xff\xff\xff\x7f"])
def test_a_damaged_exif_block_reads_the_photo_as_stored(tmp_path: Path, exif: bytes) -> None:
    """PNG and WebP are turned by their EXIF orientation, read by Pillow: its parser raised struct.error on a block
    cut short, which ended a whole check run in a traceback. The block is now as good as absent."""
    photo = Image.open(KIOSK / "01_good.jpg").convert("RGB").resize((320, 180))
    for suffix in (".png", ".webp", ".jpg"):
        path = tmp_path / f"damaged{suffix}"
        photo.save(path, exif=exif)
        assert read_image(path).shape == (180, 320, 3), suffix


def test_a_png_s_exif_orientation_after_its_pixels_still_turns_it(tmp_path: Path) -> None:
    """The station turns PNGs by their eXIf chunk itself; the chunk may follow the pixels (IDAT), where OpenCV read it
    before and Pillow's header does not: such a phone photo was read lying on its side."""
    photo = Image.open(KIOSK / "01_good.jpg").convert("RGB").resize((320, 180))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored turned a quarter anticlockwise, to be shown turned clockwise
    path = tmp_path / "exif_last.png"
    photo.transpose(Image.Transpose.ROTATE_90).save(path, exif=exif)
    data, chunks, at = path.read_bytes(), {}, 8
    while at < len(data):
        end = at + 12 + struct.unpack(">I", data[at:at + 4])[0]
        chunks.setdefault(data[at + 4:at + 8], []).append(data[at:end])
        at = end
    order = [b"IHDR", *(kind for kind in chunks if kind not in (b"IHDR", b"eXIf", b"IEND")), b"eXIf", b"IEND"]
    path.write_bytes(data[:8] + b"".join(b"".join(chunks[kind]) for kind in order))
    assert path.read_bytes().index(b"eXIf") > path.read_bytes().index(b"IDAT")

    assert read_image(path).shape == (180, 320, 3)


@pytest.mark.skipif(sys.platform == "win32", reason="the peak memory is read with the resource module (POSIX)")
def test_a_big_cut_out_is_put_on_white_without_gigabytes(tmp_path: Path) -> None:
    """The transparent background was put on white in floats: a 24-megapixel cut-out (a DSLR's, or a 6000x4000
    export) took 0.8 GB more to read, an 80-megapixel one 3.4 GB, twice over with check's two workers."""
    cut_out = np.full((4000, 6000, 4), 200, np.uint8)
    cut_out[:, :, 3] = 255
    cut_out[:2000, :, 3] = 0  # the top half transparent
    path = tmp_path / "cut_out.png"
    cv2.imwrite(str(path), cut_out, [cv2.IMWRITE_PNG_COMPRESSION, 1])
    code = ("import resource; from station.image_io import read_image; "
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; image = read_image(%r); "
            "print(image[0, 0, 0], image[-1, -1, 0], (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) "
            "// 1024)" % str(path))
    white, photo, megabytes = map(int, subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                                      check=True, timeout=120).stdout.split())
    assert (white, photo) == (255, 200)
    assert megabytes < 450, megabytes  # the image's own 72 MB, its decoded RGBA and a few 8-bit planes


def test_a_png_webp_or_tiff_without_transparency_is_decoded_once(tmp_path: Path, monkeypatch) -> None:
    """Each was decoded a second time, whole, to look for an alpha channel Pillow's header already said it lacks
    (an 80-megapixel PNG: 2.3 s more); one with transparency is still looked at twice and put on white."""
    decoded = []
    imdecode = cv2.imdecode
    monkeypatch.setattr(cv2, "imdecode", lambda raw, flags: decoded.append(flags) or imdecode(raw, flags))
    photo = Image.open(KIOSK / "01_good.jpg").convert("RGB").resize((320, 180))
    for suffix in (".png", ".webp", ".tif"):
        photo.save(tmp_path / f"plain{suffix}")
        assert read_image(tmp_path / f"plain{suffix}").shape == (180, 320, 3)
    assert len(decoded) == 3
    cut_out = photo.convert("RGBA")
    cut_out.putalpha(Image.new("L", photo.size, 0))
    cut_out.save(tmp_path / "cut_out.png")
    assert read_image(tmp_path / "cut_out.png").min() == 255 and len(decoded) == 5
