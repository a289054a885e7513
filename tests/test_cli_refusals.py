"""A command line argparse refuses is said in the station's language (--lang, else the one chosen in the window's menu):
it was always English, "the following arguments are required: file", to a photographer who had chosen 中文. A
mistyped command names every command (a window's start loads none of their modules, and the refusal listed none)."""

from __future__ import annotations

from pathlib import Path

from station.chosen_language import LANG_FILE
from tests.cli import json_lines, run_cli


def test_a_missing_argument_is_said_in_chinese_by_default(tmp_path: Path) -> None:
    result = run_cli("roster", "import", home=tmp_path)
    said = result.stderr.decode("utf-8")
    assert result.returncode == 2, said
    assert said.startswith("用法：photo-station roster import") and "--home HOME" in said
    assert said.rstrip().endswith("photo-station roster import：错误：缺少必需的参数：FILE")


def test_the_language_chosen_in_the_window_or_given_is_the_one_refused_in(tmp_path: Path) -> None:
    (tmp_path / LANG_FILE).write_text("en", encoding="utf-8")  # English chosen from the window's menu
    said = run_cli("roster", "import", home=tmp_path).stderr.decode("utf-8")
    assert said.startswith("usage: photo-station roster import")
    assert said.rstrip().endswith("error: the following arguments are required: FILE")
    said = run_cli("roster", "import", "--lang", "zh", home=tmp_path).stderr.decode("utf-8")  # --lang wins for its run
    assert "缺少必需的参数：FILE" in said


def test_a_mistyped_command_is_told_every_command_in_either_language(tmp_path: Path) -> None:
    said = run_cli("rooster", home=tmp_path).stderr.decode("utf-8")
    assert "参数 COMMAND：无效的选择 'rooster'（可选：'roster', 'schedule'," in said and "'verify'" in said
    said = run_cli("rooster", "--lang", "en", home=tmp_path).stderr.decode("utf-8")
    assert "invalid choice: 'rooster' (choose from 'roster', 'schedule'," in said


def test_with_json_the_refusal_on_stdout_is_in_the_language_too(tmp_path: Path) -> None:
    result = run_cli("check", "--json", "--bogus", "x.jpg", home=tmp_path)
    assert result.returncode == 2
    assert json_lines(result) == [{"error": "failed", "message": "无法识别的参数：--bogus"}]
    assert run_cli("check", "--workers", home=tmp_path).stderr.decode("utf-8").rstrip().endswith(
        "参数 --workers 需要一个值")
