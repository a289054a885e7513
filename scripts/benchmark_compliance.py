"""Measures the whole compliance engine, end to end, on the held-out "test" parts of the shared datasets.

Every figure goes through ComplianceEngine.analyze on the image (its own face mesh, models and policy
thresholds), never through cached landmarks:
- celebahq test: AUC and balanced accuracy at the shipped threshold for glasses, hat, earrings,
  necklace, mouth_open, eyebrows_covered (Bangs) and blur (Blurry);
- celebamaskhq test: the same against labels read off the parsing masks (training/train_face_attributes);
- genki4k test: head-pose error in degrees, and teeth / mouth_open against the smile label;
- cew_closed test (closed eyes) against genki4k test faces (open eyes): eyes_closed;
- kiosk scenes composed from celebamaskhq test portraits (training.kiosk_scenes): background,
  clothing_contrast, exposure, lighting, blur, face_count, on rule-breaking and good versions;
- time per 1280x720 frame (median, 95th percentile) for the live analyser and for stills, and peak memory.
Run: .venv/bin/python scripts/benchmark_compliance.py [--limit N] [--scenes N] [--json OUT] [--markdown OUT]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import resource
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.datasets import FACES_DIR, load_mask, load_split  # noqa: E402
from training.labels import HEADS, mask_labels  # noqa: E402  (the labels the models learnt)
from training.training import balanced_accuracy, roc_auc  # noqa: E402
from station.compliance import ComplianceEngine, LiveAnalyzer  # noqa: E402
from training import kiosk_scenes as scenes  # noqa: E402
from station.compliance.results import MEASURED, Analysis  # noqa: E402

CELEBA_COLUMNS = {"glasses": "Eyeglasses", "hat": "Wearing_Hat", "earrings": "Wearing_Earrings",
                  "necklace": "Wearing_Necklace", "mouth_open": "Mouth_Slightly_Open", "eyebrows_covered": "Bangs",
                  "blur": "Blurry"}
CROP_BORDER = 0.3  # cew_closed crops are tight: a replicated border lets the face detector fire


@dataclass
class Row:
    check: str
    measured_on: str
    n: int
    positives: int
    auc: float
    balanced_accuracy: float
    threshold: float
    note: str = ""


class Collector:
    """Scores and labels per (check, source); only checks the engine actually measured are kept."""

    def __init__(self, engine: ComplianceEngine) -> None:
        self.engine = engine
        self.data: dict[tuple[str, str], tuple[list[float], list[int]]] = {}
        self.unmeasured: dict[tuple[str, str], int] = {}

    def add(self, check: str, source: str, analysis: Analysis, label: int) -> None:
        result = analysis.checks[check]
        if result.state != MEASURED:
            self.unmeasured[(check, source)] = self.unmeasured.get((check, source), 0) + 1
            return
        scores, labels = self.data.setdefault((check, source), ([], []))
        scores.append(result.score)
        labels.append(int(label))

    def rows(self) -> list[Row]:
        rows = []
        for (check, source), (scores, labels) in self.data.items():
            s, y = np.array(scores), np.array(labels)
            threshold = self.engine.policy[check].block
            both = 0 < y.sum() < len(y)
            missing = self.unmeasured.get((check, source), 0)
            rows.append(Row(check, source, len(y), int(y.sum()), roc_auc(y, s) if both else math.nan,
                            balanced_accuracy(y, s, threshold) if both else math.nan, threshold,
                            f"{missing} not measured" if missing else ""))
        for (check, source), missing in self.unmeasured.items():
            if (check, source) not in self.data:
                rows.append(Row(check, source, 0, 0, math.nan, math.nan, self.engine.policy[check].block,
                                f"not measured on {missing} images (model not installed?)"))
        return sorted(rows, key=lambda r: (r.check, r.measured_on))


def _rows_of(dataset: str) -> dict[str, dict[str, str]]:
    with open(FACES_DIR / dataset / "labels.csv", newline="", encoding="utf-8") as fh:
        return {r["file"]: r for r in csv.DictReader(fh)}


def _test_files(dataset: str, limit: int | None) -> list[str]:
    return load_split(dataset)["test"][:limit]


def celebahq(engine: ComplianceEngine, out: Collector, limit: int | None) -> int:
    rows, no_face = _rows_of("celebahq"), 0
    for file in _test_files("celebahq", limit):
        analysis = engine.analyze(cv2.imread(str(FACES_DIR / "celebahq" / file)))
        if analysis.face is None:
            no_face += 1
            continue
        for check, column in CELEBA_COLUMNS.items():
            out.add(check, f"celebahq:{column}", analysis, int(rows[file][column]))
    return no_face


def celebamaskhq(engine: ComplianceEngine, out: Collector, limit: int | None) -> int:
    no_face = 0
    for file in _test_files("celebamaskhq", limit):
        image = cv2.imread(str(FACES_DIR / "celebamaskhq" / file))
        analysis = engine.analyze(image)
        if analysis.face is None:
            no_face += 1
            continue
        labels = np.full(len(HEADS), np.nan, np.float32)
        mask_labels(file, image, analysis.face.points, labels)
        for check in HEADS:
            if check in analysis.checks and not np.isnan(labels[HEADS.index(check)]):
                out.add(check, "celebamaskhq:mask", analysis, int(labels[HEADS.index(check)]))
    return no_face


def genki(engine: ComplianceEngine, out: Collector, limit: int | None) -> dict[str, float]:
    rows, errors, no_face = _rows_of("genki4k"), [], 0
    for file in _test_files("genki4k", limit):
        analysis = engine.analyze(cv2.imread(str(FACES_DIR / "genki4k" / file)))
        if analysis.pose is None:
            no_face += 1
            continue
        truth = [math.degrees(float(rows[file][k])) for k in ("yaw_rad", "pitch_rad", "roll_rad")]
        pose = analysis.pose
        errors.append([abs(pose.yaw - truth[0]), abs(pose.pitch - truth[1]), abs(pose.roll - truth[2])])
        for check in ("teeth", "mouth_open"):
            out.add(check, "genki4k:smile", analysis, int(rows[file]["smile"]))
        out.add("eyes_closed", "cew_closed vs genki4k", analysis, 0)
    e = np.array(errors)
    return {"faces": len(e), "no_face": no_face, "yaw": float(e[:, 0].mean()), "pitch": float(e[:, 1].mean()),
            "roll": float(e[:, 2].mean()), "mean": float(e.mean()), "median": float(np.median(e))}


def closed_eyes(engine: ComplianceEngine, out: Collector, limit: int | None) -> int:
    no_face = 0
    for file in _test_files("cew_closed", limit):
        crop = cv2.imread(str(FACES_DIR / "cew_closed" / file))
        pad = int(max(crop.shape[:2]) * CROP_BORDER)
        analysis = engine.analyze(cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_REPLICATE))
        if analysis.face is None:
            no_face += 1
            continue
        out.add("eyes_closed", "cew_closed vs genki4k", analysis, 1)
    return no_face


def scene_checks(engine: ComplianceEngine, out: Collector, count: int) -> None:
    """Good kiosk frames against the same frames made to break one rule each."""
    rng = np.random.default_rng(20261124)
    motion = np.zeros((15, 15), np.float32)
    motion[7, :] = 1 / 15
    files = _test_files("celebamaskhq", count)
    for i, file in enumerate(files):
        image = cv2.imread(str(FACES_DIR / "celebamaskhq" / file))
        mask = load_mask(file)
        good_frame = scenes.compose(image, mask, scenes.backdrop("blue", rng), seed=i)
        good = engine.analyze(good_frame)
        if good.face is None:
            continue
        for check in ("background", "clothing_contrast", "exposure", "lighting", "blur", "face_count"):
            out.add(check, "scenes", good, 0)
        x0, y0, side = scenes.placement(good_frame.shape)
        points = good.face.points.copy()  # back in the portrait's pixels, where its mask labels are measured
        points[:, :2] = (points[:, :2] - [x0, y0]) * image.shape[1] / side
        labels = np.full(len(HEADS), np.nan, np.float32)
        mask_labels(file, image, points, labels)
        for check in (c for c in HEADS if c in good.checks):  # learned checks on a kiosk frame
            out.add(check, "scenes:mask", good, int(labels[HEADS.index(check)]))
        for kind in scenes.BACKDROPS[1:]:
            out.add("background", "scenes", engine.analyze(scenes.compose(image, mask, scenes.backdrop(kind, rng),
                                                                          seed=i)), 1)
        dyed = scenes.recolour_clothes(image, mask)
        out.add("clothing_contrast", "scenes", engine.analyze(
            scenes.compose(dyed, mask, scenes.backdrop("blue", rng), clothes=scenes.CHSI_BLUE, seed=i)), 1)
        for gain in (0.22, 2.6):
            frame = np.clip(good_frame.astype(np.float32) * gain, 0, 255).astype(np.uint8)
            out.add("exposure", "scenes", engine.analyze(frame), 1)
        x, _, w, _ = good.face.box
        out.add("lighting", "scenes", engine.analyze(scenes.darken_side(good_frame, x + w / 2)), 1)
        out.add("blur", "scenes", engine.analyze(cv2.GaussianBlur(good_frame, (0, 0), 2.5)), 1)
        out.add("blur", "scenes", engine.analyze(cv2.filter2D(good_frame, -1, motion)), 1)
        other = cv2.imread(str(FACES_DIR / "celebamaskhq" / files[(i + 1) % len(files)]))
        two = good_frame.copy()
        two[150:450, 960:1260] = cv2.resize(other, (300, 300), interpolation=cv2.INTER_AREA)
        out.add("face_count", "scenes", engine.analyze(two), 1)


def timing(frames: int) -> dict[str, float]:
    """Per-frame time at 1280x720: the live analyser on a moving feed, and every check on each still."""
    rng = np.random.default_rng(7)
    files = _test_files("celebamaskhq", max(1, frames // 20))
    feed = []
    for i, file in enumerate(files):
        frame = scenes.compose(cv2.imread(str(FACES_DIR / "celebamaskhq" / file)), load_mask(file),
                               scenes.backdrop("blue", rng), seed=i)
        for step in range(20):  # the student shifts a little between frames
            feed.append(np.roll(frame, (step % 5) - 2, axis=1))
    feed = feed[:frames]
    result = {}
    for name, video in (("live", True), ("still", False)):
        with ComplianceEngine.load(video=video) as engine:
            analyse = LiveAnalyzer(engine).analyze if video else engine.analyze
            analyse(feed[0])  # warm-up: graphs and sessions initialise on first use
            times, cpu = [], []
            for frame in feed:
                start, start_cpu = time.perf_counter(), time.process_time()
                analyse(frame)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
        result[f"{name}_median_ms"] = float(np.median(times))
        result[f"{name}_p95_ms"] = float(np.percentile(times, 95))
        result[f"{name}_cpu_median_ms"] = float(np.median(cpu))  # all threads: what the frame costs the CPU
    result["frames"] = len(feed)
    result["load_average"] = float(os.getloadavg()[0])  # other processes on the machine skew wall time
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _fmt(value: float) -> str:
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.3f}"


def markdown(summary: dict) -> str:
    lines = ["| check | measured on (test split) | n | positives | AUC | balanced acc. | threshold | note |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in summary["checks"]:
        lines.append(f"| {r['check']} | {r['measured_on']} | {r['n']} | {r['positives']} | {_fmt(r['auc'])} | "
                     f"{_fmt(r['balanced_accuracy'])} | {r['threshold']} | {r['note']} |")
    p, t = summary["pose"], summary["timing"]
    lines += ["", f"Pose error on genki4k test ({p['faces']} faces, {p['no_face']} without a face found): "
              f"yaw {p['yaw']:.2f}°, pitch {p['pitch']:.2f}°, roll {p['roll']:.2f}°, mean {p['mean']:.2f}°, "
              f"median {p['median']:.2f}°.",
              "", f"Time per 1280x720 frame, all checks ({t['frames']} frames): live analyser median "
              f"{t['live_median_ms']:.1f} ms, p95 {t['live_p95_ms']:.1f} ms (CPU {t['live_cpu_median_ms']:.1f} ms); "
              f"every check on every still median {t['still_median_ms']:.1f} ms, p95 {t['still_p95_ms']:.1f} ms "
              f"(CPU {t['still_cpu_median_ms']:.1f} ms); load average {t['load_average']:.1f} on "
              f"{os.cpu_count()} cores. Peak memory {t['peak_rss_mb']:.0f} MB.",
              "", f"Faces not found: {summary['no_face']}."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="at most N test images per dataset")
    parser.add_argument("--scenes", type=int, default=150, help="celebamaskhq test portraits to compose scenes from")
    parser.add_argument("--frames", type=int, default=200, help="1280x720 frames to time")
    parser.add_argument("--json", type=Path, help="write the summary as JSON")
    parser.add_argument("--markdown", type=Path, help="write the summary as a markdown table")
    args = parser.parse_args()

    started = time.time()
    timed = timing(args.frames)  # first, so peak memory is the engine's, not the benchmark's bookkeeping
    with ComplianceEngine.load() as engine:
        out = Collector(engine)
        no_face = {"celebahq": celebahq(engine, out, args.limit),
                   "celebamaskhq": celebamaskhq(engine, out, args.limit)}
        pose = genki(engine, out, args.limit)
        no_face["genki4k"] = pose["no_face"]
        no_face["cew_closed"] = closed_eyes(engine, out, args.limit)
        scene_checks(engine, out, args.scenes)
        summary = {"checks": [asdict(r) for r in out.rows()], "pose": pose, "timing": timed, "no_face": no_face,
                   "policy": str(engine.policy.path), "seconds": round(time.time() - started)}
    text = markdown(summary)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
