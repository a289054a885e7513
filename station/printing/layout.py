"""Where the photos go on the paper: a set is one student's 2-inch photo 8 times, 4 across and 2 down, butted
edge to edge so one straight cut separates two photos; the paper holds one set (6-inch photo paper) or four
(A4, landscape). Everything in millimetres, from the page's top left corner."""

from __future__ import annotations

from dataclasses import dataclass

PHOTO_W, PHOTO_H = 35.0, 49.0  # 2寸 (two-inch) ID photo
COLUMNS, ROWS = 4, 2
SET_W, SET_H = COLUMNS * PHOTO_W, ROWS * PHOTO_H  # 140 x 98
MARK = 1.5  # cut marks: short lines in the margin, continuing each cutting line


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Layout:
    name: str
    page_w: float
    page_h: float
    set_origins: tuple[tuple[float, float], ...]  # top left corner of each set on a page

    @property
    def sets_per_page(self) -> int:
        return len(self.set_origins)


LAYOUTS = {
    # 6-inch photo paper (152 x 102 mm) in landscape: 6 mm side margins (the left one carries the name), 2 mm top
    # and bottom.
    "6inch": Layout("6inch", 152.0, 102.0, ((6.0, 2.0),)),
    # A4 landscape: two sets across (6 + 140 + 5 + 140 + 6) and two down (5 + 98 + 4 + 98 + 5).
    "a4": Layout("a4", 297.0, 210.0, ((6.0, 5.0), (151.0, 5.0), (6.0, 107.0), (151.0, 107.0))),
}


def photo_rects(origin: tuple[float, float]) -> list[Rect]:
    """The 8 photos of the set whose top left corner is `origin`, row by row."""
    x0, y0 = origin
    return [Rect(x0 + c * PHOTO_W, y0 + r * PHOTO_H, PHOTO_W, PHOTO_H) for r in range(ROWS) for c in range(COLUMNS)]


def cut_marks(origin: tuple[float, float]) -> list[tuple[float, float, float, float]]:
    """Lines (x1, y1, x2, y2) just outside the set, continuing every cutting line; they never enter a photo."""
    x0, y0 = origin
    lines = []
    for c in range(COLUMNS + 1):
        x = x0 + c * PHOTO_W
        lines += [(x, y0 - MARK - 0.3, x, y0 - 0.3), (x, y0 + SET_H + 0.3, x, y0 + SET_H + MARK + 0.3)]
    for r in range(ROWS + 1):
        y = y0 + r * PHOTO_H
        lines += [(x0 - MARK - 0.3, y, x0 - 0.3, y), (x0 + SET_W + 0.3, y, x0 + SET_W + MARK + 0.3, y)]
    return lines
