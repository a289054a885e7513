"""`photo-station check --json` on a folder's worth of stills: stills per second and CPU time per still.

Runs the real console script (a fresh process each time, so its start-up counts, as a user's run pays it) on the
first N CelebA-HQ test images of ../shared (training/splits), with a data home of its own (no backdrop calibration);
`--celeba-size` checks copies of them the size of CelebA's aligned faces instead (178x218 JPEG, as a folder of web
photos is), written to one folder of the system's temporary folder (the same paths each run, so --same-as compares).
Prints, per run, the wall time and stills per second, the CPU time of the run (all its threads) per still, and the
load average before and after: other processes on the 2 cores skew the wall figure, far less the CPU one.
`--out FILE` keeps the last run's JSON lines and `--same-as FILE` says whether each run's match an earlier run's
exactly (a speed-up must not change a verdict or a printed score). `--tree DIR`, given twice or more, runs check from
those trees in turn, alternating, each repeat (a tree is another checkout of the project, e.g. made by
training/quantize_models.py: the same start-up as the console script, its own code and models).

  .venv/bin/python scripts/benchmark_check.py [--limit 300] [--repeat 3] [--workers N] [--tree DIR ...] [--out F]
      [--same-as F] [--celeba-size]
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

from training.datasets import FACES_DIR, celeba_sized, load_split  # noqa: E402

SCRIPT = Path(sys.executable).with_name("photo-station.exe" if os.name == "nt" else "photo-station")


def load() -> str:
    return "n/a" if not hasattr(os, "getloadavg") else f"{os.getloadavg()[0]:.1f}"


def run(images: list[Path], workers: int | None, home: Path, tree: Path | None = None) -> tuple[bytes, float, float]:
    """The JSON lines, the wall seconds and the CPU seconds (user and system, every thread) of one check run, by the
    console script or, given a tree, by that tree's launcher."""
    extra = [] if workers is None else ["--workers", str(workers)]
    command, env = [str(SCRIPT)], None
    if tree is not None:
        command = [sys.executable, "-c", "import sys; from ui.launcher import main; sys.exit(main())"]
        env = {**os.environ, "PYTHONPATH": str(tree)}
    cpu_before, start = os.times(), time.perf_counter()
    done = subprocess.run([*command, "check", *map(str, images), "--json", "--home", str(home), *extra],
                          capture_output=True, check=True, cwd=tree, env=env)
    wall, cpu_after = time.perf_counter() - start, os.times()
    cpu = (cpu_after.children_user - cpu_before.children_user) + (cpu_after.children_system - cpu_before.children_system)
    return done.stdout, wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=300, help="CelebA-HQ test images (default 300)")
    parser.add_argument("--repeat", type=int, default=1, help="runs, each printed (default 1)")
    parser.add_argument("--workers", type=int, default=None, help="check's --workers (default: its own)")
    parser.add_argument("--out", type=Path, help="write the last run's JSON lines here")
    parser.add_argument("--same-as", type=Path, help="say whether each run's JSON lines equal this file's")
    parser.add_argument("--tree", type=Path, action="append", help="run check from this tree (repeat: in turn)")
    parser.add_argument("--celeba-size", action="store_true", help="check 178x218 JPEG copies of the stills")
    args = parser.parse_args()
    images = [FACES_DIR / "celebahq" / f for f in load_split("celebahq")["test"][: args.limit]]
    with tempfile.TemporaryDirectory() as home:
        if args.celeba_size:
            (copies := Path(tempfile.gettempdir()) / "benchmark_check_celeba_size").mkdir(exist_ok=True)
            images = celeba_sized(images, copies)
        print(f"{len(images)} CelebA-HQ test stills{' at 178x218' if args.celeba_size else ''}, {os.cpu_count()} cores")
        for _ in range(args.repeat):
            for tree in args.tree or [None]:
                before = load()
                lines, wall, cpu = run(images, args.workers, Path(home), tree)
                same = "" if not args.same_as else (
                    "; JSON lines " + ("identical" if args.same_as.read_bytes() == lines else "DIFFER"))
                print(f"{'' if tree is None else f'{tree}: '}wall {wall:.1f} s: {len(images) / wall:.1f} stills/s; "
                      f"CPU {cpu:.1f} s: {1000 * cpu / len(images):.1f} ms per still (start-up included); "
                      f"load average {before} -> {load()}{same}", flush=True)
    if args.out:
        args.out.write_bytes(lines)


if __name__ == "__main__":
    main()
