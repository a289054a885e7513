"""Drawing the compliance result over the live picture: where the CHSI crop falls, what is wrong, where the other
people in view stand (face_count), and where the photographer is asked to look (a rule's region outlined with its
short question)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache, reduce

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPolygonF

from station.capture.live_checks import LiveResult
from station.chsi.spec import SPEC
from station.compliance.messages import TITLES
from station.compliance.results import FAIL, Analysis
from station.compliance.regions import check_regions
from station.i18n import Text
from ui.i18n import t
from ui.theme import BAD, OK

MAX_LINES = 4
MARGIN = 16  # from the picture's edge and from the crop frame
PAD = 12  # inside the dark box
GAP = 6  # between two instructions
SIZES = (18, 16, 14, 12)  # points: the largest that fits, unwrapped down to 14 before wrapped at 18
MIN_SIDE = 200  # narrower than this beside the crop, the instructions go in the top left corner
NARROW_SIDE = 120  # with F1's key list over the picture, a side this narrow still takes them, wrapped
LOOK = QColor(255, 179, 0)  # amber: a question for the photographer, not a fault
# the label of each other person outlined while face_count blocks (画面中有多张人脸 says there are several, not where)
OTHER_PERSON = Text(zh="其他人", en="another person")


def crop_corners(result: LiveResult) -> np.ndarray | None:
    """The CHSI 480x640 output's corners in frame pixels (the inverse of the crop warp)."""
    plan = result.analysis.crop
    return None if plan is None else plan.corners(SPEC)


def crop_outline(result: LiveResult, target: QRectF) -> QPolygonF | None:
    """The crop frame as drawn over a picture drawn at `target` (None: no crop planned)."""
    corners = crop_corners(result)
    if corners is None:
        return None
    scale = target.width() / result.image_size[0]
    return QPolygonF([QPointF(target.x() + x * scale, target.y() + y * scale) for x, y in corners])


@dataclass(frozen=True)
class Instructions:
    """Where the instructions go over the picture: a box beside the crop frame, never over the head."""

    font: QFont
    texts: list[str]  # the instructions as drawn, with any line breaks chosen for them
    box: QRectF
    lines: list[QRectF]  # one rect per instruction, wrapped onto as many lines as it needs
    broken: bool = False  # a phrase broken across lines: in no font size did each stand whole

    def lowered(self, dy: float) -> Instructions:
        """The same box `dy` px further down."""
        return Instructions(self.font, self.texts, self.box.translated(0, dy),
                            [line.translated(0, dy) for line in self.lines], self.broken)


def place_instructions(problems: list[str], target: QRectF, crop: QRectF | None, base: QFont,
                       avoid: QRectF | None = None) -> Instructions:
    """The wider free side of the picture left or right of the crop frame (where hair, ears and the crop line
    are never hidden), each instruction on one line where a somewhat smaller font allows, else wrapped (Chinese
    after its comma, in a font as small as that needs, before anywhere else); the font steps down until all fit.
    With no crop, or no side wide enough, the top left corner. Where that box would stand under `avoid` (F1's key
    list over the picture took the same wider side and hid the instructions: Xvfb walk, s26; the other people's
    heads circled), the first place clear of both it and the crop frame (`_free_places`) where no phrase is broken
    across lines, else the first; none: the bottom corner away from it, over the shoulders (the top corner crossed
    the crop frame's top, over the student's hair: s27)."""
    area = target.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
    places = []
    if crop is not None:
        places = [side for side in _sides(area, crop) if side.width() >= MIN_SIDE]
    first = _laid_out(problems, places[0] if places else area, base)
    if avoid is None or not first.box.intersects(avoid):
        return first
    fitting = [placed for free in _free_places(area, crop, avoid)
               if (placed := _laid_out(problems, free, base)).box.bottom() <= free.bottom() + 0.5]
    if fitting:  # beside a second person's head, a narrow side broke 请只保留一 / 人 (s27)
        return next((placed for placed in fitting if not placed.broken), fitting[0])
    beside_it = _clear_of(area, avoid)
    if beside_it.width() < NARROW_SIDE:
        return first
    corner = _laid_out(problems, beside_it, base)
    return corner.lowered(max(0.0, beside_it.bottom() - corner.box.bottom()))


def _sides(area: QRectF, crop: QRectF) -> list[QRectF]:
    """The picture's room left and right of the crop frame, the wider first."""
    left = QRectF(area.left(), area.top(), crop.left() - MARGIN - area.left(), area.height())
    right = QRectF(crop.right() + MARGIN, area.top(), area.right() - crop.right() - MARGIN, area.height())
    return sorted((left, right), key=lambda r: -r.width())


def _free_places(area: QRectF, crop: QRectF | None, avoid: QRectF) -> list[QRectF]:
    """Where the instructions stand clear of both `avoid` and the `crop` frame, first choice first: a side of the
    frame (down to NARROW_SIDE wide: wrapped, in a smaller font), then below it (the shoulders), then above it."""
    if crop is None:
        return [free for free in [_clear_of(area, avoid)] if free.width() >= NARROW_SIDE]
    sides = sorted((_clear_of(side, avoid) for side in _sides(area, crop)), key=lambda r: -r.width())
    below = QRectF(area.left(), crop.bottom() + MARGIN, area.width(), area.bottom() - crop.bottom() - MARGIN)
    above = QRectF(area.left(), area.top(), area.width(), crop.top() - MARGIN - area.top())
    strips = [_clear_of(strip, avoid) for strip in (below, above) if strip.height() > 0]
    return [place for place in sides + strips if place.width() >= NARROW_SIDE and not place.intersects(crop)]


def _clear_of(place: QRectF, avoid: QRectF) -> QRectF:
    """The wider part of `place` left or right of `avoid` (F1's list stands as tall as the picture)."""
    if not place.intersects(avoid):
        return place
    left = QRectF(place.left(), place.top(), avoid.left() - MARGIN - place.left(), place.height())
    right = QRectF(avoid.right() + MARGIN, place.top(), place.right() - avoid.right() - MARGIN, place.height())
    return max(left, right, key=lambda r: r.width())


def _laid_out(problems: list[str], area: QRectF, base: QFont) -> Instructions:
    """The instructions in a box at the top left of `area`, in the largest font in which they fit it."""
    font = QFont(base)
    font.setBold(True)
    chosen = next((size for size in SIZES[:3] if _fits(font, size, problems, area, wrap=False)), None)
    if chosen is None and any("，" in p for p in problems):
        # a Chinese instruction breaks after its comma, never in the middle of a phrase: a smaller font first
        problems = [p.replace("，", "，\n") for p in problems]
        chosen = next((size for size in SIZES if _fits(font, size, problems, area, wrap=False)), None)
    broken = chosen is None
    chosen = chosen or next((size for size in SIZES if _fits(font, size, problems, area, wrap=True)), SIZES[-1])
    font.setPointSize(chosen)
    width, heights = _measure(font, problems, area)
    lines, y = [], area.top() + PAD
    for height in heights:
        lines.append(QRectF(area.left() + PAD, y, width - 2 * PAD, height))
        y += height + GAP
    return Instructions(font, problems, QRectF(area.left(), area.top(), width, y - GAP + PAD - area.top()), lines,
                        broken)


@lru_cache(maxsize=8)
def _placed(problems: tuple[str, ...], target: tuple[float, ...], crop: tuple[float, ...] | None,
            font: str, avoid: tuple[float, ...] | None) -> Instructions:
    """place_instructions for the painter, worked out once per new result, not on every painted frame."""
    base = QFont()
    base.fromString(font)
    return place_instructions(list(problems), QRectF(*target), QRectF(*crop) if crop else None, base,
                              QRectF(*avoid) if avoid else None)


def _measure(font: QFont, problems: list[str], area: QRectF) -> tuple[float, list[float]]:
    """The box width and each instruction's height when wrapped to fit the area."""
    metrics = QFontMetricsF(font)
    longest = max(metrics.horizontalAdvance(line) for p in problems for line in p.split("\n"))
    width = min(longest + 2 * PAD, area.width())
    heights = [metrics.boundingRect(QRectF(0, 0, width - 2 * PAD, 10_000), Qt.TextWordWrap, p).height()
               for p in problems]
    return width, heights


def _fits(font: QFont, size: int, problems: list[str], area: QRectF, wrap: bool) -> bool:
    font.setPointSize(size)
    _, heights = _measure(font, problems, area)
    if sum(heights) + GAP * len(problems) + 2 * PAD > area.height():
        return False
    metrics = QFontMetricsF(font)  # unwrapped: no line broken but where the text itself breaks it
    return wrap or all(h <= metrics.boundingRect(QRectF(0, 0, 100_000, 10_000), Qt.TextWordWrap, p).height() + 0.5
                       for p, h in zip(problems, heights))


def paint_overlay(painter: QPainter, result: LiveResult, target: QRectF,
                  avoid: QRectF | None = None) -> QRectF | None:
    """`target`: where the frame is drawn on the widget; `avoid`: a window standing over it (F1's key list).
    Returns where the instructions' box was drawn (None: no instruction): clear of the key list, else of the other
    people circled (beside the crop frame, the instructions stood over the second person's head)."""
    painter.setRenderHint(QPainter.Antialiasing)
    if not result.analysis.settling:  # a new face's first analyses: no colour said yet
        passed = result.analysis.verdict == "pass"
        colour = (LOOK if result.analysis.questions else QColor(OK)) if passed else QColor(BAD)
        painter.setPen(QPen(colour, 6))
        painter.drawRect(target.adjusted(3, 3, -3, -3))
    polygon = crop_outline(result, target)
    crop = None
    if polygon is not None:
        painter.setPen(QPen(QColor(255, 255, 255, 220), 2, Qt.DashLine))
        painter.drawPolygon(polygon)
        crop = polygon.boundingRect()
    painter.setPen(QPen(QColor(BAD), 4))
    for box in _phones(result, target):
        painter.drawRoundedRect(box, 6, 6)
    problems = problem_lines(result)[:MAX_LINES]
    box = None
    if problems:
        base = painter.font().toString()
        heads = _other_heads(result, target)
        keep_off = avoid or (reduce(QRectF.united, heads) if heads else None)
        placed = _placed(tuple(problems), target.getRect(), crop.getRect() if crop else None, base,
                         keep_off.getRect() if keep_off else None)
        painter.setFont(placed.font)
        painter.fillRect(placed.box, QColor(0, 0, 0, 150))
        painter.setPen(QColor("#ffffff"))
        for text, rect in zip(placed.texts, placed.lines):
            painter.drawText(rect, Qt.TextWordWrap | Qt.AlignLeft | Qt.AlignTop, text)
        box = placed.box
    paint_labelled(painter, result, target, [rect for rect in (box, avoid) if rect is not None])
    return box


def _regions_drawn(check: str, result: LiveResult, target: QRectF) -> list[QRectF]:
    """Where `check`'s outlines are drawn over a picture drawn at `target`."""
    scale = target.width() / result.image_size[0]
    return [QRectF(target.x() + x * scale, target.y() + y * scale, w * scale, h * scale)
            for x, y, w, h in check_regions(check, result.analysis)]


def _phones(result: LiveResult, target: QRectF) -> list[QRectF]:
    """Where a code in the photo is outlined (the phone to move out of the photo, where it is), while it blocks."""
    return _regions_drawn("code_in_photo", result, target) if result.analysis.checks["code_in_photo"].level == FAIL \
        else []


def _other_heads(result: LiveResult, target: QRectF) -> list[QRectF]:
    """Where the other people's heads are circled, while face_count blocks."""
    return _regions_drawn("face_count", result, target) if result.analysis.checks["face_count"].level == FAIL else []


def outlines(result: LiveResult, target: QRectF) -> dict[str, list[QRectF]]:
    """What the overlay outlines for a check, by check: a code in the photo and the other people in view (red), each
    question's regions (amber). A photographer who cannot see them cannot see why the shutter is blocked or where to
    look."""
    checks = [check for check, _ in result.analysis.questions]
    checks[:0] = [check for check in ("code_in_photo", "face_count") if result.analysis.checks[check].level == FAIL]
    drawn = {check: _regions_drawn(check, result, target) for check in checks}
    return {check: boxes for check, boxes in drawn.items() if boxes}


@dataclass(frozen=True)
class Labelled:
    """An outline that carries a label, and where the label goes."""

    boxes: list[QRectF]
    text: str
    asked: bool  # a question (amber, dashed), else another person in view (red, circled)
    label: QRectF


def labelled(result: LiveResult, target: QRectF, metrics: QFontMetricsF,
             avoid: Sequence[QRectF] = ()) -> list[Labelled]:
    """The outlines that carry a label and their labels' places (see paint_labelled), labels in `metrics`' font."""
    outlined: list[tuple[list[QRectF], str, bool]] = [([head], t(OTHER_PERSON), False)
                                                      for head in _other_heads(result, target)]
    outlined += [(boxes, t(question.message), True) for check, question in result.analysis.questions
                 if (boxes := _regions_drawn(check, result, target))]
    # a phone is outlined without a label: a question's label over it hid the code the student must put away
    every_outline = [box for boxes, _, _ in outlined for box in boxes] + _phones(result, target)
    placed: list[Labelled] = []
    for boxes, text, asked in outlined:
        size = (metrics.horizontalAdvance(text) + 10, metrics.height() + 4)
        label = place_label(boxes[0], size, target, [done.label for done in placed], avoid, every_outline)
        placed.append(Labelled(boxes, text, asked, label))
    return placed


def paint_labelled(painter: QPainter, result: LiveResult, target: QRectF, avoid: Sequence[QRectF] = ()) -> None:
    """The outlines that carry a label, beside (never under) what they must `avoid` (the instructions' box, F1's key
    list): while face_count blocks, each other person's head circled in red, 其他人 above it (the photographer saw
    画面中有多张人脸 and could not tell which poster, passer-by or friend half behind the student it meant); each
    question's region outlined in amber, its short question above the first box. No label over another, nor over an
    outline where the picture has room (place_label); every outline is drawn before any label all the same."""
    painter.setFont(QFont(painter.font().family(), 13, QFont.Bold))
    placed = labelled(result, target, QFontMetricsF(painter.font()), avoid)
    for item in placed:
        painter.setPen(QPen(LOOK, 3, Qt.DashLine) if item.asked else QPen(QColor(BAD), 4))
        for box in item.boxes:
            if item.asked:
                painter.drawRoundedRect(box, 6, 6)
            else:  # a head
                painter.drawEllipse(box)
    for item in placed:
        painter.fillRect(item.label, QColor(0, 0, 0, 170) if item.asked else QColor(BAD))
        painter.setPen(LOOK if item.asked else QColor("#ffffff"))
        painter.drawText(item.label, Qt.AlignCenter, item.text)


LABEL_GAP = 4  # between a label and its region
STACKED = 3  # labels of close regions stand this many rows further above or below theirs at most


def place_label(box: QRectF, size: tuple[float, float], target: QRectF, taken: Sequence[QRectF],
                avoid: Sequence[QRectF] = (), outlines: Sequence[QRectF] = ()) -> QRectF:
    """Where a label goes: the first of the places around its region `box` (just above it, below it, left and right
    of it; then further above or below, stacked) inside the picture that covers nothing; with none, the one covering
    least of the labels already placed (`taken`) and `avoid` (the instructions' box, a long English question ran
    under it; F1's key list over the picture), then of the `outlines` (every region and head outlined, its own
    included). A label cut off at the picture's edge or written over another cannot be read at a glance, and one over
    an outline hid what the other question asked to look at (two questions at once: 耳环？ over the mouth's box)."""
    width, height = min(size[0], target.width()), size[1]

    def inside(x: float, y: float) -> QRectF:
        return QRectF(min(max(x, target.left()), target.right() - width),
                      min(max(y, target.top()), target.bottom() - height), width, height)

    xs = (box.left(), box.right() - width, box.center().x() - width / 2)
    ys = (box.top(), box.bottom() - height, box.center().y() - height / 2)
    above, below, step = box.top() - height - LABEL_GAP, box.bottom() + LABEL_GAP, height + 2
    places = [inside(x, y) for y in (above, below) for x in xs]
    places += [inside(x, y) for x in (box.left() - LABEL_GAP - width, box.right() + LABEL_GAP) for y in ys]
    places += [inside(x, y) for k in range(1, STACKED + 1) for y in (above - k * step, below + k * step) for x in xs]
    blocking, looked_at = [*taken, *avoid], [box, *outlines]
    face = reduce(QRectF.united, looked_at)  # beside all of them: a region as large as the face (makeup) is outlined
    places += [inside(x, y) for x in (face.left() - LABEL_GAP - width, face.right() + LABEL_GAP) for y in ys]
    return min(places, key=lambda place: (_covered(place, blocking), _covered(place, looked_at)))


def _covered(place: QRectF, rects: Sequence[QRectF]) -> float:
    """How much of `rects` `place` covers (px²)."""
    return sum(part.width() * part.height() for part in (place.intersected(rect) for rect in rects)
               if not part.isEmpty())


def question_titles(analysis: Analysis) -> list[str]:
    """The short names of the rules the photographer is asked to look at (the shutter stays free)."""
    return [t(TITLES[check]) for check, _ in analysis.questions]


def problem_lines(result: LiveResult) -> list[str]:
    """The instructions to read out, first things first, each once."""
    return [t(message) for message in result.analysis.instructions]
