"""`photo-station check --json` on a folder's worth of stills: stills per second and CPU time per still.

Runs the real console script (a fresh process each time, so its start-up counts, as a user's run pays it) on the
first N CelebA-HQ test images of ../shared (training/splits), with a data home of its own (no backdrop calibration).
Prints, per run, the wall time and stills per second, the CPU time of the run (all its threads) per still, and the
load average before and after: other processes on the 2 cores skew the wall figure, far less the CPU one.
`--out FILE` keeps the last run's JSON lines and `--same-as FILE` says whether they match an earlier run's exactly
(a speed-up must not change a verdict or a printed score).

  .venv/bin/python scripts/benchmark_check.py [--limit 300] [--repeat 3] [--workers N] [--out F] [--same-as F]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.datasets import FACES_DIR, load_split  # noqa: E402

SCRIPT = Path(sys.executable).with_name("photo-station.exe" if os.name == "nt" else "photo-station")


def load() -> str:
    return "n/a" if not hasattr(os, "getloadavg") else f"{os.getloadavg()[0]:.1f}"


def run(images: list[Path], workers: int | None, home: Path) -> tuple[bytes, float, float]:
    """The JSON lines, the wall seconds and the CPU seconds (user and system, every thread) of one check run."""
    extra = [] if workers is None else ["--workers", str(workers)]
    cpu_before, start = os.times(), time.perf_counter()
    done = subprocess.run([str(SCRIPT), "check", *map(str, images), "--json", "--home", str(home), *extra],
                          capture_output=True, check=True)
    wall, cpu_after = time.perf_counter() - start, os.times()
    cpu = (cpu_after.children_user - cpu_before.children_user) + (cpu_after.children_system - cpu_before.children_system)
    return done.stdout, wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=300, help="CelebA-HQ test images (default 300)")
    parser.add_argument("--repeat", type=int, default=1, help="runs, each printed (default 1)")
    parser.add_argument("--workers", type=int, default=None, help="check's --workers (default: its own)")
    parser.add_argument("--out", type=Path, help="write the last run's JSON lines here")
    parser.add_argument("--same-as", type=Path, help="say whether the JSON lines equal this file's")
    args = parser.parse_args()
    images = [FACES_DIR / "celebahq" / f for f in load_split("celebahq")["test"][: args.limit]]
    print(f"{len(images)} CelebA-HQ test stills, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as home:
        for _ in range(args.repeat):
            before = load()
            lines, wall, cpu = run(images, args.workers, Path(home))
            print(f"wall {wall:.1f} s: {len(images) / wall:.1f} stills/s; CPU {cpu:.1f} s: "
                  f"{1000 * cpu / len(images):.0f} ms per still (start-up included); load average {before} -> {load()}",
                  flush=True)
    if args.same_as:
        same = args.same_as.read_bytes() == lines
        print(f"JSON lines {'identical to' if same else 'DIFFER from'} {args.same_as}")
    if args.out:
        args.out.write_bytes(lines)


if __name__ == "__main__":
    main()
