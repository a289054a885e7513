"""Every text file the project's code opens names its encoding.

Without `encoding=`, Python reads and writes text in the locale's encoding: UTF-8 here, but GBK (cp936) on a
Chinese Windows laptop, where a UTF-8 file with a Chinese name in it fails to read or is written unreadable for the
other machines. Linux never shows this, so the code is read for it: open() in text mode, Path.read_text / write_text
and subprocess's text mode, each without an encoding.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("station", "ui", "scripts", "training", "packaging")
MODE_CHARACTERS = set("rwxabt+")
SUBPROCESS_CALLS = {"run", "Popen", "check_output", "check_call", "call"}


def _mode(call: ast.Call, position: int) -> str | None:
    """The call's mode when it is written out as a string, else None."""
    for keyword in call.keywords:
        if keyword.arg == "mode":
            return keyword.value.value if isinstance(keyword.value, ast.Constant) else None
    if len(call.args) > position and isinstance(call.args[position], ast.Constant):
        value = call.args[position].value
        return value if isinstance(value, str) and value and set(value) <= MODE_CHARACTERS else None
    return None


def _without_encoding(call: ast.Call) -> str | None:
    """What kind of text opening this call is, when it names no encoding."""
    keywords = {keyword.arg for keyword in call.keywords}
    if "encoding" in keywords:
        return None
    func = call.func
    if isinstance(func, ast.Name) and func.id == "open":  # open(file, mode="r", buffering, encoding)
        mode = _mode(call, 1)
        explicit = len(call.args) > 1 or "mode" in keywords
        if len(call.args) < 4 and (not explicit or (mode is not None and "b" not in mode)):
            return "open() in text mode"
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr == "open":  # Path.open(mode, buffering, encoding): only when a text mode is written out
        mode = _mode(call, 0)
        if mode is not None and "b" not in mode and len(call.args) < 3:
            return "Path.open() in text mode"
    if func.attr == "read_text" and not call.args:
        return "read_text()"
    if func.attr == "write_text" and len(call.args) < 2:
        return "write_text()"
    if func.attr in SUBPROCESS_CALLS and keywords & {"text", "universal_newlines"}:
        return f"subprocess.{func.attr}(text=True)"
    return None


def test_text_files_are_opened_with_their_encoding() -> None:
    found = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and (kind := _without_encoding(node)):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {kind} without encoding=")
    assert not found, "\n".join(found)


def test_the_reading_catches_what_windows_would_break_on() -> None:
    calls = {
        'open(p)': True, 'open(p, "w")': True, 'open(p, "rb")': False, 'open(p, "w", encoding="utf-8")': False,
        'open(p, mode)': False, 'p.read_text()': True, 'p.read_text("utf-8")': False,
        'p.write_text(s)': True, 'p.write_text(s, "utf-8")': False, 'p.open("a")': True, 'p.open("rb")': False,
        'Image.open(p)': False, 'zip.open("names.txt")': False,
        'subprocess.run(a, text=True)': True, 'subprocess.run(a, text=True, encoding="utf-8")': False,
        'subprocess.run(a, capture_output=True)': False,
    }
    seen = {code: _without_encoding(ast.parse(code).body[0].value) is not None for code in calls}
    assert seen == calls
