"""The window's language kept in the data folder and read at every start (station/chosen_language.py): what a start
does where the folder cannot be written or used."""

from __future__ import annotations

from pathlib import Path

from station.chosen_language import LANG_FILE, chosen_lang, keep_lang, start_lang, window_start_lang


def test_a_choice_that_cannot_be_kept_says_so_and_the_next_start_keeps_the_default(tmp_path: Path) -> None:
    (tmp_path / LANG_FILE).mkdir()  # in its place something no file can replace
    assert keep_lang(tmp_path, "en") is False  # the window says 下次启动仍用原来的语言
    assert chosen_lang(tmp_path) is None and start_lang(tmp_path, None) is None
    assert start_lang(tmp_path, "zh") == "zh"


def test_a_window_start_reads_the_choice_of_the_folder_it_opens(tmp_path: Path) -> None:
    assert keep_lang(tmp_path, "en") and window_start_lang(str(tmp_path), False, None) == "en"
    assert window_start_lang(str(tmp_path), False, "zh") == "zh"  # --lang wins for its run
    assert window_start_lang(str(tmp_path), True, None) == "en"  # --demo --home opens that folder too
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("x", "utf-8")
    # a data folder that cannot be used: the default, or --lang; the start then says why
    assert window_start_lang(str(not_a_folder), False, None) is None
    assert window_start_lang(str(not_a_folder), False, "en") == "en"
