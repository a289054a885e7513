"""Face verification on ID-like photos: a proxy made from the held-out LFW people, since no ID photos are here.

At a station the reference is an enrolment or ID photo (small, frontal, plain backdrop, JPEG) and the capture a
480x640 CHSI photo. This composes such photos from the LFW people the thresholds never saw (the `test` side of
training/splits/lfw_identities.csv): each image's person is cut out with mediapipe's selfie segmentation, put on
a plain blue backdrop and framed head and shoulders around its face (make_demo_references.id_photo: the face half
the photo's width) at the sizes a station meets, then stored as JPEG quality 75:
- id358: 358x441, a scanned enrolment photo;
- id102: 102x126, the resident ID card chip photo's size (the 358x441 photo shrunk);
- id82: 82x101, the chip photo at 80 % (a face about 41 px wide: the smallest a reference photo may show);
- chsi480: 480x640, the CHSI photo's size.
Pairs as scripts/benchmark_verify.py makes them (same person: genuine; two people: impostor), within one condition
(every i < j) and across two (reference image i against capture image j, every i != j: a photo is never paired
with a version of itself); "lfw" is the original photo. Thresholds are the shipped ones, never chosen here.
It is a proxy: LFW's mostly Western public figures on composed backdrops, not Chinese volunteers' ID photos.

  nice -n 10 .venv/bin/python scripts/benchmark_verify_idlike.py [--cache /tmp/idlike] [--save-examples DIR]

With --dlib-onnx (dlib's ResNet, training/convert_dlib_resnet.py) each photo's YuNet face is embedded by dlib's ResNet
too and kept in the cache as `<condition>_dlib`, for scripts/benchmark_verify_norm.py --fused (model card: "Centring
on top of the SFace + dlib fusion").
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.benchmark_verify import (LFW, cache_name, images_of, pair_scores, people_argument,  # noqa: E402
                                     print_figures)
from scripts.make_demo_assets import soft  # noqa: E402
from scripts.make_demo_references import id_frame  # noqa: E402
from station.image_io import read_image  # noqa: E402
from station.identity import verify  # noqa: E402
from station.identity.embedder import FaceEmbedder  # noqa: E402
from station.identity.files import Unusable  # noqa: E402
from station.identity.references import check_photo  # noqa: E402
from training.kiosk_scenes import backdrop  # noqa: E402

SIZES = {"id358": (358, 441), "chsi480": (480, 640)}  # framed around the face
CHIPS = {"id102": (102, 126), "id82": (82, 101)}  # the 358x441 photo shrunk
REFERENCES = ("id358", *CHIPS)
CONDITIONS = ("lfw", *REFERENCES, "chsi480")
JPEG_QUALITY = 75
MARGIN = 0.5  # the portrait is put on a backdrop this much wider on each side, so the framing rarely runs out
PAIRS = ([(c, c) for c in CONDITIONS] + [(c, "lfw") for c in CONDITIONS[1:]]
         + [(r, "chsi480") for r in REFERENCES])

_tools: tuple[FaceEmbedder, object] | None = None
_dlib = None  # scripts/benchmark_verify.DlibResNet when --dlib-onnx is given


def _start(dlib_onnx: Path | None = None) -> None:
    global _tools, _dlib
    cv2.setNumThreads(1)
    from station.face.segmentation import PersonSegmenter

    _tools = (FaceEmbedder(), PersonSegmenter(portrait=True))
    if dlib_onnx is not None:
        from scripts.benchmark_verify import DlibResNet

        _dlib = DlibResNet(dlib_onnx)


def on_backdrop(bgr: np.ndarray, segmenter, face: tuple[float, float, float, float],
                seed: int) -> tuple[np.ndarray, int]:
    """The photo's person on a plain blue backdrop with room around it: the segmented person within a head and
    shoulders outline around `face` (x, y, w, h; bystanders and the black corners LFW's alignment left out), its
    bottom edge continued down, as shoulders leave an ID photo at its bottom; with the margin added on each side."""
    height, width = bgr.shape[:2]
    alpha = soft(segmenter.mask(bgr)) * head_and_shoulders(bgr.shape, face) * ~fill_corners(bgr)
    pad = round(MARGIN * width)
    alpha = cv2.copyMakeBorder(alpha, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
    alpha[pad + height:] = alpha[pad + height - 1]
    person = cv2.copyMakeBorder(bgr, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
    ground = backdrop("blue", np.random.default_rng(seed), (person.shape[1], person.shape[0]))
    return (alpha[:, :, None] * person + (1 - alpha[:, :, None]) * ground).astype(np.uint8), pad


def head_and_shoulders(shape: tuple[int, ...], face: tuple[float, float, float, float]) -> np.ndarray:
    """A soft 0..1 outline of one person: the head around the face box, shoulders below it."""
    x, y, w, h = face
    outline = np.zeros(shape[:2], np.float32)
    centre = (round(x + w / 2), round(y + 0.4 * h))
    cv2.ellipse(outline, centre, (round(0.85 * w), round(0.95 * h)), 0, 0, 360, 1.0, -1)
    top = round(y + 0.9 * h)
    outline[top:, max(0, round(centre[0] - 1.4 * w)):round(centre[0] + 1.4 * w)] = 1.0
    return cv2.GaussianBlur(outline, (0, 0), 0.08 * w)


def fill_corners(bgr: np.ndarray) -> np.ndarray:
    """The black wedges LFW's alignment filled the corners with: near-black regions touching a corner."""
    count, labels = cv2.connectedComponents((cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) < 12).astype(np.uint8))
    corners = {labels[0, 0], labels[0, -1], labels[-1, 0], labels[-1, -1]} - {0}
    return np.isin(labels, list(corners)) if count > 1 else np.zeros(bgr.shape[:2], bool)


def jpeg(bgr: np.ndarray) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def id_like(bgr: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    """The photo in every condition, as decoded from its JPEG (the original as read); framed around the face
    found in the original."""
    embedder, segmenter = _tools
    x, y, w, h = embedder.main_face(bgr)[0].box
    composed, pad = on_backdrop(bgr, segmenter, (x, y, w, h), seed)
    framed = {name: id_frame(composed, (x + pad, y + pad, w, h), size) for name, size in SIZES.items()}
    framed |= {name: cv2.resize(framed["id358"], size, interpolation=cv2.INTER_AREA) for name, size in CHIPS.items()}
    return {"lfw": bgr, **{name: jpeg(image) for name, image in framed.items()}}


def _embed(job: tuple[int, Path]) -> list[tuple[np.ndarray | None, float, str, np.ndarray | None]]:
    """Per condition: the embedding (None: no face), the embedded face's width, what `roster photos` would say of
    the image as a reference photo ("ok" or its refusal code), and dlib's vector of the same face (with --dlib-onnx)."""
    seed, path = job
    embedder = _tools[0]
    out = []
    images = id_like(read_image(path), seed)
    for image in (images[name] for name in CONDITIONS):
        chosen = embedder.main_face(image)  # the face FaceEmbedder.embed embeds, kept for dlib
        if chosen is None:
            out.append((None, 0.0, "no_face", None))
            continue
        face = chosen[0]
        checked = check_photo(embedder, image)
        out.append((embedder.embed_face(image, face), face.width,
                    checked.code if isinstance(checked, Unusable) else "ok",
                    _dlib.embed_face(image, face.row) if _dlib is not None else None))
    return out


def embed_conditions(paths: list[Path], workers: int, dlib_onnx: Path | None = None
                     ) -> dict[str, dict[str, np.ndarray]]:
    with ProcessPoolExecutor(workers, initializer=_start, initargs=(dlib_onnx,)) as pool:
        rows = list(pool.map(_embed, enumerate(paths), chunksize=8))
    result = {}
    for k, name in enumerate(CONDITIONS):
        column = [row[k] for row in rows]
        found = np.array([v is not None for v, _, _, _ in column])
        result[name] = {"matrix": _stacked([v for v, _, _, _ in column]), "found": found,
                        "width": np.array([w for _, w, _, _ in column]),
                        "check": np.array([c for _, _, c, _ in column])}
        if dlib_onnx is not None:
            result[name]["dlib"] = _stacked([d for _, _, _, d in column])
    return result


def _stacked(vectors: list[np.ndarray | None]) -> np.ndarray:
    """Rows of 128-d vectors (both recognisers' size), zeros where no face was found."""
    return np.stack([v if v is not None else np.zeros(verify.EMBEDDING_SIZE, np.float32)
                     for v in vectors]).astype(np.float32)


def save_examples(paths: list[Path], folder: Path) -> None:
    """A few composed photos to look at (outside the project: LFW images are research data)."""
    _start()
    folder.mkdir(parents=True, exist_ok=True)
    for seed, path in list(enumerate(paths))[::400]:
        for name, image in id_like(read_image(path), seed).items():
            cv2.imwrite(str(folder / f"{path.stem}_{name}.jpg"), image)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test"), default="test",
                        help="test: the held-out people; dev: the thresholds' people, for deciding a change first")
    people_argument(parser)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=None, help="folder (outside the project) keeping embeddings")
    parser.add_argument("--save-examples", type=Path, default=None, help="write a few composed photos there")
    parser.add_argument("--dlib-onnx", type=Path, default=None,
                        help="also embed each face with dlib's ResNet (training/convert_dlib_resnet.py's file)")
    args = parser.parse_args()
    if not LFW.is_dir():
        print(f"{LFW} is not present", file=sys.stderr)
        return 2
    items = images_of(args.split, args.people)
    paths, labels = [p for p, _ in items], [i for _, i in items]
    if args.save_examples:
        save_examples(paths, args.save_examples)
    cached = args.cache / cache_name("idlike", args.split, args.people) if args.cache else None
    if cached is not None and cached.exists():
        saved = np.load(cached)
        sets = {name: {part: saved[f"{name}_{part}"] for part in ("matrix", "found", "width", "check")}
                for name in CONDITIONS}
    else:
        sets = embed_conditions(paths, args.workers, args.dlib_onnx)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            np.savez(cached, **{f"{name}_{part}": value for name, parts in sets.items() for part, value in parts.items()})
    print(f"{args.split} LFW people: {len(paths)} images of {len(set(labels))} people; load average "
          f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "")
    for name in CONDITIONS:
        found, width, check = sets[name]["found"], sets[name]["width"], sets[name]["check"]
        codes, counts = np.unique(check[check != "ok"], return_counts=True)
        print(f"{name}: faces not found {int((~found).sum())} of {len(found)}; face width median "
              f"{np.median(width[found]):.0f} px (5th percentile {np.percentile(width[found], 5):.0f}); as a reference "
              f"photo `roster photos` would refuse {int((check != 'ok').sum())}"
              + "".join(f", {code} {n}" for code, n in zip(codes, counts)))
    for reference, capture in PAIRS:
        a, b = sets[reference], sets[capture]
        genuine, impostor = pair_scores(a["matrix"], a["found"], labels, None if reference == capture else b["matrix"],
                                        None if reference == capture else b["found"])
        print(f"{reference} vs {capture}: {len(genuine)} genuine / {len(impostor)} impostor pairs")
        print_figures(genuine, impostor, verify.SAME_THRESHOLD, verify.DIFFERENT_THRESHOLD)
    return 0


if __name__ == "__main__":
    sys.exit(main())
