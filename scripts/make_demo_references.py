"""Build assets/demo_references/: the demo students' enrolment photos (学籍照片), for the identity checks.

Public-domain faces, each cropped to an ID-photo frame (358x441) around the face YuNet finds:
- 2021010101 (林晓雯): NASA's portrait of Eileen Collins, from the demo's own camera frame
  (assets/demo/kiosk/02_good_shifted.jpg, built by make_demo_assets.py): the same photograph the demo camera
  shows, so her "same person" verdict is an easy one;
- 2021010104 (赵雨桐): the official U.S. Navy portrait of Grace Hopper as shipped in matplotlib's wheel
  (mpl-data/sample_data/grace_hopper.jpg): a work of the U.S. federal government, public domain.
- the students of scripts/demo_faces.py (陈浩然, 王思远): official White House photographs (public domain) from
  face_recognition's test images, passed with --faces DIR; 陈浩然's is another photograph than the one the demo
  camera shows him in.
matplotlib is not a dependency: pass the JPEG with --hopper, or have matplotlib installed.

    .venv/bin/python scripts/make_demo_references.py [--hopper PATH] --faces DIR
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.demo_faces import FACES  # noqa: E402
from station.identity.embedder import FaceEmbedder  # noqa: E402

OUT = ROOT / "assets" / "demo_references"
SIZE = (358, 441)  # the CHSI register's own enrolment photo size
FACE_SHARE = 0.5  # the face's share of the photo's width, as in an ID photo
JPEG_QUALITY = 90


def id_photo(image: np.ndarray, embedder: FaceEmbedder, size: tuple[int, int] = SIZE) -> np.ndarray:
    """The image cropped around the face YuNet finds to an ID photo's frame and size."""
    return id_frame(image, embedder.faces(image)[0].box, size)


def id_frame(image: np.ndarray, face: tuple[float, float, float, float], size: tuple[int, int] = SIZE) -> np.ndarray:
    """The image cropped to an ID photo's frame around the face box (x, y, w, h), at `size` (width, height)."""
    x, y, w, h = face
    width = w / FACE_SHARE
    height = width * size[1] / size[0]
    left, top = x + w / 2 - width / 2, y + h * 0.45 - height / 2
    m = np.float32([[size[0] / width, 0, -left * size[0] / width], [0, size[1] / height, -top * size[1] / height]])
    return cv2.warpAffine(image, m, size, flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)


def hopper_path(given: str | None) -> str:
    if given:
        return given
    from matplotlib import cbook  # type: ignore[import-not-found]

    return str(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hopper", help="path to matplotlib's mpl-data/sample_data/grace_hopper.jpg")
    parser.add_argument("--faces", required=True, help="folder holding the photos scripts/demo_faces.py names")
    args = parser.parse_args()
    embedder = FaceEmbedder()
    sources = {"2021010101": str(ROOT / "assets" / "demo" / "kiosk" / "02_good_shifted.jpg"),
               "2021010104": hopper_path(args.hopper),
               **{face.student_no: str(Path(args.faces) / face.reference) for face in FACES}}
    OUT.mkdir(parents=True, exist_ok=True)
    for student_no, source in sources.items():
        image = cv2.imread(source)
        if image is None:
            raise SystemExit(f"cannot read {source}")
        ok, data = cv2.imencode(".jpg", id_photo(image, embedder), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        assert ok
        (OUT / f"{student_no}.jpg").write_bytes(data.tobytes())
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
