"""Keeps mediapipe's native start-up chatter off the photographer's console.

mediapipe 0.10's C++ core logs through absl before anyone calls `absl::InitializeLog`, so every
graph it builds writes lines such as `I0000 00:00:… gl_context.cc:369] GL version: …` straight to
file descriptor 2: some 46 of them when the station starts. Environment switches (GLOG_minloglevel)
no longer reach it. The process's stderr is therefore passed through a filter: those native lines go
to the station's log at debug level (errors at warning level), everything else (Python tracebacks,
Qt's own warnings) reaches the console unchanged.
"""

from __future__ import annotations

import atexit
import io
import logging
import os
import re
import sys
import threading

# absl/glog: severity letter, MMDD, time, thread id, file:line]; and TF Lite's and absl's one-line notices. TF Lite
# writes its "INFO: " apart from the rest of its notice, so another thread's glog line can come between them (seen on
# a loaded machine: "INFO: I0000 … gl_context_egl.cc:85] …" then "Created TensorFlow Lite XNNPACK delegate for CPU.")
NATIVE_LINE = re.compile(
    rb"^(?:(?:INFO: )?(?P<severity>[IWEF])\d{4} \d\d:\d\d:[\d.]+\s+\d+ [\w.\-]+:\d+\]"
    rb"|WARNING: All log messages before absl::InitializeLog\(\)"
    rb"|(?:INFO: )?Created TensorFlow Lite)"
)
log = logging.getLogger("station.native")
_installed = False


def quiet_native_logs() -> None:
    """Filter the process's stderr (file descriptor 2) from now on. Idempotent.

    Python's own `sys.stderr` is pointed at the real console first, so a traceback or a fatal error
    printed by Python never waits in the filter; only native writes go through it.
    """
    global _installed
    if _installed:
        return
    try:
        console = os.dup(2)
        read_end, write_end = os.pipe()
        os.dup2(write_end, 2)
        os.close(write_end)
    except OSError:  # no stderr at all (a windowed program on Windows): nothing to quiet
        return
    _installed = True
    stream = io.TextIOWrapper(os.fdopen(console, "wb", buffering=0), encoding=sys.stderr.encoding or "utf-8",
                              errors="backslashreplace", line_buffering=True)
    sys.stderr = stream
    forwarder = threading.Thread(target=_forward, args=(read_end, console), name="native-log", daemon=True)
    forwarder.start()
    atexit.register(_drain, forwarder, console)


def _drain(forwarder: threading.Thread, console: int) -> None:
    """At exit, what is still in the filter reaches the console: fd 2 goes back to the console (closing the
    pipe's only write end), and the forwarder ends once it has read the rest."""
    try:
        os.dup2(console, 2)
    except OSError:
        return
    forwarder.join(timeout=2)


def _forward(read_end: int, console: int) -> None:
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        for line in iter(pipe.readline, b""):
            match = NATIVE_LINE.match(line)
            if match is None:
                os.write(console, line)
                continue
            level = logging.WARNING if match.group("severity") in (b"E", b"F") else logging.DEBUG
            log.log(level, "%s", line.decode("utf-8", "replace").rstrip())
