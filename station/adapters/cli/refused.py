"""A command line argparse refuses, said in the station's language: argparse words its refusals in English, and a
photographer who chose 中文 in the window read "the following arguments are required" (s30 review). The language is
found as a command that parses finds it (--lang, else the one chosen in the window's menu), from the arguments argparse
could not take whole."""

from __future__ import annotations

import argparse
import re

from station.chosen_language import window_start_lang
from station.i18n import LANGS, default_lang

# argparse's own messages (Python 3.11), each as a pattern and its Chinese; the argument names and values stay as typed
CHINESE = (
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"one of the arguments (.*) is required", r"需要以下参数之一：\1"),
    (r"ambiguous option: (\S+) could match (.*)", r"选项 \1 不明确，可能是：\2"),
    (r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)", r"参数 \1：无效的选择 \2（可选：\3）"),
    (r"argument (\S+): expected one argument", r"参数 \1 需要一个值"),
    (r"argument (\S+): expected at least one argument", r"参数 \1 至少需要一个值"),
    (r"argument (\S+): expected (\d+) arguments?", r"参数 \1 需要 \2 个值"),
    (r"argument (\S+): invalid \S+ value: (.*)", r"参数 \1：无效的值 \2"),
    (r"argument (\S+): not allowed with argument (\S+)", r"参数 \1 不能与 \2 同时使用"),
    (r"argument (\S+): ignored explicit argument (.*)", r"参数 \1 不接受值 \2"),
)
USAGE = {"zh": "用法：", "en": "usage: "}
ERROR = {"zh": "{prog}：错误：{message}\n", "en": "{prog}: error: {message}\n"}


def refusal_lang(argv: list[str]) -> str:
    """The language to refuse `argv` in: its --lang, else the one chosen in the window for its data home."""
    given = argparse.ArgumentParser(add_help=False)
    given.add_argument("--home")
    given.add_argument("--lang", choices=LANGS)
    given.add_argument("--demo", action="store_true")
    try:
        known = given.parse_known_args(argv)[0]
    except SystemExit:  # --lang with a language the station does not speak (that is what is refused)
        return default_lang()
    return window_start_lang(known.home, known.demo, known.lang) or default_lang()


def said_in(lang: str, message: str) -> str:
    """argparse's `message` in `lang`; one of the station's own (already in both languages) is left as it is."""
    if lang != "zh":
        return message
    for pattern, chinese in CHINESE:
        if re.fullmatch(pattern, message, re.DOTALL):
            return re.sub(pattern, chinese, message, flags=re.DOTALL)
    return message


def say_refusal(parser: argparse.ArgumentParser, message: str, lang: str) -> str:
    """What the terminal is told (usage, then the refusal), returned for the caller to exit with."""
    formatter = parser._get_formatter()  # the usage with `lang`'s prefix, its lines lined up under it
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups, USAGE[lang])
    return formatter.format_help() + ERROR[lang].format(prog=parser.prog, message=said_in(lang, message))
