"""The station's log file, in its data home: what support asks for after a bad day.

The window has no console on Windows, so warnings (an upload refused, a model missing) and any
program error would otherwise be lost. A few rotated files keep a capture day's worth at most a
few megabytes.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_file(home: Path) -> Path:
    return home / "logs" / "station.log"


def log_to_file(home: Path, level: int = logging.INFO) -> Path:
    """Send the station's log records to the data home's log file (once per process and file).

    A log that cannot be opened (a full disk) is said on stderr and the station starts all the same.
    """
    path = log_file(home)
    root = logging.getLogger()
    logging.getLogger("station").setLevel(level)
    if any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in root.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    except OSError as exc:
        logging.getLogger(__name__).warning("no log file %s: %s", path, exc)
        return path
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    return path
