"""Bilingual text for everything the station says: Simplified Chinese first, English on request."""

from __future__ import annotations

import os
import string
from dataclasses import dataclass, field

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


WORD_JOINER = "\u2060"  # drawn as nothing; Unicode's line breaking (and Qt's) never breaks beside it


class Name(str):
    """A person's name put into a Text: kept on one line where the text is shown. Chinese wraps between any two
    characters, and "当前学生仍是林 / 晓雯" read as two people (s25 walk); a name cannot be told from the sentence
    around it once filled in, so it is marked where it is put in."""

    def whole(self) -> str:
        return WORD_JOINER.join(self)


@dataclass(frozen=True)
class Text:
    """One message in both languages; format fields are filled with .format(), the English's counts with their
    noun as "{n:student|students}". `shown`: the same message as a screen shows it, each Name put into it kept
    whole (None: no Name in it); the message itself (zh, en: logs, files, the server) has plain names."""

    zh: str
    en: str
    shown: Text | None = field(default=None, compare=False, repr=False)

    def get(self, lang: str | None = None) -> str:
        return self.en if (lang or default_lang()) == "en" else self.zh

    def format(self, **fields: object) -> "Text":
        """A field that is a Text itself is filled in the matching language, a Name kept whole in `shown`."""
        text = self._filled(fields)
        if self.shown is None and not any(isinstance(v, Name) or isinstance(v, Text) and v.shown is not None
                                          for v in fields.values()):
            return text
        whole = {k: v.whole() if isinstance(v, Name) else v.shown or v if isinstance(v, Text) else v
                 for k, v in fields.items()}
        return Text(text.zh, text.en, (self.shown or self)._filled(whole))

    def _filled(self, fields: dict[str, object]) -> "Text":
        return Text(self.zh.format(**{k: v.zh if isinstance(v, Text) else v for k, v in fields.items()}),
                    _COUNTING.format(self.en, **{k: v.en if isinstance(v, Text) else v for k, v in fields.items()}))

    def __str__(self) -> str:
        return self.get()
