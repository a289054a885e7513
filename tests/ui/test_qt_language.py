"""Qt's own buttons speak the window's language: a Chinese kiosk shows 确定 / 取消, not OK / Cancel."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QTranslator
from PySide6.QtWidgets import QDialogButtonBox

from ui.i18n import install_qt_translations, language, set_language


def _ok_cancel() -> tuple[str, str]:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    return (box.button(QDialogButtonBox.StandardButton.Ok).text(),
            box.button(QDialogButtonBox.StandardButton.Cancel).text())


def test_chinese_windows_get_qt_translated_and_english_ones_do_not(qapp) -> None:
    before = language()
    try:
        set_language("en")
        assert install_qt_translations(qapp) is None
        assert _ok_cancel() == ("OK", "Cancel")
        set_language("zh")
        translator = install_qt_translations(qapp)
        assert translator is not None
        try:
            assert _ok_cancel() == ("确定", "取消")
        finally:
            qapp.removeTranslator(translator)
    finally:
        set_language(before)


def test_a_translation_taken_out_at_a_switch_is_let_go(qapp) -> None:
    """Each switch to 中文 (工作站 → 语言) loads Qt's Chinese again (147 KB) as a child of the application: taken out at
    the next switch, it was still held by the application, one more for every switch there and back."""
    before = language()
    try:
        held = []
        for lang in ("zh", "en", "zh", "en", "zh"):
            set_language(lang)
            install_qt_translations(qapp)
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            held.append(len(qapp.findChildren(QTranslator)))
        assert held[2:] == held[:3], held  # as many at the second 中文 as at the first, none more in English
    finally:
        set_language(before)
        install_qt_translations(qapp)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
