"""The window's language, chosen once at start-up (Chinese unless --lang en)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from station.i18n import Text, default_lang

_lang = default_lang()


def set_language(lang: str | None) -> None:
    global _lang
    _lang = lang or default_lang()


def language() -> str:
    return _lang


def t(text: Text) -> str:
    """`text` as the window shows it: each name put into it kept on one line (station.i18n.Name)."""
    return (text.shown or text).get(_lang)


def install_qt_translations(app: QCoreApplication) -> QTranslator | None:
    """Qt's own words (OK, Cancel, the file dialog) in the window's language: Qt says them in English
    unless given its translations, which the PySide6 wheel carries on every platform."""
    if _lang != "zh":
        return None
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        return None
    app.installTranslator(translator)
    return translator
