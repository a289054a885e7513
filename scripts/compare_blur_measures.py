"""Blur measures compared on VAL (issue 20, item 3; session 35): the shipped `photometry.sharpness` ("S") and five
candidates, by the rule written before their figures, and NBk, by rule B' (docs/compliance.md, "Blur against a
Laplacian variance on the face", session 35; none shipped). Nothing here reads a test split.

collect: writes the val images to WORK/img (benchmark_blur's celebahq val blurs at both sizes; benchmark_webcam's val
scenes under the rows the rule names, and 3 and 4 EV under; benchmark_compliance's kiosk blur frames, a 2.5 px Gaussian
and a 15 px motion blur, on the celebamaskhq val portraits), runs `check`'s own code (check_all) on them once and keeps
each face's mesh in WORK/records.pkl (about 5,150 images, 8-10 minutes on 2 cores).
evaluate: computes every candidate from those images and meshes (cached in WORK/values.pkl) and prints the rule's
figures: the 12 AUC cells beside the Laplacian variance's, each candidate's limits by session 22's webcam rule, its
webcam rows, kiosk frames, dim faces and ms per face, and whether it is eligible. --kiosk-block: amendment A1 (the
block limit raised until the kiosk blur frames are blocked as by S), by which NB128 (amendment A2) was judged.

  nice -n 10 .venv/bin/python scripts/compare_blur_measures.py collect [--work /tmp/blur-measures]
  .venv/bin/python scripts/compare_blur_measures.py evaluate [--kiosk-block] [--work /tmp/blur-measures]
"""

from __future__ import annotations

import argparse
import math
import pickle
import sys
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import benchmark_blur as bb  # noqa: E402
import benchmark_webcam as bw  # noqa: E402
from station.adapters.cli.check import check_all, reported  # noqa: E402
from station.compliance import Analysis, Policy  # noqa: E402
from station.compliance import photometry as ph  # noqa: E402
from station.compliance.results import FAIL, LOOK  # noqa: E402
from station.face.landmarks import Face  # noqa: E402
from station.face.segmentation import PersonSegmenter  # noqa: E402
from training import kiosk_scenes as scenes  # noqa: E402
from training.datasets import FACES_DIR, celeba_sized, load_mask, load_split  # noqa: E402
from training.training import roc_auc  # noqa: E402

WORK = Path("/tmp/blur-measures")  # --work
CAP = 240  # px: the middle of the CHSI photo's face width (180-300)
TOLERATED = ("clean", "res960", "noise", "mjpg60", "defocus", "warm", "cool", "vignette", "lamp15", "webcam720",
             "under07", "over05")
WEBCAM_ROWS = TOLERATED + ("under2", "defocus3", "res640")


# --- the candidates --------------------------------------------------------------------------------------------------

def native(bgr: np.ndarray, face: Face, cap: int = CAP) -> tuple[np.ndarray, np.ndarray]:
    """The face box's grey levels at the image's own resolution, shrunk only past `cap` px wide; the outline's mask."""
    x0, y0, x1, y1 = ph.face_box_pixels(bgr, face)
    grey = cv2.cvtColor(bgr[y0:y1, x0:x1], cv2.COLOR_BGR2GRAY)
    scale = min(1.0, cap / (x1 - x0))
    if scale < 1:
        grey = cv2.resize(grey, (cap, max(4, round((y1 - y0) * scale))), interpolation=cv2.INTER_AREA)
    points = (face.points[:, :2] - (x0, y0)) * scale
    inside = np.zeros(grey.shape, np.uint8)
    cv2.fillPoly(inside, [np.round(points[list(ph.FACE_OVAL)]).astype(np.int32)], 1)
    return grey.astype(np.float32), inside


def gain_of(lightness: float, lit: float) -> float:
    return max(1.0, (lit + 16) / (lightness + 16)) ** ph.SRGB_PER_LIGHTNESS


def least_direction(grey: np.ndarray, where: np.ndarray | None) -> float:
    out = []
    for k in ph.SECOND_DERIVATIVES:
        d = cv2.filter2D(grey, -1, k)
        out.append(float((d[where] if where is not None else d).var()))
    return min(out)


def candidates(bgr: np.ndarray, face: Face, lit: float) -> dict[str, float]:
    patch = ph.FacePatch.cut(bgr, face)
    out = {"S": ph.sharpness(patch, lit)}
    g = gain_of(patch.mean_lightness if patch.inside.any() else lit, lit)
    grey, inside = native(bgr, face)
    inner = cv2.erode(inside, np.ones((5, 5), np.uint8)).astype(bool)
    if inner.sum() < 50:
        inner = np.ones_like(inner, bool)
    out["N"] = math.log(least_direction(grey, inner) * g ** 2 + 1.0)
    box_least = least_direction(grey, None)
    out["NB"] = math.log(box_least * g ** 2 + 1.0)
    lap = float(cv2.Laplacian(grey, cv2.CV_32F).var())
    out["NL"] = 0.5 * (math.log(lap * g ** 2 + 1.0) + out["NB"])
    out["NC"] = math.log(box_least / (float(grey.var()) + 1.0) + 1e-9)
    # rule B': NB as the face would read enlarged to CAP px wide (a derivative scales by 1/k under an enlargement by k)
    x0, _, x1, _ = ph.face_box_pixels(bgr, face)
    out["NBk"] = out["NB"] - 4 * math.log(max(1.0, CAP / (x1 - x0)))
    small, _ = native(bgr, face, ph.PATCH_WIDTH)  # amendment A2: shrunk to 128 px as S's patch, never enlarged
    out["NB128"] = math.log(least_direction(small, None) * g ** 2 + 1.0)
    return out


NAMES = ("S", "N", "NB", "NL", "NC", "NB128", "NBk")


def timed(bgr: np.ndarray, face: Face, lit: float, repeat: int = 5) -> dict[str, float]:
    """ms per face: S's sharpness on the 128 px patch the engine cuts anyway; the others from the frame."""
    patch = ph.FacePatch.cut(bgr, face)
    g = 1.0
    out = {}

    def run(name: str) -> None:
        if name == "S":
            ph.sharpness(patch, lit)
            return
        grey, inside = native(bgr, face)
        if name == "N":
            inner = cv2.erode(inside, np.ones((5, 5), np.uint8)).astype(bool)
            math.log(least_direction(grey, inner) * g + 1)
        elif name in ("NB", "NB128", "NBk"):
            if name == "NB128":
                grey, _ = native(bgr, face, ph.PATCH_WIDTH)
            math.log(least_direction(grey, None) * g + 1)
        elif name == "NL":
            least_direction(grey, None)
            cv2.Laplacian(grey, cv2.CV_32F).var()
        else:
            least_direction(grey, None) / (grey.var() + 1)
    for name in NAMES:
        run(name)
        start = time.perf_counter()
        for _ in range(repeat):
            run(name)
        out[name] = (time.perf_counter() - start) * 1000 / repeat
    return out


# --- collect ---------------------------------------------------------------------------------------------------------

def collect(limit: int, faces_n: int) -> None:
    img = WORK / "img"
    img.mkdir(parents=True, exist_ok=True)
    jobs: list[tuple[Path, dict]] = []
    # 1. benchmark_blur's images, on val, in its own order (its rng draws the motion angles alike)
    files = [FACES_DIR / "celebahq" / f for f in load_split("celebahq")["val"][:limit]]
    rng = np.random.default_rng(20261207)
    for size in ("178x218", "256x256"):
        folder = img / f"blur_{size}"
        folder.mkdir(exist_ok=True)
        sharp = celeba_sized(files, folder) if size == "178x218" else files
        for p in sharp:
            jobs.append((Path(p), {"part": "blur", "size": size, "stem": Path(p).stem, "how": "sharp"}))
        for how in bb.BLURS:
            for image_path in sharp:
                copy = folder / f"{Path(image_path).stem}_{how.replace(' ', '_')}.png"
                cv2.imwrite(str(copy), bb.blurred(cv2.imread(str(image_path)), how, rng))
                jobs.append((copy, {"part": "blur", "size": size, "stem": Path(image_path).stem, "how": how}))
    # 2. benchmark_webcam's val scenes
    faces = bw.compliant_faces("val", faces_n)
    with PersonSegmenter(portrait=True) as segmenter:
        portraits = [bw.portrait(*face, bw.SEED + i, segmenter) for i, face in enumerate(faces)]
    conditions = dict(bw.CONDITIONS)
    conditions["under3"] = lambda p, r: bw.exposed(p.scene, -3.0)
    conditions["under4"] = lambda p, r: bw.exposed(p.scene, -4.0)
    folder = img / "webcam"
    folder.mkdir(exist_ok=True)
    for name in WEBCAM_ROWS + ("under3", "under4"):
        for i, p in enumerate(portraits):
            path = folder / f"{name}_{i:04d}.png"
            cv2.imwrite(str(path), conditions[name](p, np.random.default_rng((bw.SEED, i, sum(name.encode())))),
                        [cv2.IMWRITE_PNG_COMPRESSION, 1])
            jobs.append((path, {"part": "webcam", "row": name, "i": i}))
    # 3. the kiosk blur frames (benchmark_compliance's scene blur) on celebamaskhq val
    folder = img / "kiosk"
    folder.mkdir(exist_ok=True)
    krng = np.random.default_rng(20261124)
    motion = np.zeros((15, 15), np.float32)
    motion[7, :] = 1 / 15
    for i, file in enumerate(load_split("celebamaskhq")["val"]):
        image = cv2.imread(str(FACES_DIR / "celebamaskhq" / file))
        good = scenes.compose(image, load_mask(file), scenes.backdrop("blue", krng), seed=i)
        for kind, frame in (("sharp", good), ("gauss25", cv2.GaussianBlur(good, (0, 0), 2.5)),
                            ("motion15", cv2.filter2D(good, -1, motion))):
            path = folder / f"{kind}_{i:04d}.png"
            cv2.imwrite(str(path), frame, [cv2.IMWRITE_PNG_COMPRESSION, 1])
            jobs.append((path, {"part": "kiosk", "kind": kind, "i": i}))
    print(f"{len(jobs)} images", flush=True)
    policy = Policy.load()
    records = []
    start = time.perf_counter()
    for n, ((path, outcome), (_, meta)) in enumerate(zip(check_all([str(p) for p, _ in jobs], policy, workers=2),
                                                         jobs)):
        outcome = reported(outcome)
        rec = dict(meta, path=str(path), face=None)
        if isinstance(outcome, Analysis) and outcome.face is not None:
            rec["face"] = (outcome.face.points.copy(), outcome.face.image_size)
            blur = outcome.checks.get("blur")
            rec["level"] = blur.level if blur is not None else None
            rec["score"] = blur.score if blur is not None else None
        records.append(rec)
        if n % 500 == 0:
            print(n, f"{time.perf_counter() - start:.0f} s", flush=True)
    (WORK / "records.pkl").write_bytes(pickle.dumps(records))
    print(f"done in {time.perf_counter() - start:.0f} s")


# --- evaluate --------------------------------------------------------------------------------------------------------

def measure_all(records: list[dict], lit: float) -> None:
    cache = WORK / "values.pkl"
    if cache.exists():
        values = pickle.loads(cache.read_bytes())
        for rec, v in zip(records, values):
            rec.update(v)
        return
    values = []
    for rec in records:
        v = {}
        if rec["face"] is not None:
            bgr = cv2.imread(rec["path"])
            face = Face(*rec["face"])
            v["c"] = candidates(bgr, face, lit)
            v["lightness"] = ph.FacePatch.cut(bgr, face).mean_lightness
            if rec["part"] == "blur":
                v["lap"] = bb.laplacian_variance(Path(rec["path"]), face.points)
            if rec["part"] == "webcam" and rec["row"] == "clean":
                v["ms"] = timed(bgr, face, lit)
        values.append(v)
        rec.update(v)
    cache.write_bytes(pickle.dumps(values))


def aucs(records: list[dict]) -> dict[str, dict[tuple[str, str], float]]:
    blur = [r for r in records if r["part"] == "blur" and r.get("c")]
    by = {(r["size"], r["stem"], r["how"]): r for r in blur}
    out: dict[str, dict] = {n: {} for n in NAMES + ("lap",)}
    for how in bb.BLURS:
        pooled = []
        for size in ("178x218", "256x256"):
            pairs = [(by[(size, s, "sharp")], by.get((size, s, how))) for (sz, s, h) in by if sz == size and h == "sharp"]
            pairs = [(a, b) for a, b in pairs if b is not None]
            pooled += pairs
            for name, (a_, b_) in score_sets(pairs).items():
                out[name][(size, how)] = roc_auc(np.array([0] * len(a_) + [1] * len(b_)), np.array(a_ + b_))
        for name, (a_, b_) in score_sets(pooled).items():
            out[name][("both", how)] = roc_auc(np.array([0] * len(a_) + [1] * len(b_)), np.array(a_ + b_))
        out.setdefault("_n", {})[how] = len(pooled)
    return out


def score_sets(pairs: list[tuple[dict, dict]]) -> dict[str, tuple[list[float], list[float]]]:
    """Higher when blurrier: minus each measure."""
    sets = {n: ([-a["c"][n] for a, _ in pairs], [-b["c"][n] for _, b in pairs]) for n in NAMES}
    sets["lap"] = ([-a["lap"] for a, _ in pairs], [-b["lap"] for _, b in pairs])
    return sets


def level(value: float, block: float, look: float) -> str:
    return FAIL if value < block else LOOK if value < look else "pass"


def shares(rows: dict[str, list[float | None]], block: float, look: float) -> dict[str, tuple[float, float]]:
    """Per row: (blocked share, blocked+asked share) among scenes with a face."""
    out = {}
    for row, vals in rows.items():
        read = [v for v in vals if v is not None]
        lv = [level(v, block, look) for v in read]
        out[row] = (lv.count(FAIL) / max(1, len(read)), (lv.count(FAIL) + lv.count(LOOK)) / max(1, len(read)))
    return out


def evaluate(kiosk_block: bool) -> None:
    records = pickle.loads((WORK / "records.pkl").read_bytes())
    policy = Policy.load()
    lit = ph.asked_below(policy["exposure"])
    measure_all(records, lit)
    shipped_block = policy["blur"]["min_sharpness"]
    shipped_look = shipped_block + policy["blur"]["softness"] * math.log(1 / policy["blur"].look - 1)
    print(f"shipped limits: block {shipped_block}, look {shipped_look:.3f}")
    # sanity: S reproduces the shipped levels
    mism = sum(1 for r in records if r.get("c") and r.get("level") in (FAIL, LOOK, "pass")
               and level(r["c"]["S"], shipped_block, shipped_look) != r["level"])
    print(f"S's level differs from check's on {mism} images (dark/covered ones excepted)")
    # 1. AUCs
    table = aucs(records)
    print("\nAUC on celebahq val (blurred against sharp); n per blur pooled:", table.pop("_n"))
    cells = list(table["lap"])
    print("| cell | " + " | ".join(NAMES) + " | Laplacian |")
    for cell in cells:
        print(f"| {cell[0]} {cell[1]} | " + " | ".join(f"{table[n][cell]:.3f}" for n in NAMES)
              + f" | {table['lap'][cell]:.3f} |")
    margins = {n: min(round(table[n][c], 3) - round(table["lap"][c], 3) for c in cells) for n in NAMES}
    print("smallest margin (candidate - Laplacian):", {n: f"{m:+.3f}" for n, m in margins.items()})
    # 2. webcam rows and limits
    web = [r for r in records if r["part"] == "webcam"]
    rows: dict[str, dict[str, list[float | None]]] = {n: {} for n in NAMES}
    lights = {}
    count = max(r["i"] for r in web) + 1
    for r in web:
        for n in NAMES:
            rows[n].setdefault(r["row"], [None] * count)
            rows[n][r["row"]][r["i"]] = r["c"][n] if r.get("c") else None
        lights[(r["row"], r["i"])] = r.get("lightness")
    for n in rows:  # dark rows: only faces still judged (mean L* >= 14)
        for row in ("under3", "under4"):
            rows[n][row] = [v if v is not None and (lights[(row, i)] or 0) >= ph.MIN_JUDGED_FACE_LIGHTNESS else None
                            for i, v in enumerate(rows[n][row])]
    ref = shares(rows["S"], shipped_block, shipped_look)
    print("\nshipped S on val webcam rows (blocked %, blocked+asked %):",
          {k: (round(100 * a), round(100 * b)) for k, (a, b) in ref.items()})
    kiosk = [r for r in records if r["part"] == "kiosk"]
    kref = kiosk_counts(kiosk, "S", shipped_block, shipped_look)
    print("shipped S kiosk frames (blocked, asked, passed):", kref)
    ms = {n: float(np.median([r["ms"][n] for r in web if r.get("ms")])) for n in NAMES}
    print("median ms per face on the clean val scenes:", {n: f"{v:.2f}" for n, v in ms.items()})
    held = TOLERATED + ("under2",)
    for n in NAMES[1:]:
        tol = [v for row in TOLERATED for v in rows[n][row] if v is not None]
        b = math.floor(np.percentile(tol, 1) / 0.05) * 0.05
        d3 = lambda lim: sum(v is not None and v < lim for v in rows[n]["defocus3"])  # noqa: E731
        target = sum(v is not None and v < shipped_block for v in rows["S"]["defocus3"])
        while d3(b) < target:
            b += 0.05
        if kiosk_block:  # amendment A1 (--kiosk-block): raised until the val kiosk blur frames are blocked as by S
            kb = lambda lim: kiosk_counts(kiosk, n, lim, lim)  # noqa: E731
            while b < 10 and any(kb(b)[k][0] < kref[k][0] for k in ("gauss25", "motion15")):
                b += 0.05
        ok_at = lambda lk: all(shares({k: rows[n][k]}, b, lk)[k][0] <= ref[k][0] + 1e-9  # noqa: E731
                               and shares({k: rows[n][k]}, b, lk)[k][1] <= ref[k][1] + 1e-9 for k in held)
        eligible = ok_at(b)
        look = b
        while eligible and ok_at(look + 0.05) and look < b + 5:
            look += 0.05
        got = shares(rows[n], b, look)
        print(f"\n{n}: 1st percentile tolerated {np.percentile(tol, 1):.3f}; block {b:.2f} (defocus3 {d3(b)} vs "
              f"{target}), look {look:.2f}; webcam rows eligible: {eligible}")
        print("  blocked/blocked+asked %:", {k: (round(100 * a), round(100 * bb_)) for k, (a, bb_) in got.items()})
        bad = [k for k in held + ("under3", "under4") if got[k][1] > ref[k][1] + 1e-9 or got[k][0] > ref[k][0] + 1e-9]
        d3ok = got["defocus3"][0] >= ref["defocus3"][0] and got["defocus3"][1] >= ref["defocus3"][1]
        kc = kiosk_counts(kiosk, n, b, look)
        kok = all(kc[k][0] >= kref[k][0] and kc[k][2] <= kref[k][2] for k in ("gauss25", "motion15")) and \
            kc["sharp"][0] + kc["sharp"][1] <= kref["sharp"][0] + kref["sharp"][1]
        print(f"  rows above S: {bad}; defocus3 ok {d3ok}; kiosk {kc} ok {kok}; ms {ms[n]:.2f} vs {ms['S']:.2f} "
              f"ok {ms[n] <= ms['S'] + 1.0}")
        print(f"  ELIGIBLE: {eligible and not bad and d3ok and kok and ms[n] <= ms['S'] + 1.0}; "
              f"smallest AUC margin {margins[n]:+.3f} (S {margins['S']:+.3f}); worst vs S "
              f"{min(round(table[n][c], 3) - round(table['S'][c], 3) for c in cells):+.3f}")


def kiosk_counts(kiosk: list[dict], n: str, block: float, look: float) -> dict[str, tuple[int, int, int]]:
    out = {}
    for kind in ("sharp", "gauss25", "motion15"):
        lv = [level(r["c"][n], block, look) for r in kiosk if r["kind"] == kind and r.get("c")]
        out[kind] = (lv.count(FAIL), lv.count(LOOK), lv.count("pass"))
    return out


def main() -> None:
    global WORK
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("collect", "evaluate"))
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--faces", type=int, default=100)
    parser.add_argument("--kiosk-block", action="store_true", help="amendment A1 (evaluate)")
    parser.add_argument("--work", type=Path, default=WORK, help="where the images and meshes are kept")
    args = parser.parse_args()
    WORK = args.work
    collect(args.limit, args.faces) if args.what == "collect" else evaluate(args.kiosk_block)


if __name__ == "__main__":
    main()
