"""Entry point of `photo-station`: sub-commands run headless; no command opens the window.

Qt is imported only when the window is wanted, so `photo-station check` and friends
run on machines without a display.
"""

from __future__ import annotations

import os
import sys

from station.adapters.cli import parse_args, run
from station.native_log import quiet_native_logs


def main(argv: list[str] | None = None) -> int:
    quiet_native_logs()
    # OpenCV warns on the console for every camera index it probes (the camera dialog lists them): errors only
    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    args = parse_args(argv)
    if args.command is not None:
        return run(args)
    from ui.app import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
