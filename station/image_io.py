"""Reading image files the portable way (non-ASCII Windows paths, EXIF orientation) and 24-bit colour."""

from __future__ import annotations

import io
import os
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePath

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from station.i18n import Text
from station.paths import exists, is_dir, is_file

# 120 megapixels: above any camera a station would be tethered to (the largest full-frame bodies give about
# 60), far below a decompression bomb (a 400 kB PNG that decodes to 20000x20000 takes 1.2 GB).
MAX_PIXELS = 120_000_000
UNREADABLE = Text("无法读取图像文件（不是图像、已损坏，或超过 1.2 亿像素）",
                  "cannot read the image file (not an image, damaged, or over 120 megapixels)")
MISSING = Text("文件不存在", "no such file")
NO_PERMISSION = Text("没有读取该文件的权限", "no permission to read the file")
EMPTY = Text("文件是空的（0 字节），可能没有拷贝完整", "the file is empty (0 bytes): it may not have been copied whole")
A_FOLDER = Text("这是文件夹，不是图像文件", "this is a folder, not an image file")
HEIF = Text("无法读取 HEIC 格式（苹果手机默认格式）：请导出为 JPEG，"
            "或在手机“设置 → 相机 → 格式”中选“兼容性最佳”后重拍",
            "cannot read HEIC (an iPhone's default format): export the photo as JPEG, or choose Settings → "
            "Camera → Formats → Most Compatible")
# What read_image decodes, for the commands that look through folders (OpenCV's formats, and GIF through Pillow);
# .jfif is how Windows names a JPEG saved from a browser (an enrolment photo downloaded from the school's system).
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".jfif", ".png", ".bmp", ".webp", ".tif", ".tiff", ".gif")
# What it does not (no HEVC decoder is shipped: its codecs are GPL or patent-encumbered), named so a folder of
# iPhone photos is not "no images" and each says why.
HEIF_SUFFIXES = (".heic", ".heif")
# What a folder of photos is searched for: what is read, and HEIC listed so each says why it is not.
LISTED_SUFFIXES = IMAGE_SUFFIXES + HEIF_SUFFIXES
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")
# The first bytes of PNG, WebP (RIFF) and TIFF (both byte orders): the formats that carry transparency.
_MAY_HAVE_ALPHA = (b"\x89PNG", b"RIFF", b"II*\x00", b"MM\x00*")
# PNG and WebP: the station turns them by their EXIF orientation itself, after their transparency is put on white.
# OpenCV turns a PNG's colour but not its alpha channel (IMREAD_UNCHANGED ignores the orientation: a phone photo
# cut out and saved sideways got a black or misplaced background), and a WebP not at all.
_TURNED_HERE = (b"\x89PNG", b"RIFF")
_ORIENTATION = 0x0112  # the EXIF tag
# EXIF orientation 2-8 as (mirrored left to right first, then quarter turns anticlockwise) to stand upright
_UPRIGHT = {2: (True, 0), 3: (False, 2), 4: (True, 2), 5: (True, 1), 6: (False, 3), 7: (True, 3), 8: (False, 1)}


def mac_metadata(path: PurePath) -> bool:
    """The ._IMG_0001.jpg a Mac writes beside each file it copies to a USB stick, and a zip's __MACOSX folder: Finder
    metadata named after a photo, holding no picture. Commands that look through folders pass them over."""
    return path.name.startswith("._") or "__MACOSX" in path.parts


# The systems' own folders at a drive's top, closed to users or holding deleted files (and .Trashes, .Trash-1000):
# no photo in them is to be looked at.
SYSTEM_FOLDERS = ("system volume information", "$recycle.bin", "lost+found", ".trash", ".spotlight-v100", ".fseventsd")


@dataclass(frozen=True)
class Listed:
    """What a folder of photos holds (photos_in)."""

    photos: list[Path]  # every file named as a photo, sorted; a link to one that is gone too (it is said missing)
    unopened: list[Path]  # the folders inside it that could not be looked into (no permission)


def photos_in(folder: Path) -> Listed:
    """Every file under `folder` named as a photo (LISTED_SUFFIXES, not a Mac's metadata), and the folders in it
    that could not be opened: pathlib's rglob passed over those, and over a folder linked into it, in silence. A
    linked folder is looked through as a file manager shows it, each folder once (a link up the tree: not round);
    the systems' own folders (SYSTEM_FOLDERS) are not."""
    photos, unopened, seen, todo = [], [], set(), [folder]
    while todo:
        current = todo.pop()
        real = os.path.normcase(os.path.realpath(current))  # not st_ino: a FAT32 stick gives every folder 0
        if real in seen:
            continue
        seen.add(real)
        try:
            with os.scandir(current) as entries:
                names = [entry.name for entry in entries]
        except (OSError, ValueError):
            unopened.append(current)
            continue
        inside = []
        for name in sorted(names):
            path = current / name
            if is_dir(path):
                if not name.lower().startswith(SYSTEM_FOLDERS):
                    inside.append(path)
            elif path.suffix.lower() in LISTED_SUFFIXES and not mac_metadata(path) and (
                    is_file(path) or path.is_symlink() and not exists(path)):  # a link to a photo gone, or a loop
                photos.append(path)
        todo += reversed(inside)  # looked through in name order: of two ways to one folder, the first is named
    return Listed(sorted(photos), sorted(p for p in unopened if p != folder))


def as_bgr(image: np.ndarray) -> np.ndarray:
    """24-bit colour: grey and BGRA become 3-channel BGR."""
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    return image


def shrunk(image: np.ndarray, factor: float) -> np.ndarray:
    """The image scaled by `factor` < 1 (pixel areas averaged), as cv2.resize's fx/fy gives it, but never to nothing:
    a side that would round to 0 px (a strip a few pixels thin, shrunk) keeps 1 px, where OpenCV raises."""
    height, width = image.shape[:2]
    if round(height * factor) >= 1 and round(width * factor) >= 1:
        return cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    return cv2.resize(image, (max(1, round(width * factor)), max(1, round(height * factor))),
                      interpolation=cv2.INTER_AREA)


def read_image(path: str | os.PathLike[str]) -> np.ndarray | None:
    """8-bit BGR image with its EXIF orientation applied, or None when missing or not an image.

    cv2.imread cannot open non-ASCII paths on Windows; decoding bytes read by numpy can.
    IMREAD_COLOR also turns grey, 16-bit and alpha images into plain 24-bit colour. What OpenCV cannot
    decode (a GIF) is given to Pillow, which refuses a truncated file as OpenCV does.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a folder, or a pipe that would never end
            return None
        raw = np.fromfile(str(path), dtype=np.uint8)
    except (OSError, ValueError):  # ValueError: a NUL byte in a name read from a file
        return None
    return decode_image(raw)


def decode_image(data: bytes | np.ndarray) -> np.ndarray | None:
    """An encoded image in memory (an upload, a zip entry) as read_image reads a file: 8-bit BGR, upright, or None
    when it is no image or would decode to more than MAX_PIXELS (a 20 MB upload can hold a JPEG of gigabytes)."""
    raw = np.frombuffer(data, np.uint8) if isinstance(data, bytes) else data
    if raw.size == 0:
        return None
    header = _header(raw)
    if header.pixels > MAX_PIXELS:
        return None
    turned_here = raw[:4].tobytes() in _TURNED_HERE
    image = cv2.imdecode(raw, cv2.IMREAD_COLOR | (cv2.IMREAD_IGNORE_ORIENTATION if turned_here else 0))
    if image is None:
        return _decoded_by_pillow(raw)
    if header.transparent and raw[:4].tobytes() in _MAY_HAVE_ALPHA:
        image = _on_white(raw, image)
    return _upright(image, header.orientation) if turned_here else image


def _upright(image: np.ndarray, orientation: int) -> np.ndarray:
    """The image as a viewer shows it, given its EXIF orientation (1, or none: as stored)."""
    if orientation not in _UPRIGHT:
        return image
    mirrored, turns = _UPRIGHT[orientation]
    return np.ascontiguousarray(np.rot90(image[:, ::-1] if mirrored else image, turns))


def _on_white(raw: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """A transparent background as a viewer or a print shows it, on white, and not the colour stored under it,
    which IMREAD_COLOR keeps and which is whatever the program that cut the photo out left there (often black)."""
    full = cv2.imdecode(raw, cv2.IMREAD_UNCHANGED)
    if full is None or full.ndim != 3 or full.shape[2] != 4 or full.shape[:2] != colour.shape[:2]:
        return colour
    # In 8-bit integers, not floats: an 80-megapixel cut-out took 3.4 GB to read (two workers, twice that).
    alpha = np.ascontiguousarray(full[:, :, 3] if full.dtype == np.uint8 else full[:, :, 3] >> 8, np.uint8)
    del full  # (a copy: a 16-bit RGBA of 80 megapixels is 640 MB)
    if alpha.min() == 255:
        return colour
    # colour * a + white * (1 - a), written 255 - (255 - colour) * a
    return 255 - cv2.multiply(255 - colour, cv2.merge([alpha, alpha, alpha]), scale=1 / 255)


def why_unreadable(path: str | os.PathLike[str]) -> Text:
    """What to tell the user when read_image gave None: the file is not there, is a folder, may not be read, is
    empty, is an iPhone's HEIC, or is not an image it can read."""
    if not exists(path):
        return MISSING
    if is_dir(path):
        return A_FOLDER
    if not os.access(path, os.R_OK):
        return NO_PERMISSION
    if _is_empty(path):
        return EMPTY
    return HEIF if _is_heif(path) else UNREADABLE


def _is_empty(path: str | os.PathLike[str]) -> bool:
    try:
        return os.path.getsize(path) == 0
    except OSError:  # gone since
        return False


def _is_heif(path: str | os.PathLike[str]) -> bool:
    try:
        with open(path, "rb") as file:
            return is_heif(file.read(12))
    except OSError:
        return False


def is_heif(data: bytes) -> bool:
    """An ISO media file of a HEIF brand (an iPhone's photo): bytes 4-8 'ftyp', 8-12 the brand."""
    return data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS


def _decoded_by_pillow(raw: np.ndarray) -> np.ndarray | None:
    """The first frame, upright as its EXIF says, a transparent background on white (as _on_white), or None when
    Pillow cannot read it either."""
    try:
        with Image.open(io.BytesIO(raw.tobytes())) as opened:
            upright = ImageOps.exif_transpose(opened)
            # a GIF's transparent colour is whatever its palette holds at that index, often black
            if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
                rgba = upright.convert("RGBA")
                upright = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
            rgb = upright.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    return cv2.cvtColor(np.asarray(rgb), cv2.COLOR_RGB2BGR)


@dataclass(frozen=True)
class _Header:
    """What a file's header says (Pillow reads no pixels to open it)."""

    pixels: int = 0  # width x height: over MAX_PIXELS for a decompression bomb; 0 when not known
    orientation: int = 1  # the EXIF orientation, read for the formats turned here (1: as stored)
    transparent: bool = True  # has an alpha channel or a transparent colour (True when not known)


def _header(raw: np.ndarray) -> _Header:
    """The header, so that nothing is decoded to be refused, and a photo without transparency once, not twice."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning, and Pillow's words on a damaged EXIF block
            with Image.open(io.BytesIO(raw.tobytes())) as probe:
                turned_here = raw[:4].tobytes() in _TURNED_HERE
                return _Header(probe.size[0] * probe.size[1], _orientation(probe, raw) if turned_here else 1,
                               "A" in probe.mode.upper() or "transparency" in probe.info)
    except Image.DecompressionBombError:
        return _Header(MAX_PIXELS + 1)
    except (UnidentifiedImageError, OSError, ValueError):
        # a format Pillow does not know (OpenCV decides), or a file it finds damaged that OpenCV may read all the
        # same: a PNG with a wrong checksum on a comment, whose size must still be counted
        return _Header(_png_size(raw))


def _png_size(raw: np.ndarray) -> int:
    """Width x height from a PNG's IHDR chunk (always its first), 0 when this is no PNG."""
    if raw[:8].tobytes() != b"\x89PNG\r\n\x1a\n" or raw[12:16].tobytes() != b"IHDR":
        return 0
    return int.from_bytes(raw[16:20].tobytes(), "big") * int.from_bytes(raw[20:24].tobytes(), "big")


def _orientation(probe: Image.Image, raw: np.ndarray) -> int:
    """The EXIF orientation, 1 when there is none or it cannot be parsed (the photo is read as stored). A PNG's
    eXIf chunk may follow its pixels, where OpenCV reads it too but Pillow only once it has decoded them all."""
    exif = _png_chunk(raw, b"eXIf") if probe.format == "PNG" else probe.info.get("exif")
    if not exif:
        return 1
    try:
        parsed = Image.Exif()
        parsed.load(exif)
        orientation = parsed.get(_ORIENTATION, 1)
        return orientation if orientation in _UPRIGHT else 1
    except Exception:  # Pillow's EXIF parser raises struct.error, SyntaxError, TypeError... on a damaged block
        return 1


def _png_chunk(raw: np.ndarray, kind: bytes) -> bytes | None:
    """The data of a PNG's first chunk of `kind`, found from the chunks' lengths alone (nothing is decoded)."""
    at = 8  # after the signature; a chunk is its length (4 bytes), kind (4), data and CRC (4)
    while at + 8 <= raw.size:
        length, found = int.from_bytes(raw[at:at + 4].tobytes(), "big"), raw[at + 4:at + 8].tobytes()
        if found == kind:
            return raw[at + 8:at + 8 + length].tobytes()
        if found == b"IEND":
            return None
        at += 12 + length
    return None
