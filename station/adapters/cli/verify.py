"""`photo-station verify A B [--json]` and `photo-station verify --pairs PAIRS.csv [--json]`.

What it does, the pairs file, the output and the exit codes: DESCRIPTION (atop its --help).
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

# each paragraph Chinese first, then the English (the form of every --help)
DESCRIPTION = """\
比对两张照片是否为同一人。配对文件是 CSV 文件，列名为 a,b，或没有表头时取其前两列（图片路径；以逗号、制表符或分号分隔；\
相对路径从当前文件夹找，找不到再从 CSV 所在的文件夹找；~ 表示用户主文件夹；Windows 列表里的 photos\\a.jpg 在其他系统上\
即 photos/a.jpg）。 / Whether two photos show the same person. The pairs file is a CSV with columns `a,b`, or \
without a header its first two columns (image paths; comma, tab or semicolon separated; a relative path is taken from \
the current folder, or else from the CSV's folder; ~ is the home folder, and a Windows list's photos\\a.jpg is \
photos/a.jpg elsewhere).

使用 --json 时每对一行：{"a", "b", "score", "same"}（score：余弦相似度，越高越相像；same：按出厂阈值的判定），\
图片不存在、无法读取或没有人脸时为 {"a", "b", "error"}（有多张脸时比对照片的主体：在至少有最宽者一半宽的脸中\
离照片中心最近的一张）；其余照常比对。 / With --json \
one line per pair: {"a", "b", "score", "same"} (score: cosine similarity, higher is more alike; same: the verdict at \
the shipped threshold), or {"a", "b", "error"} when an image is missing, cannot be read or shows no face (of several \
faces the photo's subject is compared: of those at least half as wide as the widest, the one nearest its \
centre); the run goes on.

不使用 --json 时每对一行，写明三级判定（同一人、不确定、不是同一人）。 / Without --json, one line per pair with the \
three-level verdict (same / uncertain / different).

退出码：0 运行完毕（无论判定如何；单对的错误写在输出里）；2 命令无法运行（缺少 A 和 B，或与 --pairs 同时给出；配对文件\
无法读取或缺少 a,b 列）；130 已中断。 / Exit codes: 0 the run completed (whatever the verdicts; per-pair errors are \
in the output); 2 the command could not run (A and B missing or given with --pairs, a pairs file that cannot be read \
or lacks the a,b columns); 130 interrupted.
"""
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
        "verify", parents=[common], help="whether two photos show the same person / 比对两张照片是否为同一人",
        description=DESCRIPTION)
    p.add_argument("images", nargs="*", type=path_as_written, metavar="IMAGE", help="两张图片文件 A B / two image files A B")
    p.add_argument("--pairs", type=path_argument, default=None,
                   help="列名为 a,b 的 CSV 文件：每行一对图片路径 / CSV with columns a,b: one pair of image paths a row")
    p.add_argument("--json", action="store_true", help="每对输出一个 JSON 对象，每行一个 / one JSON object per pair, one per line")
    p.add_argument("--workers", type=workers_argument, default=min(2, os.cpu_count() or 1),
                   help="同时处理的图片数（默认 2，单核电脑为 1） / images embedded at once (default: 2, or 1 on a single "
                        "core)")
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
