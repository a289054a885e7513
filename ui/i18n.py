"""The window's language, chosen once at start-up (Chinese unless --lang en)."""

from __future__ import annotations

from station.i18n import Text, default_lang

_lang = default_lang()


def set_language(lang: str | None) -> None:
    global _lang
    _lang = lang or default_lang()


def language() -> str:
    return _lang


def t(text: Text) -> str:
    return text.get(_lang)
