"""A command speaks the language chosen in the window's menu (工作站 → 语言 / Language, kept as language.txt in the
data folder), as the window's next start does: over $PHOTO_STATION_LANG, and --lang still wins for its run. Before,
a photographer who had switched the window to English got the commands' answers and refusals in Chinese."""

from __future__ import annotations

import json
from pathlib import Path

from station.context import Station
from ui.launcher import main


def test_a_command_speaks_the_language_chosen_in_the_window_unless_lang_says_otherwise(home: Path, capsys) -> None:
    Station.open(home).choose_lang("en")  # $PHOTO_STATION_LANG says zh (tests/conftest.py)
    assert main(["fees", "settings", "--home", str(home)]) == 0
    assert capsys.readouterr().out == "Price per set: 20.00 yuan; payment before the shutter: off\n"
    assert main(["fees", "pay", "--method", "cash", "--json", "--home", str(home)]) == 2  # a refusal too
    assert json.loads(capsys.readouterr().out)["message"] == "Give one student number or --class CLASS (not both)"
    assert main(["fees", "settings", "--lang", "zh", "--home", str(home)]) == 0
    assert capsys.readouterr().out == "每套价格 20.00 元；拍照前须缴费：否\n"
    (home / "language.txt").write_text("fr", "utf-8")  # not a language the station speaks: the default
    assert main(["fees", "settings", "--home", str(home)]) == 0
    assert capsys.readouterr().out == "每套价格 20.00 元；拍照前须缴费：否\n"
