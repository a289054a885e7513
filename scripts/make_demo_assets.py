"""Build assets/demo/ from licence-clean photos: the demo camera's kiosk and QR frames, and its students' own.

林晓雯's face is NASA's portrait of astronaut Eileen Collins as shipped in scikit-image's wheel
(skimage/data/astronaut.png, public domain). scikit-image is not a dependency: pass the PNG
(`pip download scikit-image --no-deps` and unzip it), or have skimage installed. The other students with a face
of their own (scripts/demo_faces.py) each get a phone frame and two kiosk frames under students/, from the photos
in --faces DIR.

    .venv/bin/python scripts/make_demo_assets.py [--astronaut PATH] --faces DIR
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import qrcode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.demo_faces import FACES, read_photo  # noqa: E402
from station.chsi.hair import HairTopFinder  # noqa: E402
from station.identity.embedder import FaceEmbedder  # noqa: E402

OUT = ROOT / "assets" / "demo"
FRAME = (1280, 720)
BACKDROP_BGR = (219, 142, 67)  # the light blue of Chinese certificate photos (#438EDB)
JPEG_QUALITY = 80
FACE_X = 225  # column of the face centre in the cut-out: `centre_x` puts the face there
TOP_PX = 50  # the photo's top row lands here: the hair top sits about 80 px below the frame top
CUT_OUT = (370, 512)  # the astronaut's cut-out (width, height): every other face is brought to its geometry
FACE_Y, FACE_WIDTH = 120, 90  # her face's centre row and width in it (YuNet)
DENSITY = 2.0  # other faces are cut out at twice her pixel density, so that `place` enlarges them no further


@dataclass(frozen=True)
class Cutout:
    """A person cut out of a photo with a soft alpha; `density` is its pixels per pixel of the astronaut's cut-out."""

    image: np.ndarray
    alpha: np.ndarray
    density: float = 1.0


def backdrop(rng: np.random.Generator) -> np.ndarray:
    """A studio backdrop: blue with a soft vertical fall-off and a little sensor noise."""
    w, h = FRAME
    base = np.array(BACKDROP_BGR, np.float32)
    shade = np.linspace(1.05, 0.9, h, dtype=np.float32)[:, None, None]
    img = base[None, None, :] * shade * np.ones((h, w, 1), np.float32)
    img += rng.normal(0, 2.0, img.shape).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8)


def soft(alpha: np.ndarray) -> np.ndarray:
    """Segmentation's mask as a feathered alpha: a hard edge would read as a pasted-in person."""
    return cv2.GaussianBlur(np.clip((alpha - 0.3) / 0.4, 0, 1), (5, 5), 0)


def cut_out_person(photo: np.ndarray, finder: HairTopFinder) -> Cutout:
    """The astronaut (head and shoulders) and a soft alpha, from selfie segmentation."""
    person = photo[0:CUT_OUT[1], 0:CUT_OUT[0]]  # leave out the shuttle model on the right
    alpha = finder.person_mask(person).astype(np.float32)
    box = person[330:, 280:].astype(np.int16)
    orange = (box[..., 2] > 150) & (box[..., 2] > box[..., 0] + 60)
    alpha[330:, 280:] *= orange  # drop the helmet held at her side, keep the orange suit
    return Cutout(person, soft(alpha))


def cut_out_portrait(photo: np.ndarray, finder: HairTopFinder, embedder: FaceEmbedder) -> Cutout:
    """Any portrait's person, eyes levelled, its face brought to the astronaut's size and place in her cut-out
    (at DENSITY): a head tilted in the photo would fail the pose check at every demo frame."""
    face = embedder.faces(photo)[0]
    x, y, w, h = face.box
    right_x, right_y, left_x, left_y = face.row[4:8]
    roll = np.degrees(np.arctan2(left_y - right_y, left_x - right_x))
    level = cv2.getRotationMatrix2D((x + w / 2, y + h / 2), float(roll), 1.0)
    photo = cv2.warpAffine(photo, level, photo.shape[1::-1], flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    k = FACE_WIDTH * DENSITY / w
    small = cv2.resize(photo, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
    m = np.float32([[1, 0, FACE_X * DENSITY - (x + w / 2) * k], [0, 1, FACE_Y * DENSITY - (y + h / 2) * k]])
    size = (round(CUT_OUT[0] * DENSITY), round(CUT_OUT[1] * DENSITY))
    image = cv2.warpAffine(small, m, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    inside = cv2.warpAffine(np.ones(small.shape[:2], np.float32), m, size, flags=cv2.INTER_LINEAR)
    return Cutout(image, soft(finder.person_mask(image) * inside), DENSITY)


def place(frame: np.ndarray, cut: Cutout, centre_x: float, scale: float, angle: float = 0.0) -> np.ndarray:
    """Composite the person, head near the top, shoulders leaving the picture at the bottom, like a kiosk."""
    w, h = FRAME
    ph, pw = cut.image.shape[:2]
    pivot = (FACE_X * cut.density, ph * 0.3)
    m = cv2.getRotationMatrix2D(pivot, angle, scale / cut.density)
    m[0, 2] += centre_x - pivot[0]
    m[1, 2] += TOP_PX + pivot[1] / cut.density * scale - pivot[1]
    warped = cv2.warpAffine(cut.image, m, (w, h), flags=cv2.INTER_CUBIC)
    a = cv2.warpAffine(cut.alpha, m, (w, h), flags=cv2.INTER_LINEAR)[..., None]
    return (frame * (1 - a) + warped * a).astype(np.uint8)


def phone_with_qr(code: str) -> np.ndarray:
    """A phone face-on: dark body, white screen, the capture-code QR and its text."""
    qr = qrcode.QRCode(border=2, box_size=8)
    qr.add_data(code)
    qr.make(fit=True)
    img = np.array(qr.make_image(fill_color="black", back_color="white").convert("L"))
    side = 260
    img = cv2.resize(img, (side, side), interpolation=cv2.INTER_NEAREST)
    phone = np.full((560, 300, 3), 30, np.uint8)
    cv2.rectangle(phone, (14, 40), (286, 520), (250, 250, 250), -1)
    phone[140:140 + side, 20:20 + side] = img[..., None]
    cv2.putText(phone, code, (55, 445), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (40, 40, 40), 2, cv2.LINE_AA)
    return phone


def hold_phone(frame: np.ndarray, phone: np.ndarray, corners: list[tuple[float, float]]) -> np.ndarray:
    """Perspective-warp the phone into the frame at the given corners (tl, tr, br, bl)."""
    h, w = phone.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    m = cv2.getPerspectiveTransform(src, np.float32(corners))
    warped = cv2.warpPerspective(phone, m, FRAME, flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), m, FRAME)[..., None] / 255.0
    return (frame * (1 - mask) + warped * mask).astype(np.uint8)


def save(path: Path, image: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    assert ok
    path.write_bytes(data.tobytes())


def load_astronaut(path: str | None) -> np.ndarray:
    if path:
        image = cv2.imread(path)
        if image is None:
            raise SystemExit(f"cannot read {path}")
        return image
    from skimage import data  # type: ignore[import-not-found]

    return cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)


def own_frames(folder: Path, cut: Cutout, code: str, rng: np.random.Generator) -> None:
    """A student's turn at the camera: their phone held up (the camera identifies them), then two clean frames."""
    corners = [(330, 390), (540, 375), (560, 780), (345, 800)]  # lower than 林晓雯's: their faces are lower
    save(folder / f"{code}_1_phone.jpg", hold_phone(place(backdrop(rng), cut, 640, 2.0), phone_with_qr(code), corners))
    save(folder / f"{code}_2_good.jpg", place(backdrop(rng), cut, 640, 2.0))
    save(folder / f"{code}_3_good_shifted.jpg", place(backdrop(rng), cut, 610, 2.0 * 1.03))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--astronaut", help="path to skimage/data/astronaut.png")
    parser.add_argument("--faces", required=True, help="folder holding the photos scripts/demo_faces.py names")
    args = parser.parse_args()
    rng = np.random.default_rng(6)
    finder = HairTopFinder()
    person = cut_out_person(load_astronaut(args.astronaut), finder)
    scale = 2.0
    kiosk = OUT / "kiosk"
    save(kiosk / "01_good.jpg", place(backdrop(rng), person, 640, scale))
    save(kiosk / "02_good_shifted.jpg", place(backdrop(rng), person, 610, scale * 1.03))
    save(kiosk / "03_tilted.jpg", place(backdrop(rng), person, 640, scale, angle=15))
    save(kiosk / "04_off_centre.jpg", place(backdrop(rng), person, 110, scale))
    two = place(backdrop(rng), person, 400, scale * 0.8)
    save(kiosk / "05_two_people.jpg", place(two, person, 900, scale * 0.75))
    save(kiosk / "06_black.jpg", np.zeros((FRAME[1], FRAME[0], 3), np.uint8))
    qr_dir = OUT / "qr"
    for i, code in enumerate(["DEMO0001", "DEMO0002"]):
        frame = place(backdrop(rng), person, 640, scale)
        corners = [(380 + 30 * i, 300), (590 + 30 * i, 285), (610 + 30 * i, 690), (395 + 30 * i, 710)]
        save(qr_dir / f"{code}.jpg", hold_phone(frame, phone_with_qr(code), corners))
    embedder = FaceEmbedder()
    own = np.random.default_rng(21)  # a generator of their own: the frames above stay as they were
    for face in FACES:
        own_frames(OUT / "students", cut_out_portrait(read_photo(args.faces, face.camera), finder, embedder),
                   face.code, own)
    finder.close()
    total = sum(p.stat().st_size for p in OUT.rglob("*.jpg"))
    print(f"wrote {OUT} ({total / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
