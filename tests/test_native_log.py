"""mediapipe's native start-up lines stay off the console; everything else still reaches it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from station.native_log import NATIVE_LINE
from tests.cli import SCRIPT

ROOT = Path(__file__).resolve().parent.parent


def is_native_line(line: bytes) -> bool:
    """What the stderr filter does with a line: to the log (True) or to the console."""
    return NATIVE_LINE.match(line) is not None


def test_native_lines_are_told_from_the_rest() -> None:
    assert is_native_line(b"I0000 00:00:1796434399.955193    8754 gl_context_egl.cc:85] Successfully initialized EGL.")
    assert is_native_line(b"W0000 00:00:1796434400.027083    8821 inference_feedback_manager.cc:114] Feedback")
    assert is_native_line(b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR")
    assert is_native_line(b"INFO: Created TensorFlow Lite XNNPACK delegate for CPU.")
    # TF Lite's "INFO: " and the rest of its notice written apart, another thread's line between them (a loaded run)
    assert is_native_line(b"INFO: I0000 00:00:1796617427.029077     821 gl_context_egl.cc:85] Successfully initialized")
    assert is_native_line(b"Created TensorFlow Lite XNNPACK delegate for CPU.")
    assert not is_native_line(b"Traceback (most recent call last):")
    assert not is_native_line("错误：文件不存在".encode())
    assert not is_native_line(b"qt.qpa.xcb: could not connect to display")


def test_a_command_that_loads_mediapipe_prints_no_native_log(tmp_path: Path) -> None:
    result = subprocess.run([str(SCRIPT), "check", str(ROOT / "assets/demo/kiosk/01_good.jpg"), "--json",
                             "--home", str(tmp_path)], capture_output=True, timeout=180)
    assert result.returncode == 0, result.stderr.decode()
    assert b'"verdict"' in result.stdout
    assert b"gl_context" not in result.stderr and b"I0000" not in result.stderr, result.stderr.decode()[:2000]


def test_python_errors_still_reach_the_console(tmp_path: Path) -> None:
    code = ("from station.native_log import quiet_native_logs; import os, sys; quiet_native_logs(); "
            "os.write(2, b'I0000 00:00:1.5    1 x.cc:1] native\\n'); os.write(2, b'plain native line\\n'); "
            "raise SystemExit('python says no')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, cwd=ROOT)
    err = result.stderr.decode()
    assert "python says no" in err and "plain native line" in err and "x.cc:1]" not in err, err
