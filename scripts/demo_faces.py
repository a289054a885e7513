"""Which licence-clean photo is which demo student's face: shared by make_demo_assets.py and make_demo_references.py.

The photos come from registry packages (provenance and licences in assets/demo/README.md) and are passed by path:
`--faces DIR` is a folder holding them under their file names in those packages. None is a runtime dependency.

    pip download --no-deps --no-binary :all: face_recognition==1.3.0   # tests/test_images/{obama,obama3,biden}.jpg
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np


@dataclass(frozen=True)
class DemoFace:
    """A demo student with a face of their own: the photo the camera shows and the one on file as enrolment photo
    (a different photograph where the package has two, so "same person" is a real comparison)."""

    code: str
    student_no: str
    camera: str  # file name of the photo the kiosk frames are made from
    reference: str  # file name of the photo the enrolment photo is cut from


FACES = (
    DemoFace("DEMO0002", "2021010102", camera="obama.jpg", reference="obama3.jpg"),  # 陈浩然
    DemoFace("DEMO0003", "2021010103", camera="biden.jpg", reference="biden.jpg"),  # 王思远
)


def read_photo(folder: str | Path, name: str) -> np.ndarray:
    image = cv2.imread(str(Path(folder) / name))
    if image is None:
        raise SystemExit(f"cannot read {Path(folder) / name}: see scripts/demo_faces.py for where it comes from")
    return image
