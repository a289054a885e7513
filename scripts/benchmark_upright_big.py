"""Which way is up in a big still with a small face: how often an upright one is judged turned, and a turned one found.

A tethered camera's 6000x4000 or 4000x3000 still is judged in a 640 px look (station/chsi/orientation.py), where a
student standing back is a face of 10-70 px. Each still is a frame shrunk to a width and centred in the big still with
its edges carried out (tests/chsi/images.py `in_big_still`): the five demo frames session 25 measured (01_good,
02_good_shifted, DEMO0002_2_good, DEMO0003_2_good, 05_two_people; the student's face about 15 % of the frame), frames
600-2950 px wide every 50 px, in both still sizes (480 stills), and with `--celebahq N` N CelebA-HQ test faces of
../shared (every 10th from --offset; the face about 45 % of the image) 300-1300 px wide. Each still is judged as it
is and turned by 1, 2 and 3 quarter turns, by both votes: `orient` with both detectors (crop, and the capture
pipeline) and `upright_turns` (check and capture ask it when no face is seen or the pose fails).
Prints, per vote and still size, the upright stills judged turned and the turned ones brought upright, said upright
or turned wrong, and lists each upright still judged turned with its approximate face width in the look.

    nice -n 10 .venv/bin/python scripts/benchmark_upright_big.py [--celebahq 20] [--offset 5] [--frames NAME ...]
      [--vote crop|check|both]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station import ASSETS_DIR  # noqa: E402
from station.chsi.orientation import ANALYSIS_SIDE, UprightFinder  # noqa: E402
from tests.chsi.images import in_big_still  # noqa: E402
from training.datasets import FACES_DIR, load_split  # noqa: E402

FRAMES = ("01_good", "02_good_shifted", "DEMO0002_2_good", "DEMO0003_2_good", "05_two_people")
SIZES = ((6000, 4000), (4000, 3000))
DEMO_FACE_SHARE = 0.15  # the demo student's face, of the frame's width
CELEBAHQ_FACE_SHARE = 0.45  # a CelebA-HQ face, of the image's width
CELEBAHQ_WIDTHS = (300, 450, 600, 800, 1000, 1300)


def sources(frames: list[str], celebahq: int, offset: int) -> list[tuple[str, np.ndarray, float, range | tuple]]:
    """(name, image, face share of its width, the widths it is shrunk to)."""
    found = []
    for name in frames:
        folder = "students" if name.startswith("DEMO") else "kiosk"
        image = cv2.imread(str(ASSETS_DIR / "demo" / folder / f"{name}.jpg"))
        found.append((name, image, DEMO_FACE_SHARE, range(600, 3000, 50)))
    if celebahq:
        for file in load_split("celebahq")["test"][offset::10][:celebahq]:
            image = cv2.imread(str(FACES_DIR / "celebahq" / file))
            if image is None:
                raise SystemExit(f"cannot read {FACES_DIR / 'celebahq' / file}")
            found.append((Path(file).stem, image, CELEBAHQ_FACE_SHARE, CELEBAHQ_WIDTHS))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", nargs="*", default=list(FRAMES), help="demo frames (default: session 25's five)")
    parser.add_argument("--celebahq", type=int, default=0, help="CelebA-HQ test faces as well (needs ../shared)")
    parser.add_argument("--offset", type=int, default=5)
    parser.add_argument("--vote", choices=("crop", "check", "both"), default="both")
    args = parser.parse_args()
    finder = UprightFinder()
    votes = {"crop (both detectors)": lambda image: finder.orient(image).turns,
             "check (upright_turns)": finder.upright_turns}
    votes = {vote: judge for vote, judge in votes.items() if args.vote in ("both", vote.split()[0])}
    tally: dict[tuple[str, str], Counter] = {}
    wrong_upright: dict[str, list[str]] = {vote: [] for vote in votes}
    took = Counter()
    for name, image, share, widths in sources(args.frames, args.celebahq, args.offset):
        for size in SIZES:
            look = ANALYSIS_SIDE / max(size)
            for width in widths:
                still = in_big_still(image, width, size)
                face = share * width * look
                for turned in range(4):
                    photo = np.ascontiguousarray(np.rot90(still, turned))
                    want = (4 - turned) % 4  # the turns that stand it up again
                    for vote, judge in votes.items():
                        start = time.process_time()
                        said = judge(photo)
                        took[vote] += time.process_time() - start
                        took[vote, "n"] += 1
                        kind = "upright" if not turned else "turned"
                        outcome = ("right" if said == want else "said upright" if said == 0 else
                                   "said turned" if not turned else "turned wrong")
                        tally.setdefault((vote, f"{size[0]}x{size[1]}"), Counter())[kind, outcome] += 1
                        if not turned and said:
                            wrong_upright[vote].append(f"{name} {size[0]} w{width} (face ~{face:.0f} px) turns {said}")
    for (vote, size), counts in sorted(tally.items()):
        upright = sum(v for (kind, _), v in counts.items() if kind == "upright")
        turned = sum(v for (kind, _), v in counts.items() if kind == "turned")
        print(f"{vote:22s} {size}: upright judged turned {counts['upright', 'said turned']}/{upright}; "
              f"turned stood up {counts['turned', 'right']}/{turned}, said upright {counts['turned', 'said upright']}, "
              f"turned wrong {counts['turned', 'turned wrong']}")
    for vote in votes:
        print(f"{vote}: {1000 * took[vote] / took[vote, 'n']:.0f} CPU-ms a still; upright judged turned:")
        for line in wrong_upright[vote]:
            print("   ", line)
    finder.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
