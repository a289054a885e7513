"""A font with Chinese glyphs on Windows, macOS and Linux, for images and PDFs we draw."""

from __future__ import annotations

import functools
import itertools
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageDraw, ImageFont

_CANDIDATES = (
    # Windows
    r"C:\Windows\Fonts\msyh.ttc", r"C:\Windows\Fonts\msyh.ttf", r"C:\Windows\Fonts\simhei.ttf", r"C:\Windows\Fonts\simsun.ttc",
    # macOS
    "/System/Library/Fonts/PingFang.ttc", "/System/Library/Fonts/STHeiti Medium.ttc", "/Library/Fonts/Arial Unicode.ttf",
    # Linux (fonts-noto-cjk, fonts-wqy)
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


@functools.cache
def cjk_font_path() -> Path | None:
    windir = os.environ.get("WINDIR")
    candidates = list(_CANDIDATES)
    if windir:
        candidates.insert(0, str(Path(windir) / "Fonts" / "msyh.ttc"))
    return next((Path(c) for c in candidates if Path(c).is_file()), None)


def cjk_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The CJK font at `size` px; Pillow's default font (no Chinese glyphs) when none is installed."""
    path = cjk_font_path()
    return ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)


@dataclass(frozen=True)
class FontFace:
    path: Path
    index: int  # which font of a collection (.ttc): Noto's holds Japanese, Korean, Simplified... in one file


@functools.cache
def cjk_font_face() -> FontFace | None:
    """The CJK font for PDFs, with the Simplified Chinese face of a collection (its glyphs for 骨, 直, 写 are the
    mainland's); None when no CJK font is installed."""
    path = cjk_font_path()
    if path is None:
        return None
    if path.suffix.lower() != ".ttc":
        return FontFace(path, 0)
    from fontTools.ttLib import TTCollection

    names = [font["name"].getDebugName(1) or "" for font in TTCollection(str(path), lazy=True).fonts]
    simplified = [i for i, name in enumerate(names) if name.endswith(" SC") and "Mono" not in name]
    return FontFace(path, simplified[0] if simplified else 0)


# For the characters the CJK font may lack: CJK Extension B and later, where the 通用规范汉字表 (2013) put characters of
# people's names (𠮷, 𬌗, 𬘡). Microsoft YaHei, the Windows font above, does not draw them; SimSun-ExtB (Windows 10)
# and SimSun-ExtG (Windows 11) do. Noto CJK, on Linux, draws them itself.
_RARE_CANDIDATES = ("simsunb.ttf", "SimsunExtG.ttf")


@functools.cache
def rare_font_faces() -> tuple[FontFace, ...]:
    """The fonts for characters the CJK font lacks, where installed (Windows' own folder of fonts), in order."""
    windir = os.environ.get("WINDIR")
    if not windir:
        return ()
    fonts = Path(windir) / "Fonts"
    return tuple(FontFace(fonts / name, 0) for name in _RARE_CANDIDATES if (fonts / name).is_file())


@functools.cache
def _characters(face: FontFace) -> frozenset[int]:
    """The code points `face` draws."""
    from fontTools.ttLib import TTFont

    with TTFont(str(face.path), fontNumber=face.index, lazy=True) as font:
        return frozenset(font.getBestCmap() or ())


def draw_text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int, fill: object,
              anchor: str = "la") -> None:
    """ImageDraw.text in the CJK font at `size` px, each run of characters it lacks drawn in a rare font that has
    them (rare_font_faces: Pillow draws a missing character as an empty box)."""
    path = cjk_font_path()
    rare = rare_font_faces()
    if path is None or not rare:
        draw.text(xy, text, font=cjk_font(size), fill=fill, anchor=anchor)
        return
    main = FontFace(path, 0)  # what ImageFont.truetype opens of a collection

    def face_of(char: str) -> FontFace:
        if ord(char) in _characters(main):
            return main
        return next((face for face in rare if ord(char) in _characters(face)), main)

    x, y = xy
    if anchor[1] == "a":  # each font's own ascender would put each run's baseline elsewhere: the main font's baseline
        y += ImageFont.truetype(str(main.path), size).getmetrics()[0]
        anchor = f"{anchor[0]}s"
    for face, chars in itertools.groupby(text, face_of):
        run = "".join(chars)
        font = ImageFont.truetype(str(face.path), size, index=face.index)
        draw.text((x, y), run, font=font, fill=fill, anchor=anchor)
        x += font.getlength(run)
