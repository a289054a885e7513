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
