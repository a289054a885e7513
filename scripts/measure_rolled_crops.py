"""How often the CHSI pipeline makes an in-spec photo from a real face rolled 8 degrees on a large canvas.

The same inputs as tests/chsi/test_pipeline.py::test_real_faces_rolled_8_degrees, on more faces: every
refusal is counted by its reason (the pipeline never returns an out-of-spec photo; it refuses instead).

    .venv/bin/python scripts/measure_rolled_crops.py [--count 60]
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station.chsi.pipeline import ChsiPipeline  # noqa: E402
from tests.chsi.images import dataset_faces, on_canvas, rotated  # noqa: E402

FACES_DIR = ROOT.parent / "shared" / "datasets" / "faces"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60)
    args = parser.parse_args()
    paths = dataset_faces(FACES_DIR, args.count)
    made, refused = 0, collections.Counter()
    with ChsiPipeline() as pipeline:
        for path in paths:
            result = pipeline.process(rotated(on_canvas(cv2.imread(str(path))), 8))
            if result.ok:
                made += 1
            else:
                refused[result.refusal.reason] += 1
    print(f"{made} of {len(paths)} faces rolled 8 degrees gave an in-spec CHSI photo; refused: {dict(refused)}")


if __name__ == "__main__":
    main()
