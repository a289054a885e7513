"""Measures the `makeup` and `coloured_lenses` checks on faces training never saw, and chooses their `look` on val.

- makeup: celebahq val / test against CelebA's `Heavy_Makeup`: AUC on every face and on women only (CelebA never
  marks a man), and the pass / look / fail shares of heavy-makeup faces, of the rest (light or no makeup) and of
  the "compliant" faces of the trust budget (training/evaluate.COMPLIANT_MEANS_NOT, and no heavy makeup).
- coloured_lenses (station/compliance/irises.py): celebahq + celebamaskhq val / test, every face clean and once per
  lens colour with a lens painted by training/paint_lenses.py (a fixed seed per face and colour): AUC of painted
  against real eyes, against the real light-eyed faces only (paint_lenses.light_eyed) and per colour, and the shares
  (also of the compliant celebahq faces of the trust budget); twice: on the portraits
  with their cached face mesh points (the painted face keeps the clean face's points), and in kiosk frames
  (paint_lenses.KioskFrames: composed at 1280x720, shrunk to 72-100 %, iris 14-19 px, meshed again on the painted
  frame), every face of val and test. Its live cost: the measure's wall time on a 1280x720 frame.
  Both checks score through the run-time code (LearnedChecks, LensModel).
- kiosk scenes (the shipped models and policy): test portraits painted or not, composed on the blue backdrop of a
  1280x720 frame (training/kiosk_scenes; celebahq portraits with their person segmentation), through
  ComplianceEngine.analyze (its own face mesh, models and the shipped policy), at the frame's scale (iris about
  19 px) and shrunk to 960x540 (iris about 14 px).
The rule for `look`, written before any test figure was seen: the lowest val score at which at most LOOK_BUDGET
(1 %) of the val faces that keep the rule would be asked (makeup: `Heavy_Makeup` = 0; coloured_lenses: the real,
unpainted eyes; since the lens check meets both portraits and kiosk frames, the rule is applied to each and the
higher of the two kept, fixed before the kiosk-frame test figures were seen), so neither check adds more than about
one point to the compliant students who see a question. Session 14 added, for both checks, the same rule on the
whole engine's own kiosk scenes of val faces (--choose-on-scenes), the highest look kept: the test scenes and
scripts/benchmark_trust.py had shown the portrait-chosen looks asking 10-28 % of faces that keep the rule, so the
test figures printed since were seen once before this amendment;
since session 15 the look this rule chooses is where training/evaluate.py's question budget starts (LOOK_ONLY
there), which may raise it and writes it to policy.toml;
`block` stays 1.0 (never): the notices forbid both, but a model trained on painted lenses and on CelebA's
labels must not hold a student's photo alone.
Run: .venv/bin/python scripts/benchmark_lenses_makeup.py [--parts makeup lenses kiosk] [--scenes N] [--json OUT]
     [--choose] [--limit N]
(--limit N: the first N faces of each dataset and split for makeup and lenses, a quick run whose figures are not the
documented ones; the lens part takes minutes on every face.)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station.compliance import ComplianceEngine  # noqa: E402
from station.compliance.irises import LENS_FILE, LensModel  # noqa: E402
from station.compliance.learned import Blend, LearnedChecks  # noqa: E402
from station.compliance.policy import Policy  # noqa: E402
from station.face import Face, FaceMesher  # noqa: E402
from station.face.segmentation import PersonSegmenter  # noqa: E402
from models import MODELS_DIR, read_manifest  # noqa: E402
from training import kiosk_scenes as scenes  # noqa: E402
from training.cache_landmarks import load_landmarks  # noqa: E402
from training.datasets import FACES_DIR, load_labels, load_mask, load_split  # noqa: E402
from training.evaluate import COMPLIANT_MEANS_NOT  # noqa: E402
from training.paint_lenses import (  # noqa: E402
    COLOURS, KioskFrames, iris_colour, light_eyed, paint, person, random_lens,
)
from training.training import roc_auc  # noqa: E402

CHECKS = ("makeup", "coloured_lenses")
LOOK_BUDGET = 0.01
LENS_DATASETS = ("celebahq", "celebamaskhq")


def choose_look(keep: np.ndarray) -> float:
    """The rule above: the lowest candidate (val scores to 0.001, and 1.0) asking at most LOOK_BUDGET of `keep`."""
    candidates = np.unique(np.append(np.round(keep, 3), 1.0))
    asked = np.array([(keep >= t).mean() for t in candidates])
    return float(candidates[np.argmax(asked <= LOOK_BUDGET)])


def shares(scores: np.ndarray, look: float, block: float) -> dict[str, float]:
    return {"n": int(len(scores)), "pass": round(float((scores < look).mean()), 4),
            "look": round(float(((scores >= look) & (scores < block)).mean()), 4),
            "fail": round(float((scores >= block).mean()), 4)}


def learned(models_dir: Path) -> LearnedChecks:
    checks = read_manifest(models_dir)["checks"]
    return LearnedChecks(models_dir, Blend({c: checks[c] for c in CHECKS if c in checks}))


def makeup_scores(checks: LearnedChecks, part: str, limit: int | None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    landmarks, rows = load_landmarks("celebahq"), load_labels("celebahq")
    scores, labels = [], {}
    for file in [f for f in load_split("celebahq")[part] if f in landmarks][:limit]:
        bgr = cv2.imread(str(FACES_DIR / "celebahq" / file), cv2.IMREAD_COLOR)
        scores.append(checks.scores(bgr, Face(landmarks[file], (bgr.shape[1], bgr.shape[0])))["makeup"])
        for column, value in rows[file].items():
            if column != "file":
                labels.setdefault(column, []).append(float(value))
    return np.array(scores), {k: np.array(v) > 0 for k, v in labels.items()}


def lens_scores(model: LensModel, part: str, kiosk: bool, limit: int | None) -> dict[str, np.ndarray]:
    """Per face: the clean score, whether its real eyes are light, whether it is a compliant celebahq face of the
    trust budget (COMPLIANT_MEANS_NOT), and its score with each colour painted; on the portrait with its cached
    points, or (`kiosk`) in a kiosk frame meshed again (NaN where no face is found)."""
    out: dict[str, list] = {"clean": [], "light": [], "compliant": [], **{c: [] for c in COLOURS}}
    rows = load_labels("celebahq")
    frames, mesher = (KioskFrames(), FaceMesher(max_faces=1)) if kiosk else (None, None)
    for d, dataset in enumerate(LENS_DATASETS):
        landmarks = load_landmarks(dataset)
        for i, file in enumerate([f for f in load_split(dataset)[part] if f in landmarks][:limit]):
            bgr = cv2.imread(str(FACES_DIR / dataset / file), cv2.IMREAD_COLOR)
            points = landmarks[file]
            shrink = KioskFrames.shrink(np.random.default_rng([d, i, 99]))
            out["light"].append(light_eyed(iris_colour(bgr, points)))
            worn = dataset != "celebahq" or any(rows[file][c] == "1" for c in COMPLIANT_MEANS_NOT)
            out["compliant"].append(not worn)
            versions = [("clean", bgr)] + [(c, paint(bgr, points, random_lens(np.random.default_rng([d, i, k]), c)))
                                           for k, c in enumerate(COLOURS)]
            for key, image in versions:
                found = frames.measured(mesher, image, person(dataset, file, bgr), shrink) if kiosk else (image, points)
                out[key].append(np.nan if found is None else model.score(*found))
    return {k: np.array(v) for k, v in out.items()}


def makeup_figures(checks: LearnedChecks, look: float | None, limit: int | None) -> dict:
    """Figures on val and test at `look` (None: chosen here on val by the rule)."""
    scored = {part: makeup_scores(checks, part, limit) for part in ("val", "test")}
    chosen = choose_look(scored["val"][0][~scored["val"][1]["Heavy_Makeup"]])
    look = chosen if look is None else look
    doc: dict = {"look_chosen_on_val": chosen, "look_used": look}
    for part, (s, lab) in scored.items():
        heavy, woman = lab["Heavy_Makeup"], ~lab["Male"]
        compliant = ~np.any([lab[c] for c in COMPLIANT_MEANS_NOT], axis=0) & ~heavy
        doc[part] = {"auc_all": round(roc_auc(heavy, s), 4), "auc_women": round(roc_auc(heavy[woman], s[woman]), 4),
                     "heavy_makeup": shares(s[heavy], look, 1.0),
                     "no_heavy_makeup_women": shares(s[~heavy & woman], look, 1.0),
                     "men": shares(s[~woman], look, 1.0), "compliant": shares(s[compliant], look, 1.0)}
    return doc


def lens_figures(model: LensModel, look: float | None, limit: int | None) -> dict:
    """Figures on val and test, portraits and kiosk frames, at `look` (None: chosen here on val by the rule)."""
    scored = {(part, use): lens_scores(model, part, use == "kiosk_frames", limit)
              for part in ("val", "test") for use in ("portraits", "kiosk_frames")}
    chosen = {use: choose_look(scored["val", use]["clean"][~np.isnan(scored["val", use]["clean"])])
              for use in ("portraits", "kiosk_frames")}
    look = max(chosen.values()) if look is None else look
    doc: dict = {"look_chosen_on_val": chosen, "look_used": look, "cost_ms": lens_cost(model)}
    for (part, use), sc in scored.items():
        light, compliant = sc["light"], sc["compliant"]
        found = {k: ~np.isnan(v) for k, v in sc.items() if k not in ("light", "compliant")}
        clean = sc["clean"][found["clean"]]
        real_light = sc["clean"][found["clean"] & light]
        per = {c: sc[c][found[c]] for c in COLOURS}
        painted = np.concatenate(list(per.values()))
        doc[f"{part}_{use}"] = {
            "faces": int(len(light)), "measured": {k: int(v.sum()) for k, v in found.items()},
            "light_eyed": int(light.sum()), "auc_all": auc(painted, clean),
            "auc_vs_light_eyes": auc(painted, real_light),
            "auc_vs_dark_eyes": auc(painted, sc["clean"][found["clean"] & ~light]),
            "auc_per_colour": {c: auc(per[c], clean) for c in COLOURS},
            "auc_per_colour_vs_light_eyes": {c: auc(per[c], real_light) for c in COLOURS},
            "real_eyes": shares(clean, look, 1.0), "real_light_eyes": shares(real_light, look, 1.0),
            "compliant_celebahq": shares(sc["clean"][found["clean"] & compliant], look, 1.0),
            "painted": {c: shares(per[c], look, 1.0) for c in COLOURS}}
    return doc


def lens_cost(model: LensModel, runs: int = 300) -> dict[str, float]:
    """Wall ms of the lens measure on a 1280x720 kiosk frame of one test face (what a live turn of models adds)."""
    file = load_split("celebamaskhq")["test"][0]
    bgr = cv2.imread(str(FACES_DIR / "celebamaskhq" / file), cv2.IMREAD_COLOR)
    frame, points = KioskFrames().measured(FaceMesher(max_faces=1), bgr, person("celebamaskhq", file, bgr), 1.0)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        model.score(frame, points)
        times.append((time.perf_counter() - start) * 1000)
    return {"median": round(float(np.median(times)), 2), "p95": round(float(np.percentile(times, 95)), 2),
            "runs": runs, "load_average": round(os.getloadavg()[0], 1)}


def auc(positives: np.ndarray, negatives: np.ndarray) -> float:
    labels = np.r_[np.ones(len(positives)), np.zeros(len(negatives))]
    return round(roc_auc(labels, np.r_[positives, negatives]), 4)


def engine_scene_keep_scores(check: str, part: str, count: int) -> np.ndarray:
    """The whole engine's `check` scores on `part` faces that keep the rule, composed as the kiosk scenes below
    (1280x720 and 960x540): the frames the station's own mesh and crops meet, for the third look. Lenses: clean
    celebamaskhq faces (their parsing masks); makeup: celebahq faces without Heavy_Makeup (person segmentation)."""
    rng = np.random.default_rng(13)
    dataset = "celebamaskhq" if check == "coloured_lenses" else "celebahq"
    landmarks, rows, scores = load_landmarks(dataset), load_labels("celebahq"), []
    files = [f for f in load_split(dataset)[part] if f in landmarks
             and (dataset != "celebahq" or rows[f]["Heavy_Makeup"] != "1")][:count]
    with ComplianceEngine.load() as engine, PersonSegmenter(portrait=True) as segmenter:
        for i, file in enumerate(files):
            bgr = cv2.imread(str(FACES_DIR / dataset / file))
            mask = load_mask(file) if dataset == "celebamaskhq" else (segmenter.mask(bgr) > 0.5).astype(np.uint8)
            frame = scenes.compose(bgr, mask, scenes.backdrop("blue", rng), seed=i)
            for shrunk in (frame, cv2.resize(frame, (960, 540), interpolation=cv2.INTER_AREA)):
                result = engine.analyze(shrunk).checks[check]
                if result.state == "measured":
                    scores.append(result.score)
    return np.array(scores)


def kiosk(count: int) -> dict:
    """The whole engine on composed 1280x720 frames: lenses on celebamaskhq test, makeup on celebahq test."""
    rng = np.random.default_rng(11)
    found: dict[str, list] = {}
    with ComplianceEngine.load() as engine, PersonSegmenter(portrait=True) as segmenter:
        def run(key: str, frame: np.ndarray, check: str) -> None:
            small = cv2.resize(frame, (960, 540), interpolation=cv2.INTER_AREA)
            for scale, shrunk in (("720p", frame), ("540p", small)):
                result = engine.analyze(shrunk).checks[check]
                found.setdefault(f"{key}_{scale}", []).append((result.score, result.level, result.state))

        landmarks = load_landmarks("celebamaskhq")
        lens_files = [f for f in load_split("celebamaskhq")["test"] if f in landmarks][:count]
        for i, file in enumerate(lens_files if "coloured_lenses" in engine.policy.checks else []):
            bgr, mask = cv2.imread(str(FACES_DIR / "celebamaskhq" / file)), load_mask(file)
            ground = scenes.backdrop("blue", rng)
            lens = random_lens(np.random.default_rng([7, i]))
            run("lenses_clean", scenes.compose(bgr, mask, ground, seed=i), "coloured_lenses")
            run("lenses_painted", scenes.compose(paint(bgr, landmarks[file], lens), mask, ground, seed=i),
                "coloured_lenses")
        landmarks, rows = load_landmarks("celebahq"), load_labels("celebahq")
        for i, file in enumerate([f for f in load_split("celebahq")["test"] if f in landmarks][:count]):
            bgr = cv2.imread(str(FACES_DIR / "celebahq" / file))
            person = (segmenter.mask(bgr) > 0.5).astype(np.uint8)
            heavy = rows[file]["Heavy_Makeup"] == "1"
            run("makeup_heavy" if heavy else "makeup_not_heavy",
                scenes.compose(bgr, person, scenes.backdrop("blue", rng), seed=i), "makeup")
    doc = {}
    for key, got in found.items():
        measured = [g for g in got if g[2] == "measured"]
        levels = [g[1] for g in measured]
        doc[key] = {"frames": len(got), "measured": len(measured),
                    **{lv: round(levels.count(lv) / max(len(levels), 1), 4) for lv in ("pass", "look", "fail")}}
    for check, pos, neg in (("coloured_lenses", "lenses_painted", "lenses_clean"),
                            ("makeup", "makeup_heavy", "makeup_not_heavy")):
        for scale in ("720p", "540p") if f"{pos}_720p" in found else ():
            p = [g[0] for g in found.get(f"{pos}_{scale}", []) if g[2] == "measured"]
            n = [g[0] for g in found.get(f"{neg}_{scale}", []) if g[2] == "measured"]
            doc[f"{check}_auc_{scale}"] = round(roc_auc(np.r_[np.ones(len(p)), np.zeros(len(n))], np.r_[p, n]), 4)
    return doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models-dir", type=Path, default=MODELS_DIR)
    parts = ("makeup", "lenses", "kiosk")
    parser.add_argument("--parts", nargs="+", choices=parts, default=list(parts))
    parser.add_argument("--scenes", type=int, default=60, help="test portraits per kiosk set")
    parser.add_argument("--limit", type=int, default=None,
                        help="makeup and lenses: at most N faces per dataset and split (default: all; a quick run)")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    parser.add_argument("--choose-on-scenes", action="store_true",
                        help="only the third look of each check: the rule on the engine's own val kiosk scenes")
    parser.add_argument("--choose", action="store_true",
                        help="figures at the look chosen on val by the rule, not the policy's (after retraining)")
    args = parser.parse_args()
    started = time.time()
    if args.choose_on_scenes:
        for check in CHECKS:
            keep = engine_scene_keep_scores(check, "val", 150)
            print(json.dumps({"check": check, "val_scene_frames": len(keep), "look_chosen_on_val_scenes": choose_look(keep)}))
        return
    policy = Policy.load()
    shipped = {c: policy[c].look for c in CHECKS} if all(c in policy.checks for c in CHECKS) else {}
    shipped = {} if args.choose else shipped
    doc: dict = {}
    if "makeup" in args.parts:
        doc["makeup"] = makeup_figures(learned(args.models_dir), shipped.get("makeup"), args.limit)
    if "lenses" in args.parts:
        doc["coloured_lenses"] = lens_figures(LensModel(args.models_dir / LENS_FILE), shipped.get("coloured_lenses"),
                                              args.limit)
    if "kiosk" in args.parts:
        doc["kiosk"] = kiosk(args.scenes)
    doc["seconds"] = round(time.time() - started)
    doc["load_average"] = round(os.getloadavg()[0], 1)
    print(json.dumps(doc, indent=1))
    if args.json:
        args.json.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
