"""`photo-station --help` and `photo-station-server --help` speak the station's language first: every command's
summary in Chinese."""

from __future__ import annotations

import argparse
import re
import unicodedata

from station.adapters.cli import COMMANDS, build_parser


def _summaries(text: str) -> dict[str, str]:
    """Each command's summary in a --help's command list, its wrapped lines joined."""
    found = re.finditer(r"^    ([a-z-]+)\n?\s+(.+(?:\n {10,}\S.*)*)$", text, re.MULTILINE)
    return {m.group(1): " ".join(m.group(2).split()) for m in found}


def test_every_command_is_summarised_in_chinese_first() -> None:
    text = build_parser(["--help"]).format_help()
    lines = _summaries(text)
    assert set(lines) == set(COMMANDS)
    for name, summary in lines.items():
        assert re.match(r"[\u4e00-\u9fff]", summary), f"{name}: {summary}"  # Chinese first, English after
    assert text.count("毕业生图像采集工作站") == 1 and "演示模式" in text


def test_every_server_command_is_summarised_in_chinese_first() -> None:
    """Seen on the first-run walk: `photo-station-server --help` listed its commands in English only."""
    from station.adapters.server.cli import build_parser as server_parser

    text = server_parser().format_help()
    lines = _summaries(text)
    assert set(lines) == {"init", "add-station", "new-password", "serve", "import-roster", "import-references",
                          "import", "export-chsi"}
    for name, summary in lines.items():
        assert re.match(r"[\u4e00-\u9fff]", summary) and " / " in summary, f"{name}: {summary}"


def test_every_server_command_s_own_help_says_what_it_does_and_every_argument_in_chinese_first() -> None:
    """`photo-station-server add-station --help` had no word of what it does, an unexplained station_id and
    --name, and --url, --port, --to, --include-doubted… in English only (s32 registrar walk)."""
    from station.adapters.server.cli import build_parser as server_parser

    commands = next(a for a in server_parser()._actions if a.dest == "command").choices
    for name, command in commands.items():
        assert command.description and re.match(r"[\u4e00-\u9fff]", command.description), name
        for action in command._actions:
            if action.dest != "help":
                chinese, _, english = (action.help or "").partition(" / ")  # Chinese first, English after
                assert re.search(r"[\u4e00-\u9fff]", chinese) and english, (name, action.dest, action.help)
        text = command.format_help()
        assert text.count(" / ") >= len(command._actions) - 1, text


def _every_parser(parser):
    """A parser and each of its sub-commands' parsers, theirs too (fees pay, …)."""
    yield parser
    for action in parser._actions:
        if action.dest != "help" and isinstance(action.choices, dict):
            for sub in action.choices.values():
                yield from _every_parser(sub)


def test_argparse_s_own_help_line_is_chinese_first_in_every_command_s_help() -> None:
    """`-h, --help  show this help message and exit` stood in English alone in every --help of both commands, under
    each command's Chinese description and arguments (s32 registrar review)."""
    from station.adapters.server.cli import build_parser as server_parser

    parsers = [*_every_parser(build_parser(["--help"])), *_every_parser(server_parser())]
    assert len(parsers) > 30
    for parser in parsers:
        text = parser.format_help()
        assert re.search(r"^  -h, --help +显示本帮助并退出 / show this help message and exit$", text, re.MULTILINE), text
        assert "\noptions:" not in text and "\npositional arguments:" not in text, text
        assert "选项 / options:" in text, text
        assert text.startswith("用法 / usage: "), text  # the usage line's prefix too (s32)


def _chinese_first(text: str | None) -> bool:
    """Chinese, then ` / ` and the English (a description of several paragraphs: each so)."""
    paragraphs = (text or "").split("\n\n")
    for paragraph in paragraphs:
        chinese, said, english = paragraph.partition(" / ")
        if not (re.search(r"[\u4e00-\u9fff]", chinese) and said and re.search(r"[A-Za-z]", english)):
            return False
    return True


def test_every_station_command_s_own_help_says_what_it_does_and_every_argument_in_chinese_first() -> None:
    """`photo-station capture --help`, `fees pay --help`, … described the command and --student, --reason… in
    English alone, and many said nothing of a command or an argument (s32 registrar review): every parser, its
    sub-commands' list and every argument, Chinese first and the English after."""
    parsers = list(_every_parser(build_parser(["--help"])))
    assert len(parsers) == 1 + len(COMMANDS) + 3 + 3 + 4  # roster's, schedule's and fees' own commands
    for parser in parsers:
        assert _chinese_first(parser.description), (parser.prog, parser.description)
        for action in parser._actions:
            if action.dest == "help" or action.help == argparse.SUPPRESS:
                continue
            if isinstance(action, argparse._SubParsersAction):  # the list of its commands
                for choice in action._choices_actions:
                    assert _chinese_first(choice.help), (parser.prog, choice.dest, choice.help)
            else:
                assert _chinese_first(action.help), (parser.prog, action.dest, action.help)


def test_every_help_fits_a_terminal_100_columns_wide(monkeypatch) -> None:
    """A Chinese character takes two columns of a terminal, and argparse counted it as one: at 100 columns a
    Chinese-first help ran past the edge and the terminal cut English words in two (s32 registrar review)."""
    from station.adapters.cli import wrapped
    from station.adapters.server.cli import build_parser as server_parser

    monkeypatch.setenv("COLUMNS", "100")
    columns = lambda line: sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)  # noqa: E731
    for parser in [*_every_parser(build_parser(["--help"])), *_every_parser(server_parser())]:
        for line in parser.format_help().splitlines():
            assert columns(line) <= 100, line
    assert wrapped("显示本帮助并退出（默认：所有班级） / show this help message and exit", 12) == [
        "显示本帮助并", "退出（默认：", "所有班级） /", "show this", "help message", "and exit"]
    assert wrapped("照片（*.jpg）很多", 8) == ["照片", "（*.jpg）", "很多"]


def test_every_argument_is_named_in_capitals_in_the_usage_line() -> None:
    """`schedule set [-h] … class_name slot` showed Python's own names in the usage line, while --help's other
    arguments read FILE, IMAGE, PATH: every positional argument has a metavar in capitals."""
    for parser in _every_parser(build_parser(["--help"])):
        for action in parser._actions:
            if action.option_strings or isinstance(action, argparse._SubParsersAction):
                continue
            shown = action.metavar or action.dest
            assert re.fullmatch(r"[A-Z_|a-z]+", shown) and shown.split("|")[-1].isupper(), (parser.prog, shown)
