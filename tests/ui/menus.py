"""The window's menu entries found by their words, as a photographer reads them (without the keyboard letter)."""

from __future__ import annotations

import re

from PySide6.QtGui import QAction

from ui.main_window import MainWindow


def words(text: str) -> str:
    """A menu entry's text without its keyboard letter: 导入名单(&I)… -> 导入名单…, &Import roster… -> Import roster…"""
    return re.sub(r"\(&\w\)|&(?=\w)", "", text)


def menu_action(window: MainWindow, text: str) -> QAction:
    return next(a for menu in window.menuBar().actions() if menu.menu() for a in menu.menu().actions()
                if words(a.text()) == text)
