"""Fonts and colours: readable from two metres, Chinese glyphs on every OS."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel, QProxyStyle, QStyle, QStyleOption, QStyleOptionMenuItem, QWidget

from station.fonts import cjk_font_path

# Preferred families per OS; the first one installed wins.
CJK_FAMILIES = ("Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei")

OK = "#146c2e"
BAD = "#c62828"
WARN = "#8a5200"
INFO = "#1565c0"
MUTED = "#616161"

STYLE = f"""
QWidget {{ font-size: 15px; }}
QLabel#title {{ font-size: 22px; font-weight: 600; }}
QLabel#studentName {{ font-size: 34px; font-weight: 700; }}
QLabel#studentName[nobody="true"] {{ font-size: 22px; font-weight: 600; color: {MUTED}; }}
QLabel#message {{ font-size: 17px; padding: 6px 8px; border-radius: 6px; }}
QLabel#checkSummary {{ font-size: 15px; padding: 1px 6px; border-radius: 6px; }}
QLabel#message[level="ok"], QLabel#checkSummary[level="ok"] {{ background: #e8f5e9; color: {OK}; }}
QLabel#message[level="bad"], QLabel#checkSummary[level="bad"] {{ background: #ffebee; color: {BAD}; }}
QLabel#message[level="warn"], QLabel#checkSummary[level="warn"] {{ background: #fff8e1; color: {WARN}; }}
QLabel#message[level="info"] {{ background: #e3f2fd; color: {INFO}; }}
QLabel#checkChip {{ font-size: 13px; padding: 1px 5px; border-radius: 4px; }}
QLabel#checkChip[level="ok"] {{ background: #f1f8f2; color: {OK}; }}
QLabel#checkChip[level="bad"] {{ background: {BAD}; color: white; font-weight: 600; }}
QLabel#checkChip[level="warn"] {{ background: #ffb300; color: black; font-weight: 600; }}
QLabel#checkChip[level="idle"] {{ background: #f5f5f5; color: #9e9e9e; }}
QLabel#cameraState {{ font-weight: 600; padding: 2px 8px; border-radius: 4px; }}
QLabel#cameraState[level="ok"] {{ background: #e8f5e9; color: {OK}; }}
QLabel#cameraState[level="bad"] {{ background: {BAD}; color: white; }}
QLabel#queueState {{ font-weight: 600; padding: 2px 8px; border-radius: 4px; }}
QLabel#queueState[level="bad"] {{ background: {BAD}; color: white; }}
QPushButton#shutter {{ font-size: 20px; font-weight: 600; background: {INFO}; color: white; border-radius: 6px; }}
QPushButton#shutter:disabled {{ background: #e0e0e0; color: #9e9e9e; }}
QPushButton#retake {{ font-size: 20px; font-weight: 600; background: #ef6c00; color: white; border-radius: 6px; }}
QLineEdit#codeInput {{ font-size: 22px; padding: 6px; }}
QFrame#card {{ background: white; border: 1px solid #d0d0d0; border-radius: 8px; }}
"""


def say(label: QLabel, text: str, level: str) -> None:
    """A label's text and its style level (the colours above), shown while it has text. Live results arrive many
    times a second: restyled only on a change. A name in it is kept on one line where it was put in (ui.i18n.t)."""
    if label.text() == text and label.property("level") == level:
        return
    label.setText(text)
    label.setVisible(bool(text))
    label.setProperty("level", level)
    label.style().unpolish(label)
    label.style().polish(label)


class MenuRoom(QProxyStyle):
    """The platform's style, with each menu entry that has a keyboard letter the width of an "&" wider. Qt measures
    an entry without the "&" of its letter but cuts it to fit counting the "&", so an entry as wide as its menu lost
    its middle (帮助 → 键盘操…K)…, seen on the walk)."""

    def sizeFromContents(self, kind: QStyle.ContentsType, option: QStyleOption, size: QSize,
                         widget: QWidget | None = None) -> QSize:
        result = super().sizeFromContents(kind, option, size, widget)
        if kind == QStyle.ContentsType.CT_MenuItem and isinstance(option, QStyleOptionMenuItem) and "&" in option.text:
            result.setWidth(result.width() + option.fontMetrics.horizontalAdvance("&"))
        return result


def apply_theme(app: QApplication) -> None:
    families = set(QFontDatabase.families())
    family = next((f for f in CJK_FAMILIES if f in families), None)
    if family is None and (path := cjk_font_path()) is not None:
        loaded = QFontDatabase.addApplicationFont(str(path))
        family = next(iter(QFontDatabase.applicationFontFamilies(loaded)), None) if loaded >= 0 else None
    if family:
        app.setFont(QFont(family, 11))
    app.setStyle(MenuRoom())  # the platform's own style beneath (a second call replaces the first's)
    app.setStyleSheet(STYLE)
