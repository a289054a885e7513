"""The `photo-station` command line: one sub-command module per capability.

Each module in COMMANDS exposes `register(subparsers, common)`, adding the parser named
by its key with `parents=[common]` and `set_defaults(func=handler)`; a handler takes the
parsed arguments and returns the exit code. Only the module of the command being run is
imported (all of them for --help), so `lookup` does not pay for mediapipe's start-up.
"""

from __future__ import annotations

import argparse
import errno
import glob
import importlib
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NoReturn

from station.i18n import LANGS, Text, real_text

COMMANDS: dict[str, str] = {
    "roster": "station.adapters.cli.roster",
    "schedule": "station.adapters.cli.schedule",
    "lookup": "station.adapters.cli.lookup",
    "idcard": "station.adapters.cli.idcard",
    "codes": "station.adapters.cli.codes",
    "print-sheet": "station.adapters.cli.print_sheet",
    "report": "station.adapters.cli.report",
    "crop": "station.adapters.cli.crop",
    "capture": "station.adapters.cli.capture",
    "check": "station.adapters.cli.check",
    "server-config": "station.adapters.cli.server_config",
    "queue": "station.adapters.cli.queue",
    "export": "station.adapters.cli.export",
    "verify": "station.adapters.cli.verify",
    "profiles": "station.adapters.cli.profiles",
    "audit": "station.adapters.cli.audit",
    "fees": "station.adapters.cli.fees",
}

# The command list in Chinese first (the photographers' and registrars' language); a command's own help follows.
SUMMARIES_ZH: dict[str, str] = {
    "roster": "学生名单：导入、参考照片、按班级列出",
    "schedule": "各班拍摄时段",
    "lookup": "按采集码、回执、学号或身份证号查找学生",
    "idcard": "用居民身份证识别学生（读卡器或照片）",
    "codes": "打印各班学生的二维码回执",
    "print-sheet": "打印 2 寸照片（每人 8 张）的 PDF",
    "report": "当天与各班的报表（已拍、缺席、未拍名单、人工放行、每小时人数）",
    "crop": "把照片裁剪为学信网格式（480x640）",
    "capture": "把一张照片（如联机相机拍的）经全部检查后存为学生照片",
    "check": "按学信网要求逐项检查照片",
    "server-config": "设置或查看服务器地址、工作站编号、令牌和服务器公钥",
    "queue": "上传队列：查看、重试失败的上传、立即发送",
    "export": "把上传队列导出到文件夹（U盘），供服务器导入",
    "verify": "比对两张照片是否为同一人",
    "profiles": "输出规格（照片尺寸、文件大小、头部位置）：列出或选择",
    "audit": "操作记录：校验哈希链或导出",
    "fees": "收费：登记缴费、退款、报表、价格",
}

INTERRUPTED = Text("已中断（Ctrl+C）", "interrupted (Ctrl+C)")
BROKEN_PIPE = 141  # as a Unix tool stopped by SIGPIPE exits
DISK_FULL = Text("磁盘空间不足，命令没有做完（输出没有写完）：请清理磁盘后重试",
                 "the disk is full: the command did not finish (its output is incomplete); free some space and retry")
DISK_FULL_EXIT = 3  # as a StationError for a full disk
MAX_WORKERS = 16
BAD_WORKERS = Text("--workers 必须是 1–16 之间的整数：{value}", "--workers must be a whole number from 1 to 16: {value}")
EMPTY_FOLDER = Text("文件夹参数是空的：请写出文件夹路径（当前文件夹请写 .）",
                    "the folder is empty: give its path (. for the current folder)")
EMPTY_PATH = Text("文件或文件夹参数是空的：请写出路径（当前文件夹请写 .）",
                  "a file or folder argument is empty: give its path (. for the current folder)")


class _ChineseFirst:
    """The sub-parsers as the command modules see them: each command's help is put after its Chinese summary."""

    def __init__(self, subparsers: argparse._SubParsersAction) -> None:
        self._subparsers = subparsers

    def add_parser(self, name: str, **kwargs: object) -> argparse.ArgumentParser:
        zh = SUMMARIES_ZH.get(name)
        english = " / ".join(part for part in str(kwargs.get("help", "")).split(" / ") if not _has_chinese(part))
        if zh:
            kwargs["help"] = f"{zh} / {english}" if english else zh
        return self._subparsers.add_parser(name, **kwargs)


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


class _Refused(Exception):
    """An argument argparse refuses, raised to parse_args (which says it) instead of ending the program there."""

    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.parser = parser
        self.message = message


HELP_SAID = "显示本帮助并退出 / show this help message and exit"
USAGE_SAID = "用法 / usage: "  # argparse's prefix of the usage line, atop every --help
SECTIONS = {"positional arguments": "位置参数 / positional arguments", "options": "选项 / options"}


_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’"
_TOKENS = re.compile(rf"(\s*)([{_CJK}]|[^\s{_CJK}]+)")
_CHINESE = re.compile(rf"[{_CJK}]{{2}}")  # two Chinese characters: a line may break between them
_NO_LINE_START = set("，。、；：？！）》」』”’")  # kept on the line of what they close or end
_NO_LINE_END = set("（《「『“‘")  # kept on the line of what they open


def _columns(text: str) -> int:
    """How many columns a terminal gives text: two for a Chinese character or a full-width mark."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrapped(text: str, width: int) -> list[str]:
    """text's lines of at most `width` terminal columns. argparse's textwrap counts a Chinese character as one column
    and breaks only at spaces: at 100 columns a Chinese-first help ran past the edge and the terminal cut an English
    word in two. A line breaks at a space or between two Chinese characters (软件2101 and 照片（*.jpg） stay whole),
    never before a closing mark nor after an opening one; a word wider than the line keeps a line of its own."""
    units: list[tuple[str, str]] = []  # (the space before, the unit)
    for space, token in _TOKENS.findall(" ".join(text.split())):
        if units and not space and (token[0] in _NO_LINE_START or units[-1][1][-1] in _NO_LINE_END
                                    or not _CHINESE.match(units[-1][1][-1] + token[0])):
            units[-1] = (units[-1][0], units[-1][1] + token)
        else:
            units.append((space and " ", token))
    lines: list[str] = []
    for space, unit in units:
        if lines and _columns(lines[-1] + space + unit) <= width:
            lines[-1] += space + unit
        else:
            lines.append(unit)
    return lines


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help, wrapped as a terminal shows Chinese (see `wrapped`), a description's paragraphs (apart by a
    blank line) each on its own."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, USAGE_SAID if prefix is None else prefix)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrapped(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = (wrapped(part, width - len(indent)) for part in text.split("\n\n"))
        return "\n\n".join("\n".join(indent + line for line in lines) for lines in paragraphs)


class _Commands(argparse._SubParsersAction):
    """A parser's sub-commands: one given no description of its own is described, atop its `--help`, by its line
    in the command list (Chinese first, English after); `photo-station fees pay --help` said nothing of paying."""

    def add_parser(self, name: str, **kwargs: object) -> argparse.ArgumentParser:
        kwargs.setdefault("description", kwargs.get("help"))
        return super().add_parser(name, **kwargs)  # type: ignore[arg-type]


class ChineseFirstParser(argparse.ArgumentParser):
    """argparse's parser with argparse's own words in its help Chinese first, as every command's and argument's are:
    its -h line was English alone in every `--help` (s32 registrar review). Every sub-command's parser is of the same
    class (add_subparsers makes them so): photo-station's and photo-station-server's, and their sub-commands'."""

    def __init__(self, *args: object, parents: Iterable[argparse.ArgumentParser] = (), add_help: bool = True,
                 **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)  # type: ignore[arg-type]
        self.register("action", "parsers", _Commands)
        if add_help:  # first, as argparse puts its own
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP_SAID)
        for parent in parents:  # as argparse adds them (their sections matched by the English titles)
            self._add_container_actions(parent)
            self._defaults.update(getattr(parent, "_defaults", {}))
        for group in self._action_groups:
            group.title = SECTIONS.get(group.title or "", group.title)


class _Parser(ChineseFirstParser):
    """argparse's parser, every sub-command's too (add_subparsers makes them of the same class)."""

    def error(self, message: str) -> NoReturn:
        raise _Refused(self, message)


def _common_options() -> argparse.ArgumentParser:
    # SUPPRESS keeps a sub-command's unset option from overwriting the same option given before it.
    # The actions are shared with every sub-parser: never set_defaults() on them (parse_args fills them).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", default=argparse.SUPPRESS,
                        help="数据文件夹（默认：环境变量 PHOTO_STATION_HOME 所指的文件夹，或本用户的数据文件夹） / data "
                             "folder (default: $PHOTO_STATION_HOME or the per-user data dir)")
    common.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS,
                        help="提示语言：zh 中文（默认）或 en 英文 / language of messages: zh (default) or en")
    return common


def whole_number(value: str, low: int, high: int, message: Text) -> int:
    """An argparse type: a whole number in [low, high], else both languages' message (not a traceback)."""
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        text = message.format(value=value)
        raise argparse.ArgumentTypeError(f"{text.zh} / {text.en}")
    return number


def workers_argument(value: str) -> int:
    """--workers of check and verify: each worker loads its own models (a few hundred MB), so a number meant for
    another machine, or a typo of 100, is refused rather than filling the memory."""
    return whole_number(value, 1, MAX_WORKERS, BAD_WORKERS)


def folder_argument(text: str) -> Path:
    """The type of an argument naming an output folder: an empty one (an unset variable in a script) is refused,
    never taken for the current folder, where a USB export or the crops would land unseen."""
    return _home_expanded(_given(text, EMPTY_FOLDER))


def path_argument(text: str) -> Path:
    """The type of an argument naming a file or folder to read: an empty one is refused as above, never taken for
    the current folder, whose every photo `check` or `roster photos` would then read."""
    return _home_expanded(path_as_written(text))


def _home_expanded(text: str) -> Path:
    """A leading ~ as a POSIX shell expands it, where cmd, PowerShell or a script's argument list hand it over
    (`--out "~/crops"` made a folder named ~ in the current one), and %NAME% as cmd does, where PowerShell hands it
    over (station.paths.windows_variables), unless a file is named so."""
    from station.paths import exists, typed_path

    return Path(text) if exists(text) else typed_path(text)


def path_as_written(text: str) -> str:
    """As path_argument, but the text as typed: `check` and `verify` print each image's path as the user or a
    script gave it (a script looks its own ./photos/a.jpg up in the output, which Path would print photos/a.jpg)."""
    return _given(text, EMPTY_PATH)


def _given(text: str, empty: Text) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError(f"{empty.zh} / {empty.en}")
    return text


def matching_names(given: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """Each path as given; one no file is named, as a POSIX shell would have expanded it where Windows' cmd and
    PowerShell (or a script's argument list) hand it over as written: a pattern (photos\\*.jpg) stands for the files
    it matches, sorted, a leading ~ for the user's home folder, %NAME% for the variable's value; else it stays
    itself (and is said to be missing)."""
    from station.paths import exists, windows_variables

    for pattern in map(os.fspath, given):
        matches = [] if exists(pattern) else sorted(glob.glob(os.path.expanduser(windows_variables(pattern))),
                                                    key=Path)
        yield from matches or [pattern]


def matching_paths(given: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """matching_names as paths."""
    return map(Path, matching_names(given))


def _modules_for(argv: list[str], every: bool = False) -> list[str]:
    """The module of the first command named in argv; every module when none is (for --help) or `every`."""
    named = next((a for a in argv if a in COMMANDS), None)
    if named is not None:
        return [COMMANDS[named]]
    return list(COMMANDS.values()) if every or any(a in ("-h", "--help") for a in argv) else []


def build_parser(argv: list[str] | None = None, every: bool = False) -> argparse.ArgumentParser:
    common = _common_options()
    parser = _Parser(
        prog="photo-station",
        description="毕业生图像采集工作站：不带命令时打开工作站窗口。 / Graduation photo capture station: "
        "without a command it opens the station window.",
        parents=[common],
    )
    parser.add_argument("--demo", action="store_true",
                        help="演示模式：示例名单和示例照片 / open the station with the bundled sample roster and a "
                             "file-backed camera")
    parser.add_argument("--camera", default=None,
                        help="相机编号，或当作相机播放的图片文件夹或视频 / camera index, or a folder of images or a "
                             "video file to play as the camera")
    parser.add_argument("--operator", default=None, help="摄影师姓名（未给出时启动时询问） / photographer's name (asked at start when not given)")
    parser.add_argument("--idcard-reader", default=None, metavar="PORT",
                        help="身份证读卡器的串口（COM3、/dev/ttyUSB0），auto 为自动查找 / a resident-ID-card chip reader on "
                             "this serial port, or 'auto' to find it")
    parser.add_argument("--tether", default=None, metavar="DIR",
                        help="联机相机的文件夹（EOS Utility、digiCamControl、gphoto2）：每张新 JPEG 即当前学生的照片 / "
                             "a tethered camera's folder: each new JPEG there is the shutter frame for the student on "
                             "the card")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _modules_for(sys.argv[1:] if argv is None else argv, every):
        importlib.import_module(name).register(_ChineseFirst(subparsers), common)
    return parser


# Arguments that name files or devices, kept as given: a name in bytes that are not UTF-8 still opens its file.
FILE_ARGUMENTS = frozenset({"home", "paths", "images", "targets", "public_key", "port", "camera", "tether",
                            "idcard_reader"})


def _parsed(argv: list[str] | None) -> argparse.Namespace:
    try:
        return build_parser(argv).parse_args(argv)
    except _Refused as refused:
        if not refused.message.endswith("(choose from )"):
            raise
        # a mistyped command: only the modules of commands named were loaded (a window's start loads none), so the
        # refusal listed no command; refused again with them all
        return build_parser(argv, every=True).parse_args(argv)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parsed arguments with --home and --lang always present (None when not given). Text that is not a file name
    (an operator, a reason, a class) typed in a console whose bytes are not UTF-8 reaches Python as lone
    surrogates, which SQLite and every file write refuse: it gets U+FFFD in their place."""
    given = sys.argv[1:] if argv is None else argv
    try:
        args = _parsed(argv)
    except _Refused as refused:  # as argparse says it (usage, then the error: exit 2), and with --json on stdout too
        from station.adapters.cli.refused import refusal_lang, said_in, say_refusal

        lang = refusal_lang(given)
        if "--json" in given:
            from station.adapters.cli.output import print_json

            print_json({"error": "failed", "message": said_in(lang, refused.message)})
        refused.parser.exit(2, say_refusal(refused.parser, refused.message, lang))
    for name in ("home", "lang"):
        if not hasattr(args, name):
            setattr(args, name, None)
    for name, value in vars(args).items():
        if name in FILE_ARGUMENTS:
            continue
        if isinstance(value, str):
            setattr(args, name, real_text(value))
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            setattr(args, name, [real_text(v) for v in value])
    return args


def run(args: argparse.Namespace) -> int:
    """Run a parsed sub-command; failures the user can act on are printed, not raised (with --json also on stdout:
    {"error": code, "message"}, so a script never reads an empty line)."""
    from station.adapters.cli.output import print_json, replace_what_the_console_cannot_show
    from station.chosen_language import start_lang
    from station.errors import StationError
    from station.logs import log_to_file
    from station.paths import data_home

    replace_what_the_console_cannot_show()
    try:
        # the technical detail behind what a command says (SQLite's, the OS's, a library's words) goes to the data
        # home's log, as the window's does, not to the terminal
        home = data_home(args.home)
        log_to_file(home)
        args.lang = start_lang(home, args.lang)  # as the window: the language chosen in its menu
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # here, where a closed pipe or a full disk is said, not in the interpreter's exit
        return code
    except StationError as exc:
        if getattr(args, "json", False):  # scripts read stdout: the reason is there too, as one JSON object
            print_json({"error": exc.code, "message": exc.text.get(args.lang)})
        print(exc.text.get(args.lang), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:  # Ctrl+C: what was printed stands (whole lines), and the user is told it stopped
        print(INTERRUPTED.get(args.lang), file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): the rest is not wanted, and no traceback says so
        _stdout_to_nowhere()
        return BROKEN_PIPE
    except OSError as exc:  # what the commands write themselves is said where it fails; this is the output
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):  # (`> results.jsonl` on a full disk)
            raise
        print(DISK_FULL.get(args.lang), file=sys.stderr)
        return DISK_FULL_EXIT


def _stdout_to_nowhere() -> None:
    """Point stdout at the null device, so the interpreter's own flush at exit does not fail on the closed pipe."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # no real descriptor behind stdout (tests capture it): nothing will flush there
        pass
