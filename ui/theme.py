"""Fonts and colours: readable from two metres, Chinese glyphs on every OS."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

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
QLabel#message[level="ok"] {{ background: #e8f5e9; color: {OK}; }}
QLabel#message[level="bad"] {{ background: #ffebee; color: {BAD}; }}
QLabel#message[level="warn"] {{ background: #fff8e1; color: {WARN}; }}
QLabel#message[level="info"] {{ background: #e3f2fd; color: {INFO}; }}
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


def apply_theme(app: QApplication) -> None:
    families = set(QFontDatabase.families())
    family = next((f for f in CJK_FAMILIES if f in families), None)
    if family is None and (path := cjk_font_path()) is not None:
        loaded = QFontDatabase.addApplicationFont(str(path))
        family = next(iter(QFontDatabase.applicationFontFamilies(loaded)), None) if loaded >= 0 else None
    if family:
        app.setFont(QFont(family, 11))
    app.setStyleSheet(STYLE)
