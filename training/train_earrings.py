"""Trains earrings.onnx: P(earring) from a crop beside each ear lobe; a face wears earrings if either crop does.

The whole-face crop leaves an earring a few pixels wide; these crops see it at about four times that.
Labels: CelebA Wearing_Earrings on celebahq, earring pixels in the celebamaskhq masks.
Run: .venv/bin/python -m training.train_earrings [--epochs N] [--threads 1]   (about 20 min on one CPU core)
"""

from __future__ import annotations

from training.train_region import RegionTask, run
from station.compliance.learned import EAR_SIZE

TASK = RegionTask(("earrings",), "ears", (EAR_SIZE, EAR_SIZE), ("Wearing_Earrings",), widths=(16, 32, 64, 96))

if __name__ == "__main__":
    run(TASK, __doc__, epochs=40, name="earrings")
