"""Reading a written PDF back: page sizes, where each image is placed and how large, in millimetres; its text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2

MM_PER_POINT = 25.4 / 72


@dataclass(frozen=True)
class Placed:
    x: float
    y: float  # from the top of the page
    w: float
    h: float
    pixels: tuple[int, int]
    data: bytes  # the image stream as stored (a JPEG for DCTDecode)

    @property
    def dpi(self) -> float:
        return min(self.pixels[0] / (self.w / 25.4), self.pixels[1] / (self.h / 25.4))


@dataclass(frozen=True)
class Page:
    w: float
    h: float
    images: list[Placed]
    lines: list[tuple[float, float, float, float]]
    text: str


def measure_pdf(path: Path) -> list[Page]:
    texts = [page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(str(path))]
    pages = []
    with pdfplumber.open(path) as pdf:
        for page, text in zip(pdf.pages, texts):
            images = [Placed(i["x0"] * MM_PER_POINT, i["top"] * MM_PER_POINT, i["width"] * MM_PER_POINT,
                             i["height"] * MM_PER_POINT, tuple(i["srcsize"]), i["stream"].get_rawdata())
                      for i in page.images]
            lines = [(l["x0"] * MM_PER_POINT, l["top"] * MM_PER_POINT, l["x1"] * MM_PER_POINT, l["bottom"] * MM_PER_POINT)
                     for l in page.lines]
            pages.append(Page(page.width * MM_PER_POINT, page.height * MM_PER_POINT, images, lines, text))
    return pages
