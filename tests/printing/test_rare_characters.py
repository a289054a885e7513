"""A student's name with a character of CJK Extension B or later (𠮷; the 通用规范汉字表 put such characters in
people's names) is drawn in the PDFs and on the code slips: Microsoft YaHei, the CJK font on Windows, lacks them, and fpdf2 left a blank
where the character stood (s34 Windows review). Windows' own fonts for them (SimSun-ExtB, SimSun-ExtG) are the PDF's
fallback. Here Windows' fonts are emulated: a main font without the character, and a WINDIR whose Fonts folder holds
a font that has it, under SimSun-ExtB's file name."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pypdfium2
import pytest
from PIL import Image, ImageDraw, ImageFont

from station import fonts
from station.documents import pdf
from station.fonts import FontFace

WITHOUT_EXT_B = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
WITH_EXT_B = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@pytest.fixture
def windows_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    if not (WITHOUT_EXT_B.is_file() and WITH_EXT_B.is_file()):
        pytest.skip("needs DejaVu Sans and Noto Sans CJK (scripts/setup.sh installs them)")
    folder = tmp_path / "Windows" / "Fonts"
    folder.mkdir(parents=True)
    shutil.copy(WITH_EXT_B, folder / "simsunb.ttf")
    monkeypatch.setenv("WINDIR", str(folder.parent))
    monkeypatch.setattr(pdf, "cjk_font_face", lambda: FontFace(WITHOUT_EXT_B, 0))  # YaHei's part: no 𠮷
    monkeypatch.setattr(fonts, "cjk_font_path", lambda: WITHOUT_EXT_B)
    fonts.rare_font_faces.cache_clear()
    yield
    fonts.rare_font_faces.cache_clear()


def drawn(name: str, by_text: bool) -> tuple[str, list[str]]:
    """The page's text as a viewer reads it, and the fonts the PDF embeds."""
    document = pdf.Document(100.0, 40.0, "名单")
    document.add_page()
    document.set_text_size(14)
    if by_text:  # as the print sheets write names
        document.text(10, 20, document.drawable(name))
    else:  # as the day report writes its lines
        document.cell(text=document.drawable(name))
    data = document.to_bytes()
    page = pypdfium2.PdfDocument(data)[0]
    return page.get_textpage().get_text_range(), sorted(set(re.findall(rb"/BaseFont /(\w+\+[\w-]+)", data)))


@pytest.mark.parametrize("by_text", [True, False], ids=["print sheet", "day report"])
def test_a_name_s_rare_character_is_drawn_by_windows_own_font_for_it(windows_fonts, by_text: bool) -> None:
    text, embedded = drawn("吉𠮷 Li", by_text)
    assert text == "吉𠮷 Li"
    assert len(embedded) == 2, embedded  # the main font for 'Li', the fallback for the rest


def test_a_slip_draws_the_rare_character_as_windows_own_font_draws_it(windows_fonts) -> None:
    """The code slips are drawn with Pillow, which has no fallback: the character was an empty box."""
    def canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
        image = Image.new("L", (200, 80), 255)
        return image, ImageDraw.Draw(image)

    slip, draw = canvas()
    fonts.draw_text(draw, (10, 10), "吉𠮷", 44, 0)
    expected, draw = canvas()
    baseline = 10 + ImageFont.truetype(str(WITHOUT_EXT_B), 44).getmetrics()[0]  # the line's, as its main font has it
    draw.text((10, baseline), "吉𠮷", font=ImageFont.truetype(str(WITH_EXT_B), 44, index=0), fill=0, anchor="ls")
    boxes, draw = canvas()
    draw.text((10, 10), "吉𠮷", font=ImageFont.truetype(str(WITHOUT_EXT_B), 44), fill=0)
    assert np.array_equal(np.asarray(slip), np.asarray(expected))
    assert not np.array_equal(np.asarray(slip), np.asarray(boxes))
