"""`photo-station --help` and `photo-station-server --help` speak the station's language first: every command's
summary in Chinese."""

from __future__ import annotations

import re

from station.adapters.cli import COMMANDS, build_parser


def test_every_command_is_summarised_in_chinese_first() -> None:
    text = build_parser(["--help"]).format_help()
    lines = {m.group(1): m.group(2) for m in re.finditer(r"^    ([a-z-]+)\s+(.+)$", text, re.MULTILINE)}
    assert set(lines) == set(COMMANDS)
    for name, summary in lines.items():
        assert re.match(r"[\u4e00-\u9fff]", summary), f"{name}: {summary}"  # Chinese first, English after
    assert text.count("毕业生图像采集工作站") == 1 and "演示模式" in text


def test_every_server_command_is_summarised_in_chinese_first() -> None:
    """Seen on the first-run walk: `photo-station-server --help` listed its commands in English only."""
    from station.adapters.server.cli import build_parser as server_parser

    text = server_parser().format_help()
    lines = {m.group(1): m.group(2) for m in re.finditer(r"^    ([a-z-]+)\n?\s+(.+)$", text, re.MULTILINE)}
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
