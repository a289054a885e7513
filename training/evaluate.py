"""Chooses the shipped blend and thresholds on "val" and measures the shipped models on "test", through the run-time code.

Every figure comes from station.compliance.learned.LearnedChecks on the cached face mesh points of the
dataset images, i.e. exactly what the station computes for a face. For each learned check it:
1. scores val and test with every model that has an output of that name;
2. averages the runs of one family (a training script at one crop size) with equal weights, picks the
   split between families (the face model and close-up models, in steps of 0.25) with the best val AUC
   on the check's reference labels (THRESHOLD_SOURCE), and on the blend the two thresholds (`look`,
   `block`) by the rule written in policy.toml (choose_levels: a false-alarm budget for block, a miss target
   for look; then within_allowance: the rules share one question budget, which wins over the miss targets; then
   within_union: the questions of all those rules together on the compliant faces of three val sets, portraits and
   kiosk scenes (celebamaskhq's, and since session 31 celebahq's cut out at two sizes), are held to the same budget;
   then filled, session 32: what the union left of that budget goes to the rules furthest over their miss targets);
3. measures the blended score on test: AUC, and the pass / look / block shares of the faces that keep
   the rule and of those that break it.
Writes models/manifest.json, models/metrics.json, models/metrics.md (the tables the model cards quote)
and the thresholds in station/compliance/policy.toml. Each model's outputs on each dataset part are kept in the
training cache (outside the repo), keyed by the model file's digest, so a run after one new model scores only
that model; the time per face is measured apart, every model together on the same test faces.
Run: .venv/bin/python -m training.evaluate
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from training.cache_landmarks import CACHE_DIR, load_landmarks
from training.datasets import FACES_DIR, load_labels, load_split
from training.labels import CELEBA_COLUMNS, HEADS, mask_labels
from training.training import roc_auc
from models import MODELS_DIR, model_path, read_manifest, region_model_files, write_manifest
from station.compliance.irises import LensModel
from station.compliance.learned import Blend, LearnedChecks
from station.compliance.policy import DEFAULT_POLICY
from station.compliance.results import LEARNED_CHECK_IDS
from station.face import Face, FaceMesher
from training import kiosk_scenes as scenes
from training.datasets import load_mask

# (check id, dataset, label name) pairs measured on test.
CELEBA_CHECKS = [(check, "celebahq", column) for check, column in CELEBA_COLUMNS.items() if check != "smile"]
MASK_CHECKS = [(check, "celebamaskhq", f"mask:{check}") for check in HEADS if check != "smile"]
# The labels on "val" that choose each check's blend and threshold. The CHSI rule is about the brows, and
# CelebA's Bangs marks any fringe, also one that ends above them: the masks, which show the brows, decide.
THRESHOLD_SOURCE = {**{c: ("celebahq", l) for c, _, l in CELEBA_CHECKS},
                    "teeth": ("celebamaskhq", "mask:teeth"), "ears_covered": ("celebamaskhq", "mask:ears_covered"),
                    "eyebrows_covered": ("celebamaskhq", "mask:eyebrows_covered"), "eyes_closed": ("eyes", "closed")}
WEIGHT_STEP = 0.25
# celebahq labels of a face that keeps every rule the issue counts (the "compliant" faces of the budgets).
COMPLIANT_MEANS_NOT = ("Eyeglasses", "Wearing_Hat", "Wearing_Earrings", "Wearing_Necklace", "Mouth_Slightly_Open",
                       "Smiling", "Bangs")
# The rule in policy.toml: block where at most BLOCK_BUDGET of the val faces keeping the rule are blocked;
# look where at most MISS_TARGET of those breaking it get neither a block nor a question.
BLOCK_BUDGET = 0.005
MISS_TARGET = {"glasses": 0.03, "hat": 0.03, "eyes_closed": 0.03, "earrings": 0.10, "mouth_open": 0.10,
               "teeth": 0.10, "ears_covered": 0.10, "eyebrows_covered": 0.10}
LOOK_BUDGET_WITHOUT_TARGET = 0.03  # necklace: labels that do not say what is seen set no miss target
# The question budget: the rules a compliant student can be asked about share QUESTION_BUDGET of the val faces keeping
# them (the union of the questions cannot exceed their sum; the 15 %, less a point for val-to-test drift).
# ears_covered (outside the "compliant") and necklace (not enforced) do not take part.
QUESTION_BUDGET = 0.14
# The look-only checks (block 1.0: they never block) take part too (session 15). Their own rule, in
# scripts/benchmark_lenses_makeup.py, chose the look kept here as a floor; the budget may only raise it. Faces keeping
# them: makeup, those without Heavy_Makeup; coloured_lenses, every face (real eyes: none is labelled with lenses).
LOOK_ONLY = {"makeup": ("Heavy_Makeup", 0.952), "coloured_lenses": (None, 0.953)}
QUESTION_RULES = ("glasses", "hat", "earrings", "mouth_open", "teeth", "eyebrows_covered", "eyes_closed", *LOOK_ONLY)
# The faces of the mask sets that keep every rule of the budget (scripts/benchmark_trust.py's definition).
MASK_COMPLIANT_MEANS_NOT = ("glasses", "hat", "earrings", "necklace", "mouth_open", "teeth", "eyebrows_covered")
LENS = "coloured_lenses"  # the lens network, scored like a model with one output of that name


@dataclass(frozen=True)
class Levels:
    """A learned rule's two thresholds: from `look` the photographer is asked, from `block` the shutter needs a reason."""

    look: float
    block: float


def choose_levels(labels: np.ndarray, scores: np.ndarray, miss_target: float | None) -> Levels:
    """The rule in policy.toml, on val only. Candidates are the val scores (to 0.001) and 1.0."""
    labels = labels.astype(bool)
    candidates = np.unique(np.append(np.round(scores, 3), 1.0))
    false_alarms = np.array([(scores[~labels] >= t).mean() for t in candidates])
    misses = np.array([(scores[labels] < t).mean() for t in candidates])
    block = float(candidates[np.argmax(false_alarms <= BLOCK_BUDGET)])  # false alarms fall as t rises
    if miss_target is None:
        look = float(candidates[np.argmax(false_alarms <= LOOK_BUDGET_WITHOUT_TARGET)])
    else:
        look = float(candidates[(misses <= miss_target) & (candidates <= block)].max())
    return Levels(min(look, block), block)


def asked(labels: np.ndarray, scores: np.ndarray, levels: Levels) -> float:
    """Share of the faces keeping the rule that are asked (look, not block)."""
    keep = scores[~labels.astype(bool)]
    return float(((keep >= levels.look) & (keep < levels.block)).mean())


def allowances(needs: dict[str, float], budget: float = QUESTION_BUDGET) -> dict[str, float]:
    """Max-min fair split of `budget`: a rule whose miss target needs less than an equal share gets what it needs;
    the rules that need more share what is left equally."""
    left, open_, out = budget, dict(needs), {}
    while open_:
        share = left / len(open_)
        small = {c: n for c, n in open_.items() if n <= share}
        if not small:
            return {**out, **{c: share for c in open_}}
        for check, need in small.items():
            out[check], left = need, left - need
            del open_[check]
    return out


def celebahq_compliant(faces: Scored) -> np.ndarray:
    """Which celebahq faces keep every rule the issue counts by their CelebA labels (COMPLIANT_MEANS_NOT)."""
    return ~np.any([faces.labels[c] > 0 for c in COMPLIANT_MEANS_NOT], axis=0)


def mask_compliant(masks: Scored) -> np.ndarray:
    """Which celebamaskhq faces keep every rule of the budget by their masks (MASK_COMPLIANT_MEANS_NOT)."""
    return ~np.any([masks.labels[f"mask:{c}"] > 0 for c in MASK_COMPLIANT_MEANS_NOT], axis=0)


def union_sets(val: dict[str, Scored], scenes_: Scored, weights: dict[str, dict[str, float]],
               rules: tuple[str, ...] = QUESTION_RULES) -> dict[str, dict[str, np.ndarray]]:
    """`rules`' val scores on the compliant faces of: celebahq (celebahq_compliant, heavy makeup included, as the
    issue counts it), celebamaskhq by its masks (mask_compliant), and those faces of both composed as kiosk scenes
    (`scenes_`, score_val's: the celebamaskhq ones, and the celebahq ones at two sizes, enough faces that one does
    not move the budget by 2 points)."""
    hq, masks = val["celebahq"], val["celebamaskhq"]
    return {name: {r: blended(scored, weights[r])[keep] for r in rules}
            for name, scored, keep in (("celebahq val", hq, celebahq_compliant(hq)),
                                       ("celebamaskhq val", masks, mask_compliant(masks)),
                                       (SCENES_SET, scenes_, np.ones(len(scenes_.files), bool)))}


SCENES_SET = "val kiosk scenes: celebamaskhq, celebahq at 420 and 280 px"


def any_question(rules: dict[str, np.ndarray], levels: dict[str, Levels]) -> float:
    """Share of the faces asked by at least one of `rules` and blocked by none."""
    block = np.any([s >= levels[r].block for r, s in rules.items()], axis=0)
    return float((np.any([(s >= levels[r].look) & (s < levels[r].block) for r, s in rules.items()], axis=0)
                  & ~block).mean())


def within_union(sets: dict[str, dict[str, np.ndarray]], levels: dict[str, Levels],
                 budget: float = QUESTION_BUDGET) -> dict[str, Levels]:
    """`levels` with looks raised until, on every set ({name: {rule: scores of its compliant faces}}), at most `budget`
    of the compliant faces get a question and no block from these rules together (the issue's "any question").
    On the set most over, the rule asking the most of its faces (ties: the most over all sets, then the first in the
    sets' order) has its look raised to the next 0.001 above the lowest score it asks there: the biggest asker gives
    way first, the water-filling form of the max-min split of `allowances`."""
    levels = dict(levels)

    def asks(name: str, rule: str) -> np.ndarray:
        s = sets[name][rule]
        return (s >= levels[rule].look) & (s < levels[rule].block)

    def over(name: str) -> float:
        return any_question(sets[name], levels) - budget

    while True:
        worst = max(sets, key=over)
        if over(worst) <= 0:
            return levels
        order = list(sets[worst])
        rule = max(order, key=lambda r: (asks(worst, r).sum(), sum(asks(n, r).sum() for n in sets), -order.index(r)))
        lowest = float(sets[worst][rule][asks(worst, rule)].min())
        look = min(round(np.floor(lowest * 1000) / 1000 + 0.001, 3), levels[rule].block)
        levels[rule] = Levels(look, levels[rule].block)


def filled(sets: dict[str, dict[str, np.ndarray]], levels: dict[str, Levels],
           on_val: dict[str, tuple[np.ndarray, np.ndarray]], floors: dict[str, Levels],
           budget: float = QUESTION_BUDGET) -> dict[str, Levels]:
    """`levels` with the budget used where the union left it (policy.toml, session 32): while every set stays within
    `budget`, a rule of `floors` whose look is above its miss-target look (`floors`) has it lowered to the highest val
    score below it of a face breaking the rule (`on_val`: labels and scores of the set choosing its levels); the rule
    whose val misses are furthest over its target goes first; one whose next step would put a set over keeps its look.
    The allowances split the budget as if no two rules asked one face, so the union often leaves some of it unused."""
    levels, open_ = dict(levels), sorted(r for r in floors if levels[r].look > floors[r].look)

    def breaking(rule: str) -> np.ndarray:
        labels, scores = on_val[rule]
        return scores[labels.astype(bool)]

    def over_target(rule: str) -> float:
        return float((breaking(rule) < levels[rule].look).mean()) - MISS_TARGET[rule]

    while open_:
        rule = max(open_, key=over_target)  # sorted: a tie goes to the first name
        missed = breaking(rule)[breaking(rule) < levels[rule].look]
        if not missed.size:
            open_.remove(rule)
            continue
        look = max(float(np.floor(missed.max() * 1000) / 1000), floors[rule].look)  # the 0.001 grid, at or below it
        trial = {**levels, rule: Levels(look, levels[rule].block)}
        if any(any_question(s, trial) > budget for s in sets.values()):
            open_.remove(rule)
            continue
        levels = trial
        if look <= floors[rule].look:
            open_.remove(rule)
    return levels


def within_allowance(labels: np.ndarray, scores: np.ndarray, levels: Levels, allowance: float) -> Levels:
    """`levels` with look raised, if need be, to the lowest val score at which at most `allowance` of the faces
    keeping the rule are asked: where the miss target and the question budget conflict, the budget wins (a
    question a photographer learns to ignore is worse than none)."""
    keep = scores[~labels.astype(bool)]
    candidates = np.unique(np.append(np.round(scores, 3), [levels.look, levels.block]))  # a look chosen apart stays
    candidates = candidates[(candidates >= levels.look) & (candidates <= levels.block)]   # if within the allowance
    shares = np.array([((keep >= t) & (keep < levels.block)).mean() for t in candidates])
    return Levels(float(candidates[np.argmax(shares <= allowance)]), levels.block)  # shares fall as t rises


def level_shares(labels: np.ndarray, scores: np.ndarray, levels: Levels) -> dict[str, float]:
    """Shares of the faces keeping the rule (ok_) and breaking it (bad_) that pass, are looked at, are blocked."""
    labels = labels.astype(bool)
    out = {}
    for name, part in (("ok", scores[~labels]), ("bad", scores[labels])):
        block = part >= levels.block
        look = (part >= levels.look) & ~block
        out.update({f"{name}_pass": float((~block & ~look).mean()) if len(part) else float("nan"),
                    f"{name}_look": float(look.mean()) if len(part) else float("nan"),
                    f"{name}_block": float(block.mean()) if len(part) else float("nan")})
    return {k: round(v, 4) for k, v in out.items()}


@dataclass
class Scored:
    """Every model output ("model/output") on every image of one dataset part, with that image's labels."""

    outputs: dict[str, np.ndarray]
    labels: dict[str, np.ndarray]
    files: list[str]


@dataclass
class Scorers:
    """Every learned model and the lens network (one output, LENS), as a still scores them."""

    checks: LearnedChecks
    lenses: LensModel

    @property
    def models(self) -> list[str]:
        return [*self.checks.models, LENS]

    def outputs(self, bgr: np.ndarray, face: Face, models: list[str] | None = None) -> dict[str, dict[str, float]]:
        """Default: every model, the learned ones on a still's two threads."""
        learned = None if models is None else [m for m in models if m != LENS]
        out = self.checks.outputs(bgr, face, learned) if learned != [] else {}
        return {**out, LENS: {LENS: self.lenses.score(bgr, face.points)}} if models is None or LENS in models else out


OUTPUTS_CACHE = CACHE_DIR / "outputs"
TIMED_FACES = 300  # test faces (the first of each dataset in turn) timed with every model together


def _cache_file(model: str, name: str, models_dir: Path) -> Path:
    digest = hashlib.sha256(model_path(model, models_dir).read_bytes()).hexdigest()[:16]
    return OUTPUTS_CACHE / f"{model}-{digest}-{name}.npz"


def _faces(dataset: str, part: str):
    """(file, image, face) for every image of the part with cached landmarks."""
    landmarks = load_landmarks(dataset)
    for file in load_split(dataset)[part]:
        if file in landmarks:
            bgr = cv2.imread(str(FACES_DIR / dataset / file), cv2.IMREAD_COLOR)
            yield file, bgr, Face(points=landmarks[file], image_size=(bgr.shape[1], bgr.shape[0]))


def score_part(scorers: Scorers, dataset: str, part: str, models_dir: Path = MODELS_DIR) -> Scored:
    """Scores of every model of `scorers` (loaded from `models_dir`) on a dataset part's portraits."""
    rows = load_labels(dataset) if dataset != "celebamaskhq" else {}
    return _scored(scorers, f"{dataset}-{part}", _faces(dataset, part),
                   lambda file, bgr, face: _labels(dataset, file, bgr, face, rows), models_dir)


def score_scenes(scorers: Scorers, files: list[str], part: str, models_dir: Path = MODELS_DIR) -> Scored:
    """Scores of every model on celebamaskhq `files` (of `part`) composed as kiosk scenes: each portrait on the blue
    backdrop of a 1280x720 frame (training.kiosk_scenes, as scripts/benchmark_trust.py composes the test ones) and
    meshed again by the station's FaceMesher, so the crops are those the station cuts on the day. No labels."""
    return _scored(scorers, f"celebamaskhq_scenes-{part}", _scene_faces(files), lambda *_: {}, models_dir)


def score_cutout_scenes(scorers: Scorers, faces: Scored, part: str, models_dir: Path = MODELS_DIR) -> Scored:
    """Scores of every model on the compliant celebahq faces of `faces` (of `part`) as kiosk scenes at both sizes
    (celebahq_scenes), meshed again as score_scenes does. No labels."""
    return _scored(scorers, f"celebahq_scenes-{part}", _meshed(celebahq_scenes(faces, part)), lambda *_: {}, models_dir)


def celebahq_scenes(faces: Scored, part: str):
    """("420_file.jpg", frame) for the compliant celebahq faces of `faces`, each cut out and composed at both sizes,
    the frames scripts/benchmark_trust.py --celebahq-scenes --split `part` checks (training.kiosk_scenes.cut_out_scenes)."""
    keep = {f for f, k in zip(faces.files, celebahq_compliant(faces)) if k}
    for file, side, frame in scenes.cut_out_scenes(load_split("celebahq")[part], keep):
        yield f"{side}_{file}", frame


def _scene_faces(files: list[str]):
    return _meshed((file, scenes.compose(cv2.imread(str(FACES_DIR / "celebamaskhq" / file), cv2.IMREAD_COLOR),
                                         load_mask(file), scenes.backdrop("blue", np.random.default_rng([20261205, i])),
                                         seed=i))
                   for i, file in enumerate(files))


def _meshed(frames):
    """(name, frame, face) for each (name, frame) in which the station's FaceMesher finds a face (its first)."""
    with FaceMesher(max_faces=3) as mesher:
        for name, frame in frames:
            found = mesher.detect(frame)
            if found:
                yield name, frame, found[0]


def _scored(scorers: Scorers, name: str, faces, labels_of, models_dir: Path) -> Scored:
    """Every model's outputs on `faces` ((file, image, face) in a fixed order), those of unchanged model files read
    from the outputs cache (keyed by the file's digest and `name`), with `labels_of(file, image, face)`."""
    outputs: dict[str, np.ndarray] = {}
    for model in scorers.models:
        path = _cache_file(model, name, models_dir)
        if path.exists():
            with np.load(path) as cached:
                outputs.update({f"{model}/{k}": cached[k] for k in cached.files})
    todo = [m for m in scorers.models if not _cache_file(m, name, models_dir).exists()]
    fresh: dict[str, list[float]] = {}
    labels: dict[str, list[float]] = {}
    files = []
    for file, bgr, face in faces:
        files.append(file)
        for model, values in (scorers.outputs(bgr, face, todo) if todo else {}).items():
            for output, value in values.items():
                fresh.setdefault(f"{model}/{output}", []).append(value)
        for label, value in labels_of(file, bgr, face).items():
            labels.setdefault(label, []).append(value)
    OUTPUTS_CACHE.mkdir(parents=True, exist_ok=True)
    for model in todo:
        mine = {k.split("/")[1]: np.array(v) for k, v in fresh.items() if k.split("/")[0] == model}
        np.savez(_cache_file(model, name, models_dir), **mine)
        outputs.update({f"{model}/{k}": v for k, v in mine.items()})
    return Scored(outputs, {k: np.array(v) for k, v in labels.items()}, files)


def time_faces(scorers: Scorers, datasets: tuple[str, ...], count: int = TIMED_FACES) -> list[float]:
    """Seconds per face for every model together (as a still is scored) on `count` test faces."""
    faces = [f for d in datasets for f in itertools.islice(_faces(d, "test"), count // len(datasets))]
    seconds = []
    for _, bgr, face in faces:
        start = time.perf_counter()
        scorers.outputs(bgr, face)
        seconds.append(time.perf_counter() - start)
    return seconds


def _labels(dataset: str, file: str, bgr: np.ndarray, face: Face, rows: dict) -> dict[str, float]:
    if dataset == "celebamaskhq":
        values = np.full(len(HEADS), np.nan, np.float32)
        mask_labels(file, bgr, face.points, values)
        return {f"mask:{head}": float(v) for head, v in zip(HEADS, values)}
    if dataset == "genki4k":
        return {"smile": float(rows[file]["smile"])}
    return {column: float(rows[file][column]) for column in rows[file] if column != "file"}


def eyes_set(parts: dict[str, Scored]) -> Scored:
    """Closed-eye faces (cew_closed) against the open-eye faces of the other three datasets."""
    names = ("cew_closed", "celebahq", "celebamaskhq", "genki4k")
    return Scored(joined([parts[n] for n in names]).outputs,
                  {"closed": np.concatenate([np.full(len(parts[n].files), float(n == "cew_closed"))
                                             for n in names])}, [])


def joined(parts: list[Scored]) -> Scored:
    """The parts one after another: the first part's outputs, and its files (labels are the caller's)."""
    return Scored({k: np.concatenate([p.outputs[k] for p in parts]) for k in parts[0].outputs}, {},
                  [f for p in parts for f in p.files])


def blended(scored: Scored, weights: dict[str, float]) -> np.ndarray:
    return sum(w * scored.outputs[k] for k, w in weights.items()) / sum(weights.values())


def family(key: str) -> str:
    """"face_attributes_2/glasses" -> "face_attributes": runs of one training script are one family."""
    model = key.split("/")[0]
    stem, _, suffix = model.rpartition("_")
    return stem if suffix.isdigit() else model


def shares(families: int, step: float = WEIGHT_STEP) -> list[tuple[float, ...]]:
    """Every split of 1 between `families` in `step`s (a grid over the simplex): 5 for two, 15 for three."""
    steps = round(1 / step)
    return [tuple(n * step for n in split) for split in itertools.product(range(steps + 1), repeat=families)
            if sum(split) == steps]


def choose_blend(val: Scored, check: str, label: str) -> dict[str, float]:
    """Each family's runs averaged with equal weights (a plain ensemble); between families, the split
    (in WEIGHT_STEP steps) with the best val AUC. Few choices, so val picks little noise."""
    keys = sorted(k for k in val.outputs if k.split("/")[1] == check)
    families = sorted({family(k) for k in keys})
    y = val.labels[label]

    def weights(share: tuple[float, ...]) -> dict[str, float]:
        out = {}
        for fam, part in zip(families, share):
            members = [k for k in keys if family(k) == fam]
            out.update({k: part / len(members) for k in members})
        return out

    best = max((weights(share) for share in shares(len(families))), key=lambda w: roc_auc(y, blended(val, w)))
    return {k: round(w, 4) for k, w in best.items() if w > 0}


def measure(scored: Scored, weights: dict[str, float], label: str, levels: Levels) -> dict:
    y, s = scored.labels[label], blended(scored, weights)
    return {"auc": round(roc_auc(y, s), 4), **level_shares(y, s, levels), "n": int(len(y)), "positives": int(y.sum())}


def compliant_rates(scored: Scored, blend: dict[str, dict[str, float]], levels: dict[str, Levels]) -> dict:
    """On celebahq faces whose labels break no rule: the share with any block and with any question."""
    keep = celebahq_compliant(scored)
    block = np.zeros(int(keep.sum()), bool)
    look = np.zeros_like(block)
    for check, weights in blend.items():
        s = blended(scored, weights)[keep]
        block |= s >= levels[check].block
        look |= (s >= levels[check].look) & (s < levels[check].block)
    return {"faces": int(keep.sum()), "any_block": round(float(block.mean()), 4),
            "any_look_no_block": round(float((look & ~block).mean()), 4),
            "any_look": round(float(look.mean()), 4)}


def write_policy_levels(levels: dict[str, Levels]) -> None:
    """Sets `look = ...` and `block = ...` in each learned check's section of the shipped policy file."""
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    for check, value in levels.items():
        text, count = re.subn(rf"(\[{check}\]\nenforced = \w+\nlook = )[0-9.]+(.*\nblock = )[0-9.]+",
                              rf"\g<1>{value.look:.3f}\g<2>{value.block:.3f}", text)
        if count != 1:
            raise SystemExit(f"policy.toml: no look/block lines for [{check}]")
    DEFAULT_POLICY.write_text(text, encoding="utf-8")


@dataclass
class Choice:
    """What the rule chooses on val: each check's blend and levels, and the steps of the question budget."""

    blend: dict[str, dict[str, float]]
    levels: dict[str, Levels]
    needs: dict[str, float]  # share asked at the miss-target look, per QUESTION_RULES
    allowed: dict[str, float]  # each rule's allowance of the question budget
    before: dict[str, Levels]  # the QUESTION_RULES' levels before the union
    compliant_sets: dict[str, dict[str, np.ndarray]]  # union_sets of the QUESTION_RULES
    unioned: dict[str, Levels]  # the QUESTION_RULES' levels after the union, before `filled`
    on_val: dict[str, tuple[np.ndarray, np.ndarray]]  # each QUESTION_RULE's val labels and scores (its own set)

    @property
    def weights(self) -> dict[str, dict[str, float]]:
        """Every check's blend, the look-only checks' fixed ones too."""
        return {**self.blend, **LOOK_ONLY_BLEND}


LOOK_ONLY_BLEND = {"makeup": read_manifest()["chosen_apart"]["makeup"], LENS: {f"{LENS}/{LENS}": 1.0}}


def choose(val: dict[str, Scored], scenes_: Scored) -> Choice:
    """The rule in policy.toml on val (`val` with its "eyes" set; `scenes_` score_val's compliant val faces as kiosk
    scenes): the blends, the levels, the allowances of the question budget, then the union."""
    blend, levels = {}, {}
    for check, (dataset, label) in THRESHOLD_SOURCE.items():
        blend[check] = choose_blend(val[dataset], check, label)
        levels[check] = choose_levels(val[dataset].labels[label], blended(val[dataset], blend[check]),
                                      MISS_TARGET.get(check))
    on_val = {c: (val[d].labels[l], blended(val[d], blend[c])) for c, (d, l) in THRESHOLD_SOURCE.items()}
    faces = val["celebahq"]
    for check, (label, look) in LOOK_ONLY.items():
        keep_labels = faces.labels[label] if label else np.zeros(len(faces.files))
        on_val[check], levels[check] = (keep_labels, blended(faces, LOOK_ONLY_BLEND[check])), Levels(look, 1.0)
    needs = {c: asked(*on_val[c], levels[c]) for c in QUESTION_RULES}
    floors = {c: levels[c] for c in QUESTION_RULES if c in MISS_TARGET}  # the miss-target looks
    allowed = allowances(needs)
    levels.update({c: within_allowance(*on_val[c], levels[c], allowed[c]) for c in QUESTION_RULES})
    compliant_sets = union_sets(val, scenes_, {**blend, **LOOK_ONLY_BLEND})
    before = {c: levels[c] for c in QUESTION_RULES}
    levels.update(within_union(compliant_sets, levels))
    unioned = {c: levels[c] for c in QUESTION_RULES}
    levels.update(filled(compliant_sets, levels, on_val, floors))
    return Choice(blend, levels, needs, allowed, before, compliant_sets, unioned, on_val)


# The (check, dataset, label) pairs measured on test (and by training/prune_members.py on val).
PAIRS = [*CELEBA_CHECKS, *MASK_CHECKS, ("eyes_closed", "eyes", "closed"), ("teeth", "genki4k", "smile"),
         ("mouth_open", "genki4k", "smile"), ("teeth", "celebahq", "Smiling")]


def every_output() -> dict[str, dict[str, float]]:
    """Per learned check, every output of that name of the region models in models/."""
    every = {check: {} for check in LEARNED_CHECK_IDS}
    for path in region_model_files():
        outputs = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["outputs"]
        for output in outputs:
            if output in every:
                every[output][f"{path.stem}/{output}"] = 1.0
    return every


def score_val(scorers: Scorers, datasets: tuple[str, ...],
              models_dir: Path = MODELS_DIR) -> tuple[dict[str, Scored], Scored]:
    """Every model's outputs (`scorers` loaded from `models_dir`) on the val parts (with the "eyes" set) and on the
    compliant val faces as kiosk scenes: celebamaskhq's, then celebahq's at both sizes (session 31)."""
    val = {d: score_part(scorers, d, "val", models_dir) for d in datasets}
    val["eyes"] = eyes_set(val)
    masks = val["celebamaskhq"]
    return val, joined([score_scenes(scorers, [f for f, k in zip(masks.files, mask_compliant(masks)) if k], "val",
                                     models_dir), score_cutout_scenes(scorers, val["celebahq"], "val", models_dir)])


DATASETS = ("celebahq", "celebamaskhq", "genki4k", "cew_closed")


def main() -> None:
    every = every_output()
    scorers = Scorers(LearnedChecks(MODELS_DIR, Blend(every)), LensModel(model_path(LENS)))
    val, scenes_ = score_val(scorers, DATASETS)
    test = {d: score_part(scorers, d, "test") for d in DATASETS}
    test["eyes"] = eyes_set(test)
    choice = choose(val, scenes_)
    blend, levels, needs, allowed, before = choice.blend, choice.levels, choice.needs, choice.allowed, choice.before
    thresholds = {c: {"look": v.look, "block": v.block} for c, v in levels.items()}
    results = [{"check": c, "dataset": d, "label": l, "split": "test", **thresholds[c],
                **measure(test[d], blend[c], l, levels[c])} for c, d, l in PAIRS]
    singles = [{"output": k, "dataset": d, "label": l, "auc": round(roc_auc(test[d].labels[l], test[d].outputs[k]), 4)}
               for c, d, l in PAIRS for k in every[c]]
    seconds = np.array(time_faces(scorers, DATASETS))
    timing = {"median_ms": round(float(np.median(seconds)) * 1000, 2),
              "p95_ms": round(float(np.percentile(seconds, 95)) * 1000, 2), "faces": int(len(seconds)),
              "load_average": round(os.getloadavg()[0], 1) if hasattr(os, "getloadavg") else None}
    write_manifest({**read_manifest(), "chosen_on": "val", "checks": blend})
    write_policy_levels(levels)
    doc = {"thresholds": thresholds,
           "question_allowances": {c: (round(needs[c], 4), round(allowed[c], 4)) for c in QUESTION_RULES},
           "union_on_val": {name: {"faces": len(next(iter(s.values()))),
                                   "any_question_before": round(any_question(s, before), 4),
                                   "any_question_union": round(any_question(s, choice.unioned), 4),
                                   "any_question": round(any_question(s, levels), 4)}
                            for name, s in choice.compliant_sets.items()},
           "raised_by_union": {c: (before[c].look, choice.unioned[c].look) for c in QUESTION_RULES
                               if choice.unioned[c].look != before[c].look},
           "lowered_by_fill": {c: (choice.unioned[c].look, levels[c].look) for c in QUESTION_RULES
                               if levels[c].look != choice.unioned[c].look},
           "blend": blend, "test": results, "test_single_models": singles,
           "compliant_celebahq": {part: compliant_rates(scored["celebahq"], choice.weights, levels)
                                  for part, scored in (("val", val), ("test", test))},
           "time_per_face_all_models": timing}
    (MODELS_DIR / "metrics.json").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    text = report(doc)
    (MODELS_DIR / "metrics.md").write_text(text, encoding="utf-8")
    print(text)


def report(doc: dict) -> str:
    """metrics.md: the tables the model cards and docs/compliance.md quote."""
    lines = ["# Learned checks: measured on the test parts (written by `python -m training.evaluate`)", "",
             "Blends and the two thresholds (look, block) were chosen on the val parts by the rule written in "
             "station/compliance/policy.toml; nothing here was used to choose anything. Shares are of the test "
             "faces keeping the rule (label 0) and breaking it (label 1): pass / look (asked) / block.", "",
             f"The rule, written before any of these figures: block = the lowest val score at which at most "
             f"{BLOCK_BUDGET:.1%} of the val faces keeping the rule are blocked; look = the highest val score (at most "
             f"block) at which at most the miss target of the val faces breaking it get neither answer ("
             + ", ".join(f"{c} {v:.0%}" for c, v in MISS_TARGET.items()) + f"); necklace, whose labels do not say "
             f"what is seen, has no miss target: look where at most {LOOK_BUDGET_WITHOUT_TARGET:.0%} of val faces "
             f"without one are asked. Then the question budget: {', '.join(QUESTION_RULES)} share "
             f"{QUESTION_BUDGET:.0%} of the val faces keeping them (max-min fair: a rule needing less than an equal "
             "share keeps its miss-target look); a rule whose miss-target look asks more than its allowance has its "
             "look raised to the allowance, and its miss target is given up. Allowances on val (asked at the "
             "miss-target look -> allowed): "
             + ", ".join(f"{c} {need:.1%} -> {allowed:.1%}" for c, (need, allowed) in doc["question_allowances"].items())
             + ". The look-only checks (makeup, coloured_lenses; block 1.0) take part from the look their own rule "
             "chose (" + ", ".join(f"{c} {look:.3f}" for c, (_, look) in LOOK_ONLY.items()) + "), which the budget "
             "may only raise. Then the union (session 15; since session 31 its kiosk-scene set also holds the compliant "
             "celebahq val faces cut out by the person segmenter at 420 and 280 px, as scripts/benchmark_trust.py "
             "--celebahq-scenes composes them, declared before any figure: on the 44 celebamaskhq scenes alone one "
             "face was 2.3 points): on the compliant faces of each val set below, those "
             f"rules together may ask at most {QUESTION_BUDGET:.0%} (a question and no block); while a set is over, "
             "the rule asking the most of its faces has its look raised past its lowest-scoring question there. "
             "Raised looks (after the allowances -> after the union): "
             + (", ".join(f"{c} {a:.3f} -> {b:.3f}" for c, (a, b) in doc["raised_by_union"].items()) or "none")
             + ". Then (session 32, declared in policy.toml before any figure) the budget the union left is used: "
             "while every set stays within it, a look the allowances raised comes down toward its miss-target look, "
             "one val face breaking the rule at a time, the rule furthest over its miss target first. Lowered looks "
             "(after the union -> after the fill): "
             + (", ".join(f"{c} {a:.3f} -> {b:.3f}" for c, (a, b) in doc["lowered_by_fill"].items()) or "none")
             + ".", "", "| val set, compliant faces | faces | any question after the allowances | after the union "
             "| after the fill |", "| --- | --- | --- | --- | --- |",
             *[f"| {name} | {u['faces']} | {u['any_question_before']:.1%} | {u['any_question_union']:.1%} "
               f"| {u['any_question']:.1%} |" for name, u in doc["union_on_val"].items()], "",
             "| check | measured against | test n (positives) | AUC | look / block | keeping it: pass / look / block "
             "| breaking it: pass / look / block |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in doc["test"]:
        lines.append(f"| `{r['check']}` | {r['dataset']} `{r['label']}` | {r['n']} ({r['positives']}) "
                     f"| {r['auc']:.3f} | {r['look']:.3f} / {r['block']:.3f} "
                     f"| {r['ok_pass']:.1%} / {r['ok_look']:.1%} / {r['ok_block']:.1%} "
                     f"| {r['bad_pass']:.1%} / {r['bad_look']:.1%} / {r['bad_block']:.1%} |")
    lines += ["", "celebahq faces whose labels break none of the rules (no glasses, hat, earrings, necklace, open "
              "mouth, smile or fringe), every learned rule together (makeup and coloured_lenses too), ears_covered included (CelebA does not say whether hair "
              "covers the ears, and most of these faces' hair does; scripts/benchmark_trust.py also gives the figure "
              "without it):", "",
              "| part | faces | any block | any question (no block) |", "| --- | --- | --- | --- |"]
    lines += [f"| {part} | {r['faces']} | {r['any_block']:.1%} | {r['any_look_no_block']:.1%} |"
              for part, r in doc["compliant_celebahq"].items()]
    lines += ["", "Blends (model/output: weight), chosen on val:", ""]
    lines += [f"- `{c}`: " + ", ".join(f"{k}: {w:g}" for k, w in b.items()) for c, b in doc["blend"].items()]
    lines += ["", "Each model output alone (test AUC):", "", "| model/output | measured against | AUC |",
              "| --- | --- | --- |"]
    lines += [f"| {r['output']} | {r['dataset']} `{r['label']}` | {r['auc']:.3f} |" for r in doc["test_single_models"]]
    t = doc["time_per_face_all_models"]
    lines += ["", f"Time per face for every model in models/ together (onnxruntime, 1 thread each, crops and "
              f"mirrored views included, a still's two threads), {t['faces']} test faces: median {t['median_ms']:.2f} ms, "
              f"95th percentile {t['p95_ms']:.2f} ms; load average {t.get('load_average')} on {os.cpu_count()} cores "
              "(a shared machine: wall time under load).", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()  # --help: the usage, nothing run
    main()
