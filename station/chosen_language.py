"""The window's language as last chosen from its menu (工作站 → 语言 / Language), kept in the data folder when chosen
(Station.choose_lang) and read by every start: a command's, and the window's before its heavy modules are imported,
so that the notice shown while they load already speaks it (it said its first seconds in Chinese to a photographer who
had chosen English)."""

from __future__ import annotations

from pathlib import Path

from station.errors import StationError
from station.i18n import LANGS
from station.paths import start_home
from station.storage.atomic import write_atomic

LANG_FILE = "language.txt"


def chosen_lang(home: Path) -> str | None:
    """The language last chosen for this data home; None: never chosen, or not a language the station speaks."""
    try:
        lang = (home / LANG_FILE).read_text("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return lang if lang in LANGS else None


def keep_lang(home: Path, lang: str) -> bool:
    """`lang` kept for this data home's next start; False: the data folder cannot be written."""
    try:
        write_atomic(home / LANG_FILE, lang.encode("utf-8"))
    except OSError:
        return False
    return True


def start_lang(home: Path, given: str | None) -> str | None:
    """The language a start speaks, the window's and a command's alike: --lang (`given`), else the one last chosen
    in the window's menu; None: the default (Chinese, or $PHOTO_STATION_LANG)."""
    return given or chosen_lang(home)


def window_start_lang(home: str | None, demo: bool, given: str | None) -> str | None:
    """`start_lang` of the data home a window start opens (`--home`, `--demo`), read before the station is; a data
    folder that cannot be used gives the default, and the start then says why."""
    try:
        return start_lang(start_home(home, demo), given)
    except StationError:
        return given
