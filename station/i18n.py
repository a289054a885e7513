"""Bilingual text for everything the station says: Simplified Chinese first, English on request."""

from __future__ import annotations

import os
import string
from dataclasses import dataclass

LANGS = ("zh", "en")
ENV_LANG = "PHOTO_STATION_LANG"


def default_lang() -> str:
    lang = os.environ.get(ENV_LANG, "zh").lower()[:2]
    return lang if lang in LANGS else "zh"


def real_text(text: str) -> str:
    """`text` with its lone surrogates as U+FFFD: a file name or argument in bytes that were not UTF-8 reaches Python
    as surrogates, which UTF-8 output, SQLite and the audit's hash refuse to encode."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that stands for no byte (from JSON's \ud800, say)
        return text.encode("utf-8", "replace").decode("utf-8")


class _Counting(string.Formatter):
    """str.format, and a count said with its noun: "{n:photo|photos}" is "1 photo", "2 photos" (Chinese has one
    form; English said "1 photos", or hedged "photo(s)")."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" not in format_spec:
            return super().format_field(value, format_spec)
        one, many = format_spec.split("|", 1)
        return f"{value} {one if int(value) == 1 else many}"  # type: ignore[call-overload]


_COUNTING = _Counting()


@dataclass(frozen=True)
class Text:
    """One message in both languages; format fields are filled with .format(), the English's counts with their
    noun as "{n:student|students}"."""

    zh: str
    en: str

    def get(self, lang: str | None = None) -> str:
        return self.en if (lang or default_lang()) == "en" else self.zh

    def format(self, **fields: object) -> "Text":
        """A field that is a Text itself is filled in the matching language."""
        return Text(self.zh.format(**{k: v.zh if isinstance(v, Text) else v for k, v in fields.items()}),
                    _COUNTING.format(self.en, **{k: v.en if isinstance(v, Text) else v for k, v in fields.items()}))

    def __str__(self) -> str:
        return self.get()
