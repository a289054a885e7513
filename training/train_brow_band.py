"""Trains brow_band.onnx: P(glasses) and P(fringe over the brows) from the band between fringe and cheekbones.

The whole-face crop draws a thin wire or rimless frame one pixel wide; this band sees it at 1.7 times
that resolution, and sees where a fringe ends against the brows.
Labels: CelebA Eyeglasses and Bangs on celebahq; glasses pixels and hidden brows in the celebamaskhq masks.
Run: .venv/bin/python -m training.train_brow_band [--epochs N] [--threads 1]   (about 12 min on one CPU core)
"""

from __future__ import annotations

from training.train_region import RegionTask, run
from station.compliance.learned import BROW_SIZE

TASK = RegionTask(("glasses", "eyebrows_covered"), "brows", BROW_SIZE, ("Eyeglasses", "Bangs"),
                  widths=(16, 32, 48, 64, 96), strength=1.0)

if __name__ == "__main__":
    run(TASK, __doc__, epochs=24, name="brow_band")
