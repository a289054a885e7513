"""Trains ear_box.onnx: P(hair or anything over the ear) from a crop around each whole ear; a face breaks the
rule if either crop does.

CelebA has no ear label, so the face models learn `ears_covered` from 700 mask-labelled faces inside a 112 px
crop where an ear is a dozen pixels wide. This crop shows the ear and the hair about it at about twice that.
Labels: the celebamaskhq parsing masks (either ear's visible area under a minimum -> covered).
Run: .venv/bin/python -m training.train_ear_box [--epochs N] [--threads 1]   (about 10 min on one CPU core)
"""

from __future__ import annotations

from training.train_region import RegionTask, run
from station.compliance.learned import EAR_BOX_SIZE

TASK = RegionTask(("ears_covered",), "ear_box", (EAR_BOX_SIZE, EAR_BOX_SIZE), (), widths=(16, 32, 64, 96))

if __name__ == "__main__":
    run(TASK, __doc__, epochs=100, name="ear_box")
