"""Screenshots of the registrar's pages, rendered by headless Chromium over HTTPS, for docs/server.md.

  .venv/bin/python scripts/registrar_screenshots.py [OUT_DIR]   # writes OUT_DIR/registrar_*_zh.png
(OUT_DIR: assets/screenshots, the ones docs/server.md shows, unless given: a review renders them elsewhere)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.server.browser import render  # noqa: E402
from tests.server.registrar_day import registrar_day  # noqa: E402

OUT = ROOT / "assets" / "screenshots"
PAGES = {"registrar_overview_zh.png": ("/", (1000, 600)), "registrar_class_zh.png": ("/classes/软件2101", (1000, 820)),
         "registrar_missing_zh.png": ("/missing", (1000, 470)), "registrar_identity_zh.png": ("/identity", (1000, 900))}


def main(argv: list[str] | None = None) -> int:
    # --help says so, and renders nothing: run for its help, the script once wrote over the screenshots
    # docs/server.md shows
    parser = argparse.ArgumentParser(
        description="Screenshots of the registrar's pages, for docs/server.md or a review.")
    parser.add_argument("out", nargs="?", default=OUT, type=Path, help="folder for the PNGs (default: %(default)s)")
    out = parser.parse_args(argv).out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="registrar-shots-") as scratch:
        root = Path(scratch)
        (root / "home").mkdir()
        day = registrar_day(root, root / "home")
        try:
            for name, (path, size) in PAGES.items():
                render(day.url(path), day.cert_file, out / name, size)
                print(out / name)
        finally:
            day.server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
