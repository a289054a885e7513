"""`photo-station check PATH... [--json] [--policy FILE]`: every compliance check on image files.

`photo-station check --calibrate-backdrop IMAGE` measures the station's backdrop colour first (saved in its data
folder, as 工作站 → 背景颜色标定 does in the window); the checks use the station's calibration.

Folders are searched recursively for images (.jpg, .png, .bmp, .webp, .tif, .gif), linked folders too. With --json,
one object per image per line ("path": as given, or the folder as given joined with the path inside it):
{"path", "faces", "verdict", "checks": {id: {"ok", "level", "score"}}, "questions": [id...],
"pose": {"yaw", "pitch", "roll"} or null}, and with several people "other_faces": [[x, y, width, height]...] (the
faces beside the main one, in the image's pixels): `ok` is false only for a blocking failure, `level` is
"pass" | "look" | "fail". Without --json, each image's blocking failures and questions with their score
and thresholds, and what passed;
a file that cannot be read, a folder holding no image or one that may not be opened gives {"path", "error"} and the
run goes on. Exit 0 once the run completes.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np

from station.adapters.cli import matching_names, path_argument, path_as_written, workers_argument
from station.adapters.cli.output import print_json
from station.image_io import photos_in, read_image, why_unreadable
from station.compliance import CHECK_IDS, Analysis, ComplianceEngine, Policy
from station.compliance.calibration import BACKDROP_FILE, backdrop_file, measure_backdrop
from station.compliance.messages import TITLES
from station.compliance.results import COVERED, DARK, MEASURED, NO_FACE, NOT_FRAMED, PASS
from station.compliance.standing import Standing, standing
from station.chsi.orientation import UprightFinder
from station.context import Station
from station.errors import StationError
from station.i18n import Text
from station.paths import exists, is_dir

log = logging.getLogger(__name__)

MSG_MISSING = Text("文件或文件夹不存在", "no such file or folder")
MSG_NO_PATHS = Text("请给出要检查的图像文件或文件夹", "give the image files or folders to check")
MSG_NO_IMAGES = Text("文件夹中没有图像（.jpg、.png、.bmp、.webp、.tif、.gif）",
                     "no images in this folder (.jpg, .png, .bmp, .webp, .tif, .gif)")
MSG_NO_ACCESS = Text("没有打开该文件夹的权限", "no permission to open this folder")
MSG_CALIBRATED = Text("已保存背景标定 {path}：色相 {hue_min:.0f}–{hue_max:.0f}，饱和度 ≥ {min_saturation:.0f}，亮度 ≥ {min_value:.0f}",
                      "saved the backdrop calibration {path}: hue {hue_min:.0f}-{hue_max:.0f}, "
                      "saturation >= {min_saturation:.0f}, brightness >= {min_value:.0f}")
MSG_NO_MEMORY = Text("内存不足，无法分析这张图像：请关闭其他程序后重试，或检查一张缩小的副本",
                     "not enough memory to analyse this image: close other programs and try again, or check a "
                     "smaller copy of it")
MSG_FAILED = Text("无法分析这张图像（可能是少见的图像格式），详情已写入数据目录中的日志 logs/station.log",
                  "this image could not be analysed (an unusual image format?); the details are in the data folder's "
                  "log, logs/station.log")
VERDICTS = {
    "pass": Text("合格", "PASS"),
    "fail": Text("不合格", "FAIL"),
    "no_face": Text("未检测到人脸", "NO FACE"),
}
FACES = Text("人脸数 {faces}", "{faces:face|faces}")
# the people face_count passes beside the student: wholly outside the photo and further back (station/chsi/people.py)
OUTSIDE = Text("，{others} 人在照片外", ", {others} outside the photo")
MARKS = {"fail": "✗", "look": "?"}
BLOCKS_AT = Text("（≥ {block:.2f} 不通过）", " (fails at {block:.2f})")
ASKS_AT = Text("（≥ {look:.2f} 请目视确认，≥ {block:.2f} 不通过）", " (asks at {look:.2f}, fails at {block:.2f})")
PASSED_LIST = Text("通过：{checks}", "passed: {checks}")
NOT_CHECKED = Text("需要人脸，未检查：{checks}", "need a face, not checked: {checks}")
NOT_FRAMED_LIST = Text("照片无法取景，未检查：{checks}", "no photo can be framed, not checked: {checks}")
COVERED_LIST = Text("手机挡住了脸，未检查：{checks}", "a phone covers the face, not checked: {checks}")
DARK_LIST = Text("画面太暗，未检查：{checks}", "too dark to see, not checked: {checks}")
LIST_SEP = Text("、", ", ")
TURNED = Text("照片是横放或倒置的：已逆时针转 {degrees}° 后检查（生成的学信网照片同样会转正）",
              "the photo is sideways or upside down: checked turned {degrees}° anticlockwise (as the CHSI photo made "
              "from it is)")
POSE = Text("偏航 {yaw:+.1f}°  俯仰 {pitch:+.1f}°  侧倾 {roll:+.1f}°", "yaw {yaw:+.1f}°  pitch {pitch:+.1f}°  roll {roll:+.1f}°")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("check", parents=[common],
                              help="check photos against every CHSI rule / 按学信网要求逐项检查照片")
    p.add_argument("paths", nargs="*", type=path_as_written, metavar="PATH",
                   help="图片文件，或文件夹（连同其子文件夹） / image files, or folders searched recursively")
    p.add_argument("--json", action="store_true",
                   help="每张图片输出一个 JSON 对象，每行一个 / print one JSON object per image, one per line")
    p.add_argument("--policy", type=path_argument, default=None,
                   help="学校的规则文件，只写要改的项（默认：数据文件夹里有 policy.toml 时用它，覆盖随程序提供的 "
                        "station/compliance/policy.toml） / a school's policy file, only what it changes (default: "
                        "policy.toml in the data folder if there is one, over the shipped "
                        "station/compliance/policy.toml)")
    p.add_argument("--workers", type=workers_argument, default=min(2, os.cpu_count() or 1),
                   help="同时分析的图片数，每张各用一个检查引擎（默认 2，单核电脑为 1） / images analysed at once, "
                        "one engine each (default: 2, or 1 on a single core)")
    p.add_argument("--calibrate-backdrop", type=path_argument, metavar="IMAGE", default=None,
                   help="在 IMAGE 中测量本工作站的蓝色背景布，保存到数据文件夹（calibration/backdrop.toml） / "
                        "measure the station's blue backdrop in IMAGE and save it in the data folder "
                        "(calibration/backdrop.toml)")
    p.set_defaults(func=run_check)


# a photo saved sideways or upside down without an EXIF orientation is reported as it stands (Standing, with its
# turn), since the CHSI photo made of it is turned the same way
Outcome = Analysis | Standing | Text


def reported(outcome: Outcome) -> Analysis | Text:
    """The analysis check reports for a photo: a Standing's is of the photo turned (its face's points lie there)."""
    return outcome.analysis if isinstance(outcome, Standing) else outcome


def run_check(args: argparse.Namespace) -> int:
    home = Station.from_args(args).home
    backdrop = backdrop_file(home)
    if args.calibrate_backdrop is not None:
        calibrate(args.calibrate_backdrop, backdrop, args.lang, json=args.json)
    if not args.paths:
        if args.calibrate_backdrop is not None:
            return 0
        raise StationError(MSG_NO_PATHS)
    logging.getLogger("station.compliance").setLevel(logging.ERROR)  # the output says what is missing
    # a broken policy file stops the run before any image; without --policy, the station's own rules
    policy = Policy.load(args.policy) if args.policy else Policy.for_station(home)
    for path, outcome in check_all(list(image_paths(args.paths)), policy, max(1, args.workers), backdrop):
        if args.json:
            print_json(json_record(path, outcome))
        else:
            print(human(path, outcome, policy, args.lang), flush=True)
    return 0


def check_all(paths: list[str], policy: Policy, workers: int,
              backdrop: Path = BACKDROP_FILE) -> Iterator[tuple[str, Outcome]]:
    """Outcomes in the order of `paths`. Each worker thread loads its own engine once (mediapipe graphs
    belong to one thread); decoding, mediapipe and onnxruntime release the GIL, so two cores both work."""
    local, engines, lock = threading.local(), [], threading.Lock()

    def work(path: str) -> Outcome:
        if not hasattr(local, "engine"):
            local.engine = ComplianceEngine.load(policy, backdrop_file=backdrop)
            local.upright = UprightFinder()
            with lock:
                engines.extend((local.engine, local.upright))  # each closed when the run ends
        return check_one(local.engine, Path(path), local.upright)

    pool = ThreadPoolExecutor(max_workers=min(workers, max(1, len(paths))))
    try:
        yield from zip(paths, pool.map(work, paths))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # an interrupted run stops without finishing the batch
        for engine in engines:
            engine.close()


def calibrate(image_path: Path, out: Path, lang: str | None, json: bool = False) -> None:
    """Measure and save the backdrop; said on stderr with --json, whose stdout holds only the images' records (in
    UTF-8, where this sentence would be in the console's code page: GBK on a Chinese Windows)."""
    image = read_image(image_path)
    if image is None:
        raise StationError(why_unreadable(image_path))
    colour = measure_backdrop(image)
    colour.save(out)
    print(MSG_CALIBRATED.format(path=out, **colour.__dict__).get(lang), file=sys.stderr if json else sys.stdout,
          flush=True)


def image_paths(given: list[str]) -> Iterator[str]:
    """Files as written (whatever their suffix), folders expanded to their images (a link to a photo that is gone
    too, and a folder inside that may not be opened: each gets its line), sorted, named from the folder as written;
    a folder without images stays itself, so the output says so instead of skipping it in silence. A pattern no
    file is named (photos\\*.jpg: Windows' console leaves it to the program) stands for what it matches, and a
    leading ~ for the home folder (matching_names)."""
    for name in matching_names(given):
        if is_dir(name):
            folder = Path(name)
            listed = photos_in(folder)
            found = sorted(listed.photos + listed.unopened)
            yield from [os.path.join(name, p.relative_to(folder)) for p in found] or [name]
        else:
            yield name


def check_one(engine: ComplianceEngine, path: Path, upright: UprightFinder | None = None) -> Outcome:
    """The analysis (of the photo turned upright, given `upright`, when it was saved turned), or why the file
    could not be checked."""
    if not exists(path):
        return MSG_MISSING
    if is_dir(path):  # a folder it may not open looked empty to the search
        return MSG_NO_IMAGES if os.access(path, os.R_OK | os.X_OK) else MSG_NO_ACCESS
    try:
        image = read_image(path)
        if image is None:
            return why_unreadable(path)
        analysis = engine.analyze(image)
        return analysis if upright is None else _standing(engine, upright, image, analysis)
    except Exception as exc:  # one odd image must not end a batch run; the library's words are for the log
        log.error("cannot check %s", path, exc_info=True)
        return MSG_NO_MEMORY if _out_of_memory(exc) else MSG_FAILED


def _out_of_memory(exc: Exception) -> bool:
    """Python's or OpenCV's (cv::Error::StsNoMem, -4: a 100-megapixel photo decoded on a laptop short of memory)."""
    return isinstance(exc, MemoryError) or isinstance(exc, cv2.error) and getattr(exc, "code", None) == -4


def _standing(engine: ComplianceEngine, upright: UprightFinder, image: np.ndarray, analysis: Analysis) -> Outcome:
    found = standing(engine, upright, image, analysis)  # the short-range detector: 4 CPU-ms a look
    return found if found.turns else analysis


def json_record(path: str | Path, outcome: Outcome) -> dict[str, object]:
    if isinstance(outcome, Text):
        return {"path": str(path), "error": outcome.en}
    if isinstance(outcome, Standing):
        return {**json_record(path, outcome.analysis), "turned": outcome.degrees}
    pose = outcome.pose
    record: dict[str, object] = {
        "path": str(path),
        "faces": outcome.faces,
        "verdict": outcome.verdict,
        "checks": {c: {"ok": r.ok, "level": r.level, "score": round(r.score, 4)} for c, r in outcome.checks.items()},
        "questions": [check for check, _ in outcome.questions],
        "pose": None if pose is None else {
            "yaw": round(pose.yaw, 1), "pitch": round(pose.pitch, 1), "roll": round(pose.roll, 1)},
    }
    if outcome.other_faces:  # where the people face_count counts beside the main face are; absent for one person
        record["other_faces"] = [[round(value) for value in box] for box in outcome.other_faces]
    return record


def human(path: str | Path, outcome: Outcome, policy: Policy, lang: str | None) -> str:
    """A readable block per image: verdict and pose, then each blocking failure and each question with its
    score against its thresholds (Analysis.on_screen: without a face, that there is none), then what passed."""
    if isinstance(outcome, Text):
        return f"{path}: {outcome.get(lang)}"
    if isinstance(outcome, Standing):
        first, _, rest = human(path, outcome.analysis, policy, lang).partition("\n")
        said = "  " + TURNED.format(degrees=outcome.degrees).get(lang)
        return "\n".join(line for line in (first, said, rest) if line)
    faces = FACES.format(faces=outcome.faces).get(lang)
    if outcome.other_faces and outcome.checks["face_count"].level == PASS:
        faces += OUTSIDE.format(others=len(outcome.other_faces)).get(lang)
    lines = [f"{path}: {VERDICTS[outcome.verdict].get(lang)}  ({faces})"]
    if outcome.pose is not None:
        pose = outcome.pose
        lines.append("  " + POSE.format(yaw=pose.yaw, pitch=pose.pitch, roll=pose.roll).get(lang))
    shown = outcome.on_screen
    for check, result in shown:
        rule = policy[check]
        limits = (Text("", "") if result.state != MEASURED else BLOCKS_AT if rule.look == rule.block else ASKS_AT)
        lines.append(f"  {MARKS[result.level]} {TITLES[check].get(lang)} {result.score:.2f}"
                     f"{limits.format(look=rule.look, block=rule.block).get(lang)}  {result.message.get(lang)}")
    listed = {check for check, _ in shown}
    sep = LIST_SEP.get(lang)
    left = [c for c in CHECK_IDS if c not in listed]
    for said, checks in ((PASSED_LIST, [c for c in left if outcome.checks[c].level == PASS
                                        and not outcome.checks[c].unmeasured]),
                         (NOT_CHECKED, [c for c in left if outcome.checks[c].state == NO_FACE]),
                         (NOT_FRAMED_LIST, [c for c in left if outcome.checks[c].state == NOT_FRAMED]),
                         (COVERED_LIST, [c for c in left if outcome.checks[c].state == COVERED]),
                         (DARK_LIST, [c for c in left if outcome.checks[c].state == DARK])):
        if checks:
            lines.append("  " + said.format(checks=sep.join(TITLES[c].get(lang) for c in checks)).get(lang))
    return "\n".join(lines)
