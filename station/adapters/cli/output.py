"""Printing for the command line: JSON lines for machines, plain text for people."""

from __future__ import annotations

import json
import sys

from station.i18n import real_text


def print_json(obj: object) -> None:
    """One JSON object on one line, UTF-8 whatever the console code page (Windows cmd is often GBK)."""
    line = real_text(json.dumps(obj, ensure_ascii=False) + "\n")  # a path that was not UTF-8: U+FFFD
    stream = sys.stdout
    if hasattr(stream, "buffer"):
        stream.flush()
        stream.buffer.write(line.encode("utf-8"))
        stream.buffer.flush()
    else:
        stream.write(line)


def replace_what_the_console_cannot_show() -> None:
    """People's text goes out in the console's encoding: GBK where a Chinese Windows redirects it to a file or a
    pipe. A character GBK lacks (the ✗ of `check`, a rare name, a path) is printed as ? instead of ending the
    run with a traceback half-way through a folder. JSON lines are UTF-8 bytes whatever the encoding (print_json).
    Both programs call it first: `photo-station` and `photo-station-server`."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
