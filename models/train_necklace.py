"""Trains necklace.onnx: P(necklace) from a crop of the neck, chin to collar.

In the whole-face crop the neck is a thin strip at the bottom edge; this crop sees it at about
twice the resolution. Labels: CelebA Wearing_Necklace on celebahq, necklace pixels in the
celebamaskhq masks.
Run: .venv/bin/python -m models.train_necklace [--epochs N] [--threads 1]   (about 20 min on one CPU core)
"""

from __future__ import annotations

from models.train_region import RegionTask, run
from station.compliance.learned import NECK_SIZE

TASK = RegionTask(("necklace",), "neck", NECK_SIZE, ("Wearing_Necklace",), widths=(16, 32, 64, 96))

if __name__ == "__main__":
    run(TASK, __doc__, epochs=40, name="necklace")
