"""A phone in the photo (code_in_photo): how often it speaks where no code is, how often it catches a code that is in
the photo, and what it costs.

- False alarms, through `photo-station check`'s own code (station.adapters.cli.check.check_all: the shipped policy and
  engine): the first N celebahq test images (none holds a code; their portraits are too tight for the crop, so the
  check does not read them), and kiosk scenes (training.kiosk_scenes) of the first N celebamaskhq test portraits and
  of those N celebahq ones, on the blue backdrop in a 1280x720 frame, where the crop is planned and the check reads.
  The scenes are written to a temporary folder outside the project and deleted after the run.
- Catches, on those scenes whose crop was planned, in-process (ComplianceEngine.analyze, as the shutter): a phone
  showing a QR code (code 40-90 px wide, the next student's phone in the queue), flat and sharp, slanted, or slanted
  and out of focus, pasted at a random place inside the crop (never over the head), and at a random place beyond the
  phone's reach of the crop (it must pass).
- Cost (CPU ms, thread_time, of the check's own work, medians and p95 over the scenes): on a still (the shutter and
  `check`: one plain zbar pass around the crop), with and without a code; on a live frame (the code scanner's codes
  are given: no reading).
Run: .venv/bin/python scripts/benchmark_code_in_photo.py [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
import qrcode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station.adapters.cli.check import check_all, reported  # noqa: E402
from station.compliance import Analysis, ComplianceEngine, Policy  # noqa: E402
from station.compliance.codes import code_in_photo  # noqa: E402
from station.compliance.results import FAIL, LOOK, PASS  # noqa: E402
from station.identify.frames import SeenCode  # noqa: E402
from training import kiosk_scenes as scenes  # noqa: E402
from training.datasets import FACES_DIR, load_split  # noqa: E402

CHECK = "code_in_photo"
SMALL_PX = 60  # the catches are given for codes narrower than this (of 40-90 px) and the others


def levels(outcomes) -> dict[str, int]:
    """How many outcomes had the check at each level, how many had a crop plan (the check read the frame); a photo
    measured turned counts as check reports it, turned."""
    counts = {PASS: 0, LOOK: 0, FAIL: 0, "planned": 0, "no_face_or_unreadable": 0}
    for _, found in outcomes:
        outcome = reported(found)
        if not isinstance(outcome, Analysis) or outcome.face is None:
            counts["no_face_or_unreadable"] += 1
            continue
        counts[outcome.checks[CHECK].level] += 1
        counts["planned"] += outcome.crop is not None
    return counts


LOOKS = ("flat, sharp", "slanted, sharp", "slanted, soft")


def phone(payload: str, code_px: int, rng: np.random.Generator, look: str) -> tuple[np.ndarray, np.ndarray]:
    """A phone showing `payload`'s QR code `code_px` wide, and the mask of its pixels: flat, or slanted (each corner
    moved up to 15 % of its size, a phone held at a slant); sharp, or soft (a 5 px Gaussian: out of focus behind)."""
    code = qrcode.make(payload, box_size=8, border=2).get_image().convert("RGB")
    code = cv2.resize(cv2.cvtColor(np.array(code), cv2.COLOR_RGB2BGR), (code_px, code_px), interpolation=cv2.INTER_AREA)
    bezel = max(2, code_px // 8)
    item = np.full((code_px + 4 * bezel, code_px + 2 * bezel, 3), 25, np.uint8)
    item[2 * bezel:2 * bezel + code_px, bezel:bezel + code_px] = code
    mask = np.full(item.shape[:2], 255, np.uint8)
    if look == "flat, sharp":
        return item, mask
    h, w = item.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = src + rng.uniform(-0.15, 0.15, (4, 2)).astype(np.float32) * np.float32([w, h])
    dst -= dst.min(axis=0)
    size = tuple(int(v) + 1 for v in dst.max(axis=0))
    matrix = cv2.getPerspectiveTransform(src, dst)
    item = cv2.warpPerspective(item, matrix, size)
    if look == "slanted, soft":
        item = cv2.GaussianBlur(item, (5, 5), 0)
    return item, cv2.warpPerspective(mask, matrix, size, flags=cv2.INTER_NEAREST)


def pasted(frame: np.ndarray, item: np.ndarray, mask: np.ndarray, x: int, y: int) -> np.ndarray:
    out = frame.copy()
    h, w = item.shape[:2]
    region = out[y:y + h, x:x + w]
    region[mask > 0] = item[mask > 0]
    return out


def place(frame: np.ndarray, item: np.ndarray, corners: np.ndarray, head: tuple, inside: bool, reach: float,
          rng: np.random.Generator) -> tuple[int, int] | None:
    """A random top left for `item`: wholly inside the crop and clear of the head, or clear of the crop by more than the
    phone's reach (the code's size times `reach`, plus its bezel)."""
    height, width = frame.shape[:2]
    h, w = item.shape[:2]
    hx, hy, hw, hh = head
    for _ in range(500):
        x, y = int(rng.integers(0, width - w)), int(rng.integers(0, height - h))
        box = np.float32([[x, y], [x + w, y], [x + w, y + h], [x, y + h]])
        if inside:
            if all(cv2.pointPolygonTest(corners, (float(px), float(py)), False) > 0 for px, py in box) and not (
                    x < hx + hw and x + w > hx and y < hy + hh and y + h > hy):
                return x, y
        else:
            gap = (reach + 0.2) * w
            if max(cv2.pointPolygonTest(corners, (float(px), float(py)), True) for px, py in box) < -gap and not any(
                    cv2.pointPolygonTest(box, (float(cx), float(cy)), False) >= 0 for cx, cy in corners):
                return x, y
    return None


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.1%})" if whole else "0/0"


def ms(values: list[float]) -> str:
    if not values:
        return "n/a"
    return f"median {np.median(values):.2f} ms, p95 {np.percentile(values, 95):.2f} ms (n={len(values)})"


def catches_and_cost(paths: list[Path], policy: Policy, rng: np.random.Generator) -> None:
    """Each scene whose crop is planned, again with a phone inside the crop and with one beyond its reach."""
    reach = policy[CHECK]["phone_reach"]
    caught = {(look, inside, small): {PASS: 0, LOOK: 0, FAIL: 0, "lost": 0} for look in LOOKS
              for inside in (True, False) for small in (True, False)}
    cost: dict[str, list[float]] = {name: [] for name in ("still, no code", "still, a code inside",
                                                          "live frame (scanner's codes)")}

    def timed(name: str, *args):
        before = time.thread_time()
        found = code_in_photo(*args)
        cost[name].append((time.thread_time() - before) * 1000)
        return found

    with ComplianceEngine.load(policy) as engine:
        for path in paths:
            frame = cv2.imread(str(path))
            clean = engine.analyze(frame)
            if clean.crop is None or clean.head_box is None:
                continue
            plan, corners = clean.crop, clean.crop.corners().astype(np.float32)
            timed("still, no code", frame, plan, policy[CHECK])
            for look, inside in [(look, inside) for look in LOOKS for inside in (True, False)]:
                code_px = int(rng.integers(40, 91))
                item, mask = phone(f"CJM{int(rng.integers(10**6)):06d}", code_px, rng, look)
                at = place(frame, item, corners, clean.head_box, inside, reach, rng)
                if at is None:
                    continue
                shown = pasted(frame, item, mask, *at)
                analysis = engine.analyze(shown)
                level = "lost" if analysis.crop is None else analysis.checks[CHECK].level
                caught[look, inside, code_px < SMALL_PX][level] += 1
                if inside and look == LOOKS[0]:
                    found = timed("still, a code inside", shown, plan, policy[CHECK])
                    told = tuple(SeenCode("x", 0.05, box) for box in found.boxes)
                    timed("live frame (scanner's codes)", shown, plan, policy[CHECK], told)
    for (look, inside, small), counts in caught.items():
        total = sum(counts.values())
        where = "inside the crop (should block)" if inside else "beyond the phone's reach (should pass)"
        size = f"code under {SMALL_PX} px" if small else f"code {SMALL_PX} px or more"
        print(f"a {look} phone, {size}, {where}: block {pct(counts[FAIL], total)}, "
              f"look {pct(counts[LOOK], total)}, pass {pct(counts[PASS], total)}, "
              f"no crop planned {pct(counts['lost'], total)}")
    for name, values in cost.items():
        print(f"CPU cost of the check, {name}: {ms(values)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=300, help="test images per set (default 300)")
    args = parser.parse_args()
    if not FACES_DIR.is_dir():
        sys.exit(f"{FACES_DIR} is absent")
    policy = Policy.load()
    celebahq = [FACES_DIR / "celebahq" / f for f in load_split("celebahq")["test"][:args.limit]]
    print(f"celebahq test, `check` ({len(celebahq)} images):", levels(check_all(celebahq, policy, workers=2)),
          flush=True)
    rng = np.random.default_rng(20261205)
    with tempfile.TemporaryDirectory() as tmp:
        paths = scenes.write_test_scenes(Path(tmp), args.limit, rng)
        outcomes = check_all(paths, policy, workers=2)
        print(f"kiosk scenes of celebamaskhq and celebahq test, `check` ({len(paths)}):", levels(outcomes), flush=True)
        catches_and_cost(paths, policy, rng)


if __name__ == "__main__":
    main()
