"""Trains jaw_band.onnx: P(earrings) and P(necklace) from one band across both ear lobes, the jaw and the neck.

The ear crops judge each side alone and the neck crop sees no ears; this band sees both lobes, the hair
over them and the collar together, at 1.4 times the face crop's resolution.
Labels: CelebA Wearing_Earrings and Wearing_Necklace on celebahq; earring and necklace pixels in the
celebamaskhq masks.
Run: .venv/bin/python -m models.train_jaw_band [--epochs N] [--threads 1]   (about 20 min on one CPU core)
"""

from __future__ import annotations

from models.train_region import RegionTask, run
from station.compliance.learned import JAW_BAND_SIZE

TASK = RegionTask(("earrings", "necklace"), "jaw", JAW_BAND_SIZE, ("Wearing_Earrings", "Wearing_Necklace"),
                  widths=(16, 32, 48, 64, 96))

if __name__ == "__main__":
    run(TASK, __doc__, epochs=30, name="jaw_band")
