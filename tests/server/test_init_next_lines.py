"""The "next" lines `init` prints, pasted as they are: the --home they name must reach the program as that folder.

On Windows the line is read by PowerShell (the terminal's default) or cmd, and then by the program's own argv rule
(CommandLineToArgvW's, which Python's C runtime follows): a backslash before a closing quote escapes it. A share root
`\\\\srv\\my share` is printed by pathlib with its closing backslash, and `--home "\\\\srv\\my share\\"` ran on to the
end of the line as one argument. PowerShell expands `$data` inside double quotes (and a bare word): `D:\\$data\\srv`
became `D:\\\\srv`. Neither shell can run here, so both are written out below, to their documented rules: PowerShell
5.1 (which puts a value with a space in double quotes as it is, and nothing more) and 7.3 and later (which quotes
each value properly), and cmd (which hands the line over as typed). On POSIX the real shell reads the line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path, PureWindowsPath

import pytest

from station.adapters.server import cli

BIN = Path(sys.executable).parent
SINGLE, DOUBLE = "'\u2018\u2019\u201a\u201b", '"\u201c\u201d\u201e'  # the quotes PowerShell reads as its own
VARIABLES = {"data": "C:\\elsewhere"}  # PowerShell's variables: an undefined one is ""


def _split(line: str, word: Callable[[str, int], tuple[str, int]]) -> list[str]:
    """The values of a command line's words, each read by `word(line, start)` as (value, where it ends)."""
    values, i, n = [], 0, len(line)
    while True:
        while i < n and line[i] in " \t":
            i += 1
        if i >= n:
            return values
        value, i = word(line, i)
        values.append(value)


def windows_argv(line: str) -> list[str]:
    """The arguments of a command line as CommandLineToArgvW and the C runtime read them."""
    return _split(line, _windows_word)


def _windows_word(line: str, i: int) -> tuple[str, int]:
    arg, quoted, n = [], False, len(line)
    while i < n and (quoted or line[i] not in " \t"):
        if line[i] == "\\":
            j = i
            while j < n and line[j] == "\\":
                j += 1
            if j < n and line[j] == '"':  # 2k backslashes and a quote: k and the quote's meaning; 2k+1: k and "
                arg.append("\\" * ((j - i) // 2))
                if (j - i) % 2:
                    arg.append('"')
                    j += 1
            else:
                arg.append("\\" * (j - i))
            i = j
        elif line[i] == '"':
            if quoted and line[i + 1:i + 2] == '"':
                arg.append('"')
                i += 2
            else:
                quoted = not quoted
                i += 1
        else:
            arg.append(line[i])
            i += 1
    return "".join(arg), i


def _variable(line: str, i: int) -> tuple[str, int]:
    """PowerShell's $name at line[i] (the $): its value and where it ends; ${…}, $(…), $$, $? and $^ its own (none
    set here: ""); a $ before anything else is a $."""
    if line[i + 1:i + 2] in ("{", "("):
        return "", line.index("})"[line[i + 1] == "("], i) + 1
    if line[i + 1:i + 2] in ("$", "?", "^"):
        return "", i + 2
    j = i + 1
    while j < len(line) and (line[j].isalnum() or line[j] in "_:"):
        j += 1
    return (VARIABLES.get(line[i + 1:j], ""), j) if j > i + 1 else ("$", i + 1)


def _quoted(line: str, i: int, quotes: str, expands: bool) -> tuple[str, int]:
    """The value of a quoted run whose opening quote is line[i - 1] and where it ends: a quote doubled is one; inside
    double quotes (`expands`) ` escapes the next character and $name is expanded."""
    value, n = [], len(line)
    while i < n:
        if line[i] in quotes:
            if line[i + 1:i + 2] and line[i + 1] in quotes:
                value.append(line[i + 1])
                i += 2
                continue
            return "".join(value), i + 1
        if expands and line[i] == "`" and i + 1 < n:
            value.append(line[i + 1])
            i += 2
        elif expands and line[i] == "$":
            said, i = _variable(line, i)
            value.append(said)
        else:
            value.append(line[i])
            i += 1
    return "".join(value), i


def powershell_values(line: str) -> list[str]:
    """The values PowerShell makes of a native command's arguments: single quotes literal (a quote doubled is one),
    double quotes and bare words with $name expanded and ` escaping the next character."""
    return _split(line, _powershell_word)


def _powershell_word(line: str, i: int) -> tuple[str, int]:
    value, n = [], len(line)
    while i < n and line[i] not in " \t":
        c = line[i]
        if c in SINGLE or c in DOUBLE:
            said, i = _quoted(line, i + 1, SINGLE if c in SINGLE else DOUBLE, expands=c in DOUBLE)
            value.append(said)
        elif c == "`" and i + 1 < n:
            value.append(line[i + 1])
            i += 2
        elif c == "$":
            said, i = _variable(line, i)
            value.append(said)
        else:
            value.append(c)
            i += 1
    return "".join(value), i


def powershell_51(line: str) -> list[str]:
    """Windows PowerShell 5.1 (and 7.0-7.2): each value with a space is put in double quotes as it is."""
    return windows_argv(" ".join(f'"{v}"' if " " in v or "\t" in v else v for v in powershell_values(line)))


def powershell_73(line: str) -> list[str]:
    """PowerShell 7.3 and later ($PSNativeCommandArgumentPassing): the program gets the values themselves."""
    return powershell_values(line)


WINDOWS_HOMES = [
    PureWindowsPath(r"\\srv\my share"),  # str() keeps the share root's closing backslash
    PureWindowsPath(r"\\srv\毕业 照片$"),  # a hidden share, with a space
    PureWindowsPath(r"\\srv\d$"),
    PureWindowsPath(r"\\srv\d$\照片"),
    PureWindowsPath(r"D:\100$ 服务器"),
    PureWindowsPath(r"D:\${x} srv"),
    PureWindowsPath(r"D:\$(x)"),
    PureWindowsPath(r"D:\a$$"),
    PureWindowsPath(r"D:\$data\srv"),
    PureWindowsPath(r"D:\$data\my srv"),
    PureWindowsPath(r"D:\学校 服务器"),
    PureWindowsPath(r"D:\O'Brien 的 服务器"),
    PureWindowsPath(r"D:\“毕业照” 服务器"),
    PureWindowsPath(r"D:\a`b c"),
    PureWindowsPath("D:\\"),
    PureWindowsPath(r"C:\Users\王老师\AppData\Local\photo-station-server"),
]


@pytest.mark.parametrize("home", WINDOWS_HOMES, ids=str)
def test_a_windows_home_reaches_the_program_as_that_folder(home: PureWindowsPath,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "WINDOWS", True)
    word = cli._word(str(home))
    line = f"photo-station-server import-roster --home {word} 名单.xlsx"
    shells = {"PowerShell 5.1": powershell_51, "PowerShell 7.3": powershell_73}
    if not cli.for_powershell(word):
        shells["cmd"] = windows_argv
    for shell, read in shells.items():
        argv = read(line)
        assert len(argv) == 5 and argv[4] == "名单.xlsx", (shell, word, argv)
        assert PureWindowsPath(argv[3]) == home, (shell, word, argv[3])


def test_a_line_only_powershell_reads_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "WINDOWS", True)
    home = tmp_path / "$data srv"
    assert cli.main(["--home", str(home), "init"]) == 0
    lines = capsys.readouterr().out.splitlines()
    serve = next(line for line in lines if "photo-station-server serve" in line).split(": ", 2)[-1]
    assert powershell_51(serve)[2:] == ["--home", str(home)] and powershell_73(serve)[2:] == ["--home", str(home)]
    assert "写给 PowerShell" in lines[-1] and "cmd" in lines[-1]
    plain = tmp_path / "学校 服务器"
    assert cli.main(["--home", str(plain), "init", "--lang", "en"]) == 0
    said = capsys.readouterr().out
    assert f'--home "{plain}"' in said and "PowerShell" not in said


@pytest.mark.skipif(os.name == "nt", reason="the POSIX shell")
def test_the_posix_shell_reads_the_lines_as_the_folder(tmp_path: Path) -> None:
    """$HOME, `id` and a backslash inside double quotes are the shell's: the folder below was another one."""
    home = tmp_path / "学校 $HOME `id` \\n 'x' 服务器"
    init = subprocess.run([str(BIN / "photo-station-server"), "--home", str(home), "init"], capture_output=True,
                          text=True, timeout=60, check=True).stdout
    steps = [line.split("photo-station-server ", 1)[1] for line in init.splitlines() if "photo-station-server " in line]
    assert len(steps) == 3, init
    for step in steps:
        pasted = step.replace("<名单.xlsx>", "名单.xlsx").replace("<工作站编号>", "S01").replace("<本机地址>", "127.0.0.1")
        read = subprocess.run(["sh", "-c", f"set -- {pasted}; printf '%s\\0' \"$@\""], capture_output=True,
                              text=True, timeout=10, check=True).stdout.split("\0")[:-1]
        assert read[read.index("--home") + 1] == str(home), (step, read)
