"""A file without the columns the station looks for says, in English, which headers it takes: the Chinese ones a
school's file has, each kept whole where the message wraps, and the English ones the station takes as well. The
English refusal named only the Chinese (student number (学号)…), and the window's box broke it inside 学号 (s33 English
walk: "(学 / 号)")."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.context import Station
from station.errors import StationError
from station.i18n import WORD_JOINER, Text
from station.identity.references import photo_column
from station.roster.importer import import_roster
from station.roster.schedule import import_schedule
from tests.roster.test_import import write_csv


def refusal(read, path: Path) -> Text:
    with pytest.raises(StationError) as caught:
        read(path)
    return caught.value.text


def kept_whole(text: Text, words: list[str]) -> None:
    """Each Chinese header is one unbreakable word where the window shows the message, in both languages."""
    assert text.shown is not None
    for word in words:
        assert WORD_JOINER.join(word) in text.shown.en and WORD_JOINER.join(word) in text.shown.zh
        assert word in text.en and word in text.zh  # the message itself (logs, the command line) plain


def test_the_roster_names_its_english_headers_too(station: Station, tmp_path: Path) -> None:
    said = refusal(lambda p: import_roster(station.db, p), write_csv(tmp_path / "list.csv", [["No", "Who"], ["1", "A"]],
                                                                     "utf-8"))
    assert "Student No., Name and Class" in said.en
    kept_whole(said, ["学号", "姓名", "班级"])
    assert said.zh == "名单中找不到表头：表头需包含“学号”“姓名”“班级”这几列"
    english = write_csv(tmp_path / "english.csv", [["Student No.", "Name", "Class"], ["20219999", "Tom Smith", "Ex 1"]],
                        "utf-8")
    assert import_roster(station.db, english).imported == 1  # as the message says


def test_the_schedule_names_its_english_headers_too(station: Station, tmp_path: Path) -> None:
    said = refusal(lambda p: import_schedule(station.db, p), write_csv(tmp_path / "s.csv", [["Who"], ["A"]], "utf-8"))
    assert "Class, Date and Time" in said.en
    kept_whole(said, ["班级", "日期", "时间"])
    import_roster(station.db, write_csv(tmp_path / "r.csv", [["学号", "姓名", "班级"], ["2021001", "张三", "计科2101"]],
                                        "utf-8"))
    english = write_csv(tmp_path / "english.csv", [["Class", "Date", "Time"], ["计科2101", "2026-12-08", "09:00-10:00"]],
                        "utf-8")
    assert import_schedule(station.db, english).slots == 1


def test_the_photo_column_names_its_english_headers_too(tmp_path: Path) -> None:
    said = refusal(photo_column, write_csv(tmp_path / "photos.csv", [["Who", "File"], ["A", "a.jpg"]], "utf-8"))
    assert "Student No. and Photo" in said.en
    kept_whole(said, ["学号", "照片"])
    english = write_csv(tmp_path / "english.csv", [["Student No.", "Photo"], ["2021001", "a.jpg"]], "utf-8")
    assert photo_column(english).cells == ((("a.jpg",), "2021001"),)
