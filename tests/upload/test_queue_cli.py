"""`photo-station queue` and `export` at a terminal, as the window asks: the passphrase chosen and typed twice on
first use, typed once later, asked only when there is something to open, and each refusal said once."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from station.storage.station_key import key_file
from tests.cli import SCRIPT


def _run(home: Path, *args: str, typed: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PHOTO_STATION_PASSPHRASE"}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # a laptop with no OS keyring
    return subprocess.run([str(SCRIPT), *args, "--home", str(home)], input=typed.encode(), capture_output=True,
                          timeout=60, env=env)


@pytest.fixture(autouse=True)
def _chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHOTO_STATION_LANG", "zh")


def test_send_with_nothing_queued_asks_for_nothing(home: Path) -> None:
    result = _run(home, "queue", "--send")
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "没有等待上传的照片" in out and "待上传 0" in out and "{" not in out
    assert "口令" not in result.stderr.decode() and not key_file(home).exists()


def test_first_use_at_the_terminal_chooses_the_passphrase_twice(home: Path, tmp_path: Path) -> None:
    short = _run(home, "queue", "--reconcile", typed="short\n")
    assert short.returncode != 0 and "至少需要 8 个字符" in short.stderr.decode()
    differ = _run(home, "queue", "--reconcile", typed="kiosk-pass-1\nkiosk-pass-2\n")
    err = differ.stderr.decode()
    assert differ.returncode != 0 and "不一致" in err and not key_file(home).exists()
    assert err.count("本机首次使用") == 1 and err.count("设定工作站口令：") == 1 and err.count("再次输入口令：") == 1
    made = _run(home, "queue", "--reconcile", typed="kiosk-pass-1\nkiosk-pass-1\n")
    assert made.returncode == 0, made.stderr.decode()
    assert key_file(home).exists()

    wrong = _run(home, "queue", "--reconcile", typed="kiosk-pass-9\n")
    err = wrong.stderr.decode()
    assert wrong.returncode != 0 and "工作站口令不正确" in err
    assert err.count("工作站口令：") == 1 and err.count("工作站口令") == 2 and "本机首次使用" not in err  # the prompt once, the refusal once
    assert _run(home, "queue", "--reconcile", typed="kiosk-pass-1\n").returncode == 0


def test_no_terminal_is_said_plainly(home: Path, tmp_path: Path) -> None:
    result = _run(home, "queue", "--reconcile")
    err = result.stderr.decode()
    assert result.returncode != 0 and "PHOTO_STATION_PASSPHRASE" in err and "Traceback" not in err


def test_a_piped_passphrase_is_read_from_the_pipe_even_with_a_terminal_there(home: Path) -> None:
    """`echo … | photo-station …` typed in a console: getpass reads the terminal itself (Windows' console, Linux's
    /dev/tty), never the pipe, so the passphrase given was ignored and the command waited for typing. Here the
    command has a terminal of its own (a pseudo-terminal nobody types at) and its input piped."""
    fcntl, pty, termios = (pytest.importorskip(name) for name in ("fcntl", "pty", "termios"))  # POSIX terminals
    assert _run(home, "queue", "--reconcile", typed="kiosk-pass-1\nkiosk-pass-1\n").returncode == 0
    main, terminal = pty.openpty()

    def own_terminal() -> None:  # in the command's process: the pseudo-terminal becomes its controlling terminal
        os.setsid()
        fcntl.ioctl(terminal, termios.TIOCSCTTY, 0)

    env = {k: v for k, v in os.environ.items() if k != "PHOTO_STATION_PASSPHRASE"}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    try:
        result = subprocess.run([str(SCRIPT), "queue", "--reconcile", "--home", str(home)], input=b"kiosk-pass-1\n",
                                capture_output=True, timeout=60, env=env, preexec_fn=own_terminal,
                                pass_fds=(terminal,))
    except subprocess.TimeoutExpired:
        pytest.fail("the command waited at the terminal instead of reading the piped passphrase")
    finally:
        os.close(main)
        os.close(terminal)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr.decode().count("工作站口令：") == 1
