"""`photo-station verify A B [--json]` and `photo-station verify --pairs PAIRS.csv [--json]`.

Whether two photos show the same person. The pairs file is a CSV with columns `a,b`, or without a header its first
two columns (image paths; comma, tab or semicolon separated; a relative
path is taken from the current folder, or else from the CSV's folder; ~ is the home folder, and a Windows list's
photos\\a.jpg is photos/a.jpg elsewhere). With --json one line per pair:
{"a", "b", "score", "same"} (score: cosine similarity, higher is more alike; same: the verdict at the shipped
threshold), or {"a", "b", "error"} when an image is missing, cannot be read or shows no face (of several faces the largest
is compared); the run goes on.
Without --json, one line per pair with the three-level verdict (same / uncertain / different).

Exit codes: 0 the run completed (whatever the verdicts; per-pair errors are in the output);
2 the command could not run (A and B missing or given with --pairs, a pairs file that cannot be read or lacks
the a,b columns); 130 interrupted.
"""

from __future__ import annotations

import argparse
import os

from station.adapters.cli import path_argument, path_as_written, workers_argument
from station.adapters.cli.output import print_json
from station.errors import StationError
from station.i18n import Text
from station.identity.embedder import FaceEmbedding
from station.identity.files import Unusable
from station.identity.pairs import PairResult, locate, read_pairs, verify_pairs
from station.identity.verify import verdict_for

USAGE = Text("请给出两张照片 A B，或 --pairs PAIRS.csv（二者只选其一）",
             "give two photos A B, or --pairs PAIRS.csv (not both)")
LEVELS = {
    "same": Text("同一人", "same person"),
    "uncertain": Text("不确定，请人工核对", "uncertain: have a look"),
    "different": Text("不是同一人", "different person"),
}
SCORE = Text("相似度 {score:.3f}", "score {score:.3f}")
ERROR = Text("无法比对：{side} {reason}", "cannot compare: {side} {reason}")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "verify", parents=[common], formatter_class=argparse.RawDescriptionHelpFormatter,
        help="whether two photos show the same person / 比对两张照片是否为同一人",
        description=__doc__.split("\n", 2)[2])
    p.add_argument("images", nargs="*", type=path_as_written, metavar="IMAGE", help="two image files A B")
    p.add_argument("--pairs", type=path_argument, default=None,
                   help="CSV with columns a,b: one pair of image paths a row")
    p.add_argument("--json", action="store_true", help="one JSON object per pair, one per line")
    p.add_argument("--workers", type=workers_argument, default=min(2, os.cpu_count() or 1),
                   help="images embedded at once (default: 2, or 1 on a single core)")
    p.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    if not ((args.pairs is not None and not args.images) or (args.pairs is None and len(args.images) == 2)):
        raise StationError(USAGE)
    if args.pairs is not None:
        try:
            pairs = read_pairs(args.pairs)
        except StationError as exc:
            raise StationError(exc.text, exc.exit_code, code="unreadable_pairs") from exc
    else:
        pairs = [(args.images[0], locate(args.images[0]), args.images[1], locate(args.images[1]))]
    for result in verify_pairs(pairs, max(1, args.workers)):
        if args.json:
            print_json(json_record(result))
        else:
            print(human(result, args.lang), flush=True)
    return 0


def _problem(result: PairResult) -> tuple[str, Unusable] | None:
    for side, outcome in (("a", result.a), ("b", result.b)):
        if isinstance(outcome, Unusable):
            return side, outcome
    return None


def json_record(result: PairResult) -> dict[str, object]:
    problem = _problem(result)
    if problem is not None:
        side, unusable = problem
        return {"a": result.a_name, "b": result.b_name, "error": f"{side}: {unusable.code}: {unusable.text.en}"}
    assert isinstance(result.a, FaceEmbedding) and isinstance(result.b, FaceEmbedding)
    verdict = result.verdict
    return {"a": result.a_name, "b": result.b_name, "score": round(verdict.score, 4), "same": verdict.same}


def human(result: PairResult, lang: str | None) -> str:
    problem = _problem(result)
    if problem is not None:
        side, unusable = problem
        name = result.a_name if side == "a" else result.b_name
        return f"{result.a_name}  {result.b_name}  " + ERROR.format(side=name, reason=unusable.text.get(lang)).get(lang)
    verdict = result.verdict
    return (f"{result.a_name}  {result.b_name}  {SCORE.format(score=verdict.score).get(lang)}  "
            f"{LEVELS[verdict_for(verdict.score).level].get(lang)}")
