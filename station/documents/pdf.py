"""A PDF drawn in millimetres with fpdf2 (LGPL-3.0), whose text can be Chinese: the CJK font of station/fonts.py
is embedded (subset), so the file prints the same on any printer or viewer.

Where no CJK font is installed, text falls back to Helvetica and characters it cannot draw become '?': a sheet
still prints with its student numbers, which are enough to sort it.
"""

from __future__ import annotations

import itertools

from fpdf import FPDF

from station.fonts import cjk_font_face, rare_font_faces

FAMILY = "cjk"


class Document(FPDF):
    """A PDF of pages of one size, in millimetres, with `set_text_size` choosing the CJK font (or Helvetica)."""

    def __init__(self, width_mm: float, height_mm: float, title: str) -> None:
        super().__init__(unit="mm", format=(width_mm, height_mm))  # (w, h) as given: no portrait swap
        self.set_auto_page_break(False)
        self.set_margin(0)
        self.set_title(title)
        self.set_creator("photo-station")
        face = cjk_font_face()
        self.has_cjk = face is not None
        if face is not None:
            self.add_font(FAMILY, fname=str(face.path), collection_font_number=face.index)
            rare = [f"{FAMILY}-{i}" for i in range(len(rare_font_faces()))]
            for family, extra in zip(rare, rare_font_faces()):  # a name's character the CJK font lacks (𠮷)
                self.add_font(family, fname=str(extra.path), collection_font_number=extra.index)
            if rare:
                self.set_fallback_fonts(rare)

    def text(self, x: float, y: float, text: str = "") -> None:
        """FPDF.text, each run of characters the CJK font lacks drawn in a fallback font that has them (fpdf2 falls
        back in cell and multi_cell, not here, where the print sheets write the students' names)."""
        if not self._fallback_font_ids or self.font_family != FAMILY:
            super().text(x, y, text)
            return
        main = self.fonts[FAMILY].cmap
        runs = itertools.groupby(text, lambda char: FAMILY if ord(char) in main else self.get_fallback_font(char))
        for family, chars in runs:
            run = "".join(chars)
            if family is not None and family != FAMILY:
                self.set_font(family, size=self.font_size_pt)
            super().text(x, y, run)
            x += self.get_string_width(run)
            self.set_font(FAMILY, size=self.font_size_pt)

    def set_text_size(self, points: float) -> None:
        self.set_font(FAMILY if self.has_cjk else "helvetica", size=points)

    def drawable(self, text: str) -> str:
        """`text` as this document can draw it (without a CJK font: Latin-1 only)."""
        if self.has_cjk:
            return text
        return text.encode("latin-1", "replace").decode("latin-1")

    def to_bytes(self) -> bytes:
        return bytes(self.output())
