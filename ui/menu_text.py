"""Menu entries reached from the keyboard: Alt, the menu's letter, then the entry's.

A photographer whose hands are on the keyboard (and the scanner) opens 名单 with Alt+R; without a letter of their
own, its seven entries were reached only with the arrow keys.
"""

from __future__ import annotations


def accelerated(text: str, key: str) -> str:
    """`text` with `key` as its keyboard letter: marked in the words where they hold it (English), else written
    "(&K)" before a closing "…" (the Chinese convention: 导入名单(&I)…). An "&" of its own (a school's profile named
    "R&D") stays an "&", not a second letter."""
    text = text.replace("&", "&&")
    at = text.lower().find(key.lower())
    if not any(_chinese(c) for c in text) and at >= 0:  # English, even with a × or an en dash in it
        return f"{text[:at]}&{text[at:]}"
    stem, dots = (text[:-1], "…") if text.endswith("…") else (text, "")
    return f"{stem}(&{key.upper()}){dots}"


def _chinese(c: str) -> bool:
    """A CJK character or full-width punctuation (a Chinese label: its letter goes in brackets)."""
    return "\u2e80" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or "\uff00" <= c <= "\uffef"
