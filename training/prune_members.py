"""Which blend members earn their time: greedy backward elimination on val by a rule written before the run.

A member is one region model file; removing it takes it out of every check (a model runs whole, so only that saves
its time). For each remaining candidate, training/evaluate.py's own choice (`choose`: blends, levels, question
budget, union) is made again on val from the cached outputs of the members left, and the removal is allowed only if,
against the start (every member; cumulative, not step to step), on val:
- G1: no (check, set, label) pair of evaluate.PAIRS loses more than AUC_FALL of AUC;
- G2: on those pairs, the share of faces breaking the rule that get neither look nor block rises by at most SHARE_RISE;
- G3: on those pairs, the shares of faces keeping the rule that are blocked, and that are asked, rise by at most
  SHARE_RISE each;
- G4: on the compliant faces of the union's three val sets, every rule that can ask or block (ears_covered, makeup
  and coloured_lenses too) has its block share and its question share rise by at most SHARE_RISE; so do any block and
  any question without a block over them together, with and without ears_covered;
- G5: the block budget (evaluate.BLOCK_BUDGET on each rule's threshold source) and the question budget (on the union
  sets) hold.
necklace (not enforced: its level is always pass) takes no part in G1-G4. Among the allowed removals the one whose
largest G1 AUC fall is smallest goes (ties: the costlier); it stops when none is allowed or the removed members'
CPU-ms per still reach --goal-ms. Costs: `--measure-costs FILE` times each member's own session (one thread) on the
real inputs of 200 val faces (run it on a quiet machine); the elimination reads them with `--costs FILE`.
The decision (issue 20, session 19) and its figures: training/retired/README.md.
Run: .venv/bin/python -m training.prune_members --costs costs.json --goal-ms 10 [--out steps.json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

import numpy as np

from models import MODELS_DIR, model_path
from station.compliance.irises import LensModel
from station.compliance.learned import Blend, LearnedChecks, model_input, region_crops
from training.evaluate import (BLOCK_BUDGET, DATASETS, LENS, PAIRS, QUESTION_BUDGET, QUESTION_RULES, THRESHOLD_SOURCE,
                               Choice, Scored, Scorers, _faces, any_question, blended, choose, every_output, measure,
                               score_val, union_sets)

AUC_FALL = 0.002
SHARE_RISE = 0.005
NOT_ENFORCED = ("necklace",)
# Members that are a check's only model or fixed apart: never candidates.
KEPT = ("eye_state", "makeup")
G4_RULES = (*QUESTION_RULES, "ears_covered")
COST_FACES = 200


def without(scored: Scored, models: set[str]) -> Scored:
    return Scored({k: v for k, v in scored.outputs.items() if k.split("/")[0] not in models}, scored.labels,
                  scored.files)


def figures(val: dict[str, Scored], scenes: Scored, choice: Choice) -> dict[str, float]:
    """Every figure the guards compare, by name ("auc|check|dataset|label", "bad_pass|...", "g4 block|set|rule", ...)."""
    out = {}
    for check, dataset, label in PAIRS:
        if check in NOT_ENFORCED:
            continue
        m = measure(val[dataset], choice.blend[check], label, choice.levels[check])
        for key in ("auc", "bad_pass", "ok_block", "ok_look"):
            out[f"{key}|{check}|{dataset}|{label}"] = m[key]
    sets = union_sets(val, scenes, choice.weights, G4_RULES)
    for name, rules in sets.items():
        for rule, s in rules.items():
            level = choice.levels[rule]
            out[f"g4 block|{name}|{rule}"] = float((s >= level.block).mean())
            out[f"g4 question|{name}|{rule}"] = float(((s >= level.look) & (s < level.block)).mean())
        for which, chosen in (("with ears", G4_RULES), ("without ears", QUESTION_RULES)):
            part = {r: rules[r] for r in chosen}
            out[f"g4 any block|{name}|{which}"] = float(np.any([s >= choice.levels[r].block for r, s in part.items()],
                                                               axis=0).mean())
            out[f"g4 any question|{name}|{which}"] = any_question(part, choice.levels)
    return out


def budgets_hold(val: dict[str, Scored], choice: Choice) -> bool:
    """G5: evaluate.py's block budget on each threshold source and question budget on the union sets."""
    for check, (dataset, label) in THRESHOLD_SOURCE.items():
        keep = ~val[dataset].labels[label].astype(bool)
        if (blended(val[dataset], choice.blend[check])[keep] >= choice.levels[check].block).mean() > BLOCK_BUDGET:
            return False
    return all(any_question(s, choice.levels) <= QUESTION_BUDGET for s in choice.compliant_sets.values())


def broken(start: dict[str, float], now: dict[str, float]) -> list[str]:
    """The guards G1-G4 `now` breaks against `start`, each with its move."""
    out = []
    for key, before in start.items():
        move = now[key] - before
        if (move < -AUC_FALL - 1e-9) if key.startswith("auc|") else (move > SHARE_RISE + 1e-9):
            out.append(f"{key} {before:.4f}->{now[key]:.4f}")
    return out


def worst_auc_fall(start: dict[str, float], now: dict[str, float]) -> float:
    return max(start[k] - now[k] for k in start if k.startswith("auc|"))


def measure_costs(path: Path) -> None:
    """Each member's median milliseconds per face, its own session on one thread, on real val faces' inputs."""
    checks = LearnedChecks.load(MODELS_DIR)
    times: dict[str, list[float]] = {n: [] for n in checks.models}
    for _, bgr, face in itertools.islice(_faces("celebahq", "val"), COST_FACES):
        for name, model in checks.models.items():
            batch = model_input(model.info.region, region_crops(bgr, face.points, model.info.region, model.info.size))
            start = time.perf_counter()
            model.scored(batch)
            times[name].append(time.perf_counter() - start)
    costs = {n: round(float(np.median(t[5:])) * 1000, 3) for n, t in times.items()}
    path.write_text(json.dumps(costs, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(costs, indent=1))


def eliminate(costs: dict[str, float], goal_ms: float) -> dict:
    every = every_output()
    scorers = Scorers(LearnedChecks(MODELS_DIR, Blend(every)), LensModel(model_path(LENS)))
    val, scenes = score_val(scorers, DATASETS)
    members = sorted({k.split("/")[0] for outputs in every.values() for k in outputs})
    start_choice = choose(val, scenes)
    start = figures(val, scenes, start_choice)
    doc = {"start": {"levels": {c: [v.look, v.block] for c, v in start_choice.levels.items()},
                     "blend": start_choice.blend, "figures": start}, "steps": []}
    removed: set[str] = set()
    saved = 0.0
    while saved < goal_ms:
        tried = []
        for member in sorted(set(members) - removed - set(KEPT), key=lambda m: -costs[m]):
            gone = removed | {member}
            part = {d: without(s, gone) for d, s in val.items()}
            cut = without(scenes, gone)
            choice = choose(part, cut)
            now = figures(part, cut, choice)
            breaks = broken(start, now) + ([] if budgets_hold(part, choice) else ["G5 budget"])
            tried.append({"member": member, "cost_ms": costs[member], "worst_auc_fall": round(worst_auc_fall(start, now), 4),
                          "broken": breaks, "allowed": not breaks, "figures": now,
                          "levels": {c: [v.look, v.block] for c, v in choice.levels.items()}, "blend": choice.blend})
            print(f"  {member:18s} {costs[member]:5.2f} ms  worst AUC fall {tried[-1]['worst_auc_fall']:+.4f}  "
                  + ("allowed" if not breaks else f"{len(breaks)} broken: " + "; ".join(breaks[:4])), flush=True)
        allowed = [t for t in tried if t["allowed"]]
        if not allowed:
            doc["steps"].append({"removed": None, "tried": tried})
            break
        best = min(allowed, key=lambda t: (t["worst_auc_fall"], -t["cost_ms"]))
        removed.add(best["member"])
        saved += best["cost_ms"]
        doc["steps"].append({"removed": best["member"], "saved_ms": round(saved, 3), "tried": tried})
        print(f"step {len(doc['steps'])}: remove {best['member']} (saved {saved:.2f} ms)", flush=True)
    doc["removed"], doc["saved_ms"] = sorted(removed), round(saved, 3)
    return doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure-costs", type=Path, help="time each member and write its ms per face here")
    parser.add_argument("--costs", type=Path, help="the members' ms per face (from --measure-costs)")
    parser.add_argument("--goal-ms", type=float, default=float("inf"), help="stop once the removed members save this much")
    parser.add_argument("--out", type=Path, help="write every step's figures as JSON")
    args = parser.parse_args()
    if args.measure_costs:
        measure_costs(args.measure_costs)
        return
    doc = eliminate(json.loads(args.costs.read_text(encoding="utf-8")), args.goal_ms)
    print(f"removed {doc['removed']}: {doc['saved_ms']} ms per still")
    if args.out:
        args.out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
