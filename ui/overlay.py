"""Drawing the compliance result over the live picture: where the CHSI crop falls, and what is wrong."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF

from station.capture.live_checks import LiveResult
from station.chsi.spec import SPEC
from ui.i18n import t
from ui.theme import BAD, OK

MAX_LINES = 4


def crop_corners(result: LiveResult) -> np.ndarray | None:
    """The CHSI 480x640 output's corners in frame pixels (the inverse of the crop warp)."""
    plan = result.analysis.crop
    if plan is None:
        return None
    inverse = np.linalg.inv(np.vstack([plan.matrix, [0, 0, 1]]))[:2]
    w, h = SPEC.width, SPEC.height
    corners = np.array([[0, 0, 1], [w, 0, 1], [w, h, 1], [0, h, 1]], dtype=np.float64)
    return corners @ inverse.T


def paint_overlay(painter: QPainter, result: LiveResult, target: QRectF) -> None:
    """`target`: where the frame is drawn on the widget."""
    passed = result.analysis.verdict == "pass"
    colour = QColor(OK if passed else BAD)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setPen(QPen(colour, 6))
    painter.drawRect(target.adjusted(3, 3, -3, -3))
    scale = target.width() / result.image_size[0]
    corners = crop_corners(result)
    if corners is not None:
        painter.setPen(QPen(QColor(255, 255, 255, 220), 2, Qt.DashLine))
        painter.drawPolygon(QPolygonF([QPointF(target.x() + x * scale, target.y() + y * scale) for x, y in corners]))
    problems = problem_lines(result)[:MAX_LINES]
    if not problems:
        return
    font = QFont(painter.font())
    font.setPointSize(18)
    font.setBold(True)
    painter.setFont(font)
    metrics = painter.fontMetrics()
    line = metrics.height() + 8
    width = min(max(metrics.horizontalAdvance(p) for p in problems) + 24, target.width() - 32)
    box = QRectF(target.x() + 16, target.y() + 16, width, line * len(problems) + 12)
    painter.fillRect(box, QColor(0, 0, 0, 150))
    painter.setPen(QColor("#ffffff"))
    for i, text in enumerate(problems):
        shown = metrics.elidedText(text, Qt.ElideRight, int(width - 24))
        painter.drawText(QRectF(box.x() + 12, box.y() + 6 + i * line, width - 24, line),
                         Qt.AlignVCenter | Qt.AlignLeft, shown)


def problem_lines(result: LiveResult) -> list[str]:
    """The instructions to read out, first things first, each once."""
    return [t(message) for message in result.analysis.instructions]
