"""The window's language: --lang at start-up, else the one last chosen in its menu (ui.window_language), else Chinese."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from station.i18n import Text, default_lang

_lang = default_lang()
_translator: list[QTranslator] = []  # Qt's Chinese installed: taken out again when the window switches to English


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
    unless given its translations, which the PySide6 wheel carries on every platform. Called again after a switch:
    the translation installed before is taken out first, and let go (a child of `app`, it was kept as long as the
    application ran, one more for every switch there and back)."""
    while _translator:
        taken_out = _translator.pop()
        app.removeTranslator(taken_out)
        taken_out.deleteLater()
    if _lang != "zh":
        return None
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        translator.deleteLater()
        return None
    app.installTranslator(translator)
    _translator.append(translator)
    return translator
