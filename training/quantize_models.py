"""Int8 static quantization of the shipped region models, judged by a rule written before any figure of a candidate.

Issue 20 item 4 (check at about 28 stills/s on 2 cores, about 70 CPU-ms a still): onnxruntime runs a QDQ model's
convolutions as int8 kernels (QLinearConv; this machine's AVX-512 VNNI multiplies int8 directly). A candidate is a
copy of models/ in which some files are quantized: QDQ format, weights int8 per output channel, activations uint8
with MinMax ranges calibrated on TRAIN faces' run-time crops only (the first CALIBRATION faces of each dataset's
train split with cached landmarks, cut and laid out by station.compliance.learned exactly as a still's are, mirrored
copies included). Only the convolutional body is quantized (OP_TYPES): each head's pooling, Gemm and Sigmoid stay
float, so a score is not rounded to 1/255 steps.

Candidates, fixed before the first run:
- "mnv2_face": the pretrained MobileNetV2 models (sidecar trunk MobileNetV2: brows_mnv2 x2, earrings_mnv2_2, hat_paste,
  jaw_mnv2) and the face crop's models (face_attributes x5, makeup), the issue's suggestion;
- "mnv2": the MobileNetV2 models only;
- "all": every shipped region model.

The rule (session 25; a change that alters model outputs):
- V, on val only: training/evaluate.py's own choice (`choose`: blends, levels, question budget, union) is made again
  from the candidate's outputs and compared with the same choice from the shipped float models; training/
  prune_members.py's guards G1-G5 must all hold (no val AUC down by more than 0.002; no miss, block or question share,
  nor the compliant sets' any-block / any-question with and without ears, up by more than half a point; the block and
  question budgets held).
- S, speed: `photo-station check` CPU-ms per still (scripts/benchmark_check.py --tree, 300 CelebA-HQ test stills,
  start-up included, quiet priority) falls by at least CPU_FALL, as the median of at least three alternating pairs
  (shipped tree, candidate tree) on the same stills.
Among the candidates that pass V and S, the one with the largest fall ships (its files replace the shipped ones and
training/evaluate.py is run once: test measured once, models/metrics.md written); the cards, docs/measurements.md's speed
rows and docs/compliance.md's trust table carry the figures. None passes: nothing ships, and models/quantization.md says what was tried and the val
figures.
Outcome (session 25): every candidate broke V (S held for the two measured, 15.6 and 18.9 % less CPU per still): nothing
shipped; the figures are in models/quantization.md.

`--null-noise` judges by V the float models' own val outputs plus Gaussian noise (sd 1e-6 to 3e-3): what size of
move the guards can tell from no change.

Run: .venv/bin/python -m training.quantize_models --candidate mnv2_face --tree /tmp/q_mnv2_face [--out val.json]
  (makes the tree: this checkout's HEAD exported with the candidate's models, and prints V's verdict), then
  .venv/bin/python scripts/benchmark_check.py --tree /tmp/q_base --tree /tmp/q_mnv2_face --repeat 3 for S
  (`--tree` with no --candidate exports HEAD as it is).
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from models import MODELS_DIR, model_path, read_manifest
from station.compliance.irises import LensModel
from station.compliance.learned import Blend, LearnedChecks, ModelInfo, model_input, region_crops
from training.evaluate import DATASETS, LENS, Scored, Scorers, _faces, choose, every_output, eyes_set, score_val
from training.prune_members import broken, budgets_hold, figures

ROOT = Path(__file__).resolve().parent.parent
CALIBRATION = 64  # train faces of each dataset
OP_TYPES = ["Conv", "Relu", "Clip", "Add"]
CPU_FALL = 0.10
NOISE_SDS = (1e-6, 1e-5, 1e-4, 1e-3, 3e-3)


def shipped() -> list[str]:
    """Every shipped region model (the fixed files, face verification and the lens network, are not candidates)."""
    fixed = set(read_manifest().get("fixed", {}))
    return sorted(name for fam, names in read_manifest()["ships"].items() if fam not in fixed for name in names)


def pretrained(name: str) -> bool:
    """On the pretrained MobileNetV2 trunk (training/pretrained.py; makeup's trunk is face_attributes')."""
    doc = json.loads(model_path(name).with_suffix(".json").read_text(encoding="utf-8"))
    return "MobileNetV2" in doc.get("trunk", "")


def candidate(which: str) -> list[str]:
    """The models a candidate quantizes."""
    names = shipped()
    if which == "all":
        return names
    face = [n for n in names if ModelInfo.read(model_path(n)).region == "face" and not pretrained(n)]
    mnv2 = [n for n in names if pretrained(n)]
    return {"mnv2": mnv2, "mnv2_face": sorted({*mnv2, *face})}[which]


CANDIDATES = ("mnv2_face", "mnv2", "all")


def calibration_inputs(names: list[str], count: int = CALIBRATION) -> dict[str, list[np.ndarray]]:
    """Per model, its run-time input (model_input of its region's crops) for the first `count` train faces of each
    dataset."""
    infos = {name: ModelInfo.read(model_path(name)) for name in names}
    batches: dict[str, list[np.ndarray]] = {name: [] for name in names}
    for dataset in DATASETS:
        for _, bgr, face in itertools.islice(_faces(dataset, "train"), count):
            made: dict[tuple, np.ndarray] = {}
            for name, info in infos.items():
                key = (info.region, info.size)
                if key not in made:
                    made[key] = model_input(info.region, region_crops(bgr, face.points, info.region, info.size))
                batches[name].append(made[key])
    return batches


class _Reader:
    """onnxruntime's calibration data reader over one model's inputs."""

    def __init__(self, batches: list[np.ndarray]) -> None:
        self._batches: Iterator[np.ndarray] = iter(batches)

    def get_next(self) -> dict[str, np.ndarray] | None:
        batch = next(self._batches, None)
        return None if batch is None else {"crop": batch}


def quantize(source: Path, target: Path, batches: list[np.ndarray]) -> None:
    """`source` quantized (QDQ, per-channel int8 weights, uint8 activations, MinMax on `batches`) into `target`."""
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    with tempfile.TemporaryDirectory() as work:
        prepared = Path(work) / "prepared.onnx"
        quant_pre_process(str(source), str(prepared), skip_symbolic_shape=True)  # fixed shapes: no sympy
        quantize_static(str(prepared), str(target), _Reader(batches), quant_format=QuantFormat.QDQ,
                        per_channel=True, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        op_types_to_quantize=OP_TYPES, calibrate_method=CalibrationMethod.MinMax)


def export_tree(tree: Path) -> None:
    """This checkout's HEAD, as committed, into `tree` (the same start-up for the shipped and a candidate's tree)."""
    tree.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)


def build(which: str, tree: Path) -> list[str]:
    """A tree whose models/ has the candidate's files quantized; returns their names."""
    export_tree(tree)
    names = candidate(which)
    batches = calibration_inputs(names)
    for name in names:
        quantize(model_path(name), model_path(name, tree / "models"), batches[name])
        print(f"  {name} quantized", flush=True)
    return names


def scorers(models_dir: Path) -> Scorers:
    return Scorers(LearnedChecks(models_dir, Blend(every_output())), LensModel(model_path(LENS, models_dir)))


def with_noise(scored: Scored, sd: float, rng: np.random.Generator) -> Scored:
    return Scored({k: np.clip(v + rng.normal(0, sd, v.shape), 0, 1) for k, v in scored.outputs.items()}, scored.labels,
                  scored.files)


def null_noise(sds: tuple[float, ...] = NOISE_SDS, seeds: int = 3) -> list[tuple[float, int, list[str]]]:
    """Rule V on the float models' own val outputs plus Gaussian noise of these sizes (seeds 0..seeds-1): how small a
    move of the outputs the guards already refuse, beside the candidates' moves. (sd, seed, guards broken)."""
    val, scenes = score_val(scorers(MODELS_DIR), DATASETS)
    start = figures(val, scenes, choose(val, scenes))
    out = []
    for sd, seed in itertools.product(sds, range(seeds)):
        rng = np.random.default_rng(seed)
        moved = {d: with_noise(s, sd, rng) for d, s in val.items() if d != "eyes"}
        moved["eyes"] = eyes_set(moved)
        moved_scenes = with_noise(scenes, sd, rng)
        choice = choose(moved, moved_scenes)
        out.append((sd, seed, broken(start, figures(moved, moved_scenes, choice))
                    + ([] if budgets_hold(moved, choice) else ["G5 budget"])))
    return out


def judge_val(models_dir: Path) -> dict:
    """Rule V: the candidate's val choice against the shipped models', by prune_members' guards."""
    base_val, base_scenes = score_val(scorers(MODELS_DIR), DATASETS)
    start = figures(base_val, base_scenes, choose(base_val, base_scenes))
    val, scenes = score_val(scorers(models_dir), DATASETS, models_dir)
    choice = choose(val, scenes)
    now = figures(val, scenes, choice)
    breaks = broken(start, now) + ([] if budgets_hold(val, choice) else ["G5 budget"])
    moves = {k: round(now[k] - start[k], 4) for k in start}
    return {"passes_val": not breaks, "broken": breaks,
            "worst_auc_fall": round(max(-v for k, v in moves.items() if k.startswith("auc|")), 4),
            "largest_share_rise": round(max(v for k, v in moves.items() if not k.startswith("auc|")), 4),
            "levels": {c: [v.look, v.block] for c, v in choice.levels.items()}, "blend": choice.blend,
            "start": start, "now": now}


def passes_speed(base_ms: list[float], candidate_ms: list[float]) -> bool:
    """Rule S: CPU-ms per still from alternating pairs (base_ms[i] beside candidate_ms[i]), at least three, the
    median fall at least CPU_FALL."""
    if len(base_ms) < 3 or len(base_ms) != len(candidate_ms):
        raise ValueError("rule S needs at least three alternating pairs")
    falls = [(b - c) / b for b, c in zip(base_ms, candidate_ms)]
    return float(np.median(falls)) >= CPU_FALL


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidate", choices=CANDIDATES, help="which models to quantize (none: HEAD as it is)")
    parser.add_argument("--tree", type=Path, help="where to make the tree (a new folder)")
    parser.add_argument("--out", type=Path, help="write rule V's figures here as JSON")
    parser.add_argument("--null-noise", action="store_true", help="rule V on the float outputs plus small noise")
    args = parser.parse_args()
    if args.null_noise:
        for sd, seed, breaks in null_noise():
            print(f"noise sd {sd:g}, seed {seed}: {len(breaks)} guards broken " + "; ".join(breaks[:3]), flush=True)
        return
    if args.tree is None:
        parser.error("--tree is needed")
    if args.tree.exists():
        parser.error(f"{args.tree} exists: give a new folder")
    if args.candidate is None:
        export_tree(args.tree)
        return
    names = build(args.candidate, args.tree)
    doc = {"candidate": args.candidate, "quantized": names, **judge_val(args.tree / "models")}
    print(f"{args.candidate}: rule V {'holds' if doc['passes_val'] else 'broken'}; worst val AUC fall "
          f"{doc['worst_auc_fall']:+.4f}, largest share rise {doc['largest_share_rise']:+.4f}")
    for line in doc["broken"]:
        print("  broken:", line)
    if args.out:
        args.out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
