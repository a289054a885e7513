"""A font with Chinese glyphs on Windows, macOS and Linux, for images and PDFs we draw."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

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
