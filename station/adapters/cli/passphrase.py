"""The station passphrase at the terminal, asked as the window asks it: chosen and typed twice on the laptop's
first use, typed once afterwards, never asked where the OS keyring or $PHOTO_STATION_PASSPHRASE holds it.

A prompt is printed once; a refusal says what went wrong in words of its own, not the prompt again.
"""

from __future__ import annotations

import getpass
import os
import sys
import warnings

from station.context import Station
from station.errors import StationError
from station.i18n import Text
from station.storage.station_key import (
    ENV_PASSPHRASE, MISMATCH, PassphraseNeed, StationKey, passphrase_need, passphrase_problem, unlock_station_key,
)

FIRST_USE = Text("本机首次使用：请设定工作站口令（至少 8 个字符），照片将用它加密保存。以后每次使用都要输入，请记下并妥善保管。",
                 "First use of this station: choose a station passphrase (8 characters or more); the photos are "
                 "encrypted with it. It is asked at every later use: write it down and keep it safe.")
NEW_PROMPT = Text("设定工作站口令：", "New station passphrase: ")
CONFIRM_PROMPT = Text("再次输入口令：", "Type it again: ")
PROMPT = Text("工作站口令：", "Station passphrase: ")
NO_TERMINAL = Text(f"需要工作站口令：请在终端中运行此命令，或设置环境变量 {ENV_PASSPHRASE}。",
                   f"The station passphrase is needed: run this command in a terminal, or set {ENV_PASSPHRASE}.")


def cli_station_key(station: Station) -> StationKey:
    """The station key for a command that must open or seal photos."""
    need = PassphraseNeed.NONE if os.environ.get(ENV_PASSPHRASE) else passphrase_need(station.home)
    if need is PassphraseNeed.NONE:
        return unlock_station_key(station.home)
    if need is PassphraseNeed.UNLOCK:
        return unlock_station_key(station.home, _ask(PROMPT, station.lang))
    print(FIRST_USE.get(station.lang), file=sys.stderr)
    chosen = _ask(NEW_PROMPT, station.lang)
    problem = passphrase_problem(chosen)
    if problem is not None:
        raise StationError(problem)
    if _ask(CONFIRM_PROMPT, station.lang) != chosen:
        raise StationError(MISMATCH)
    return unlock_station_key(station.home, chosen)


def _ask(prompt: Text, lang: str) -> str:
    """Typed at the terminal, or the line given through a pipe (`echo … | photo-station …`, a scheduled task's
    input): getpass reads the console on Windows and /dev/tty on Linux whenever there is one, never the pipe, so a
    piped passphrase was ignored and the command waited for typing nobody would do."""
    if sys.stdin is not None and not sys.stdin.isatty():
        print(prompt.get(lang), end="", file=sys.stderr, flush=True)
        typed = sys.stdin.readline().rstrip("\r\n")
    else:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", getpass.GetPassWarning)
                typed = getpass.getpass(prompt.get(lang))
        except EOFError:  # the terminal closed
            typed = ""
    if not typed:
        raise StationError(NO_TERMINAL)
    return typed
