"""`photo-station crop IMAGE... --out DIR [--json]`: the shutter's CHSI pipeline on still images.

Useful for photos from a tethered camera. Made by the station's output profile (`photo-station profiles`).
Writes DIR/<stem>.jpg for every image that meets
the spec; a refused image gets a reason and no file, and the run goes on. Exit 0 when every image was
written, 1 when any was refused or could not be read or written (a script can tell).
An output never replaces one of the run's own inputs or an earlier output of the run (two
cameras' IMG_0001.jpg, or --out the input's own folder): it becomes <stem>-2.jpg, -3, ... Names are compared
ignoring case, as Windows and a Mac do: a camera's IMG_0001.JPG and the crop's IMG_0001.jpg are one file there.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from station.adapters.cli import folder_argument, matching_paths
from station.adapters.cli.output import print_json
from station.image_io import read_image, why_unreadable
from station.chsi.pipeline import ChsiPipeline, ChsiResult
from station.chsi.profiles import selected_spec
from station.context import Station
from station.errors import StationError, os_reason
from station.i18n import Text
from station.paths import NOT_A_FOLDER, exists, is_dir, real_path
from station.storage.atomic import write_atomic

MSG_WRITE_FAILED = Text("无法写入输出文件：{error}", "cannot write the output file: {error}")
MSG_REFUSED = Text("{refused} / {total} 张照片没有生成", "Not cropped: {refused} of {total:image|images}")
MSG_OK = Text("已生成 {out}（{bytes} 字节，质量 {quality}）", "wrote {out} ({bytes} bytes, quality {quality})")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("crop", parents=[common],
                              help="make CHSI 480x640 photos from still images / 将照片裁剪为学信网格式")
    p.add_argument("images", nargs="+", metavar="IMAGE", help="要裁剪的照片 / input photos")
    p.add_argument("--out", required=True, type=folder_argument,
                   help="输出文件夹：DIR/<原文件名>.jpg / output folder: DIR/<stem>.jpg")
    p.add_argument("--json", action="store_true",
                   help="每张图片输出一个 JSON 对象，每行一个 / print one JSON object per image, one per line")
    p.set_defaults(func=run_crop)


def run_crop(args: argparse.Namespace) -> int:
    if exists(args.out) and not is_dir(args.out):  # said once, not as "File exists" for every image
        raise StationError(NOT_A_FOLDER.format(path=args.out))
    images = list(matching_paths(args.images))  # D:\\tether\\*.JPG from Windows' console, unexpanded
    taken = {_taken_key(path) for path in images}
    refused = 0
    with ChsiPipeline(selected_spec(Station.from_args(args).home)) as pipeline:  # the station's output profile
        for path in images:
            record = crop_one(pipeline, path, args.out, taken)
            refused += not record["ok"]
            if args.json:
                print_json(record)
            else:
                print(_human(record, args.lang), flush=True)
    if refused and not args.json:
        print(MSG_REFUSED.format(refused=refused, total=len(images)).get(args.lang), flush=True)
    return 1 if refused else 0


def crop_one(pipeline: ChsiPipeline, path: Path, out_dir: Path, taken: set[str]) -> dict[str, object]:
    """Crop one image into out_dir; `taken` holds the paths this run must not write over (_taken_key), and grows."""
    image = read_image(path)
    if image is None:
        text = why_unreadable(path)
        return {"path": str(path), "ok": False, "reason": "unreadable", "message": text.en, "message_zh": text.zh}
    result = pipeline.process(image)
    if not result.ok:
        return _refused(path, result)
    out = free_name(out_dir, path.stem, taken)
    taken.add(_taken_key(out))
    try:
        write_atomic(out, result.jpeg)
    except StationError as exc:  # the disk is full
        return {"path": str(path), "ok": False, "reason": "write_failed", "message": exc.text.en,
                "message_zh": exc.text.zh}
    except OSError as exc:
        text = MSG_WRITE_FAILED.format(error=os_reason(exc))
        return {"path": str(path), "ok": False, "reason": "write_failed", "message": text.en, "message_zh": text.zh}
    m = result.measure
    return {
        "path": str(path), "out": str(out), "ok": True, "width": m.width, "height": m.height, "bytes": m.bytes,
        "hair_top_y": round(m.hair_top_y), "eyes_y": round(m.eyes_y), "face_width": round(m.face_width),
        "roll": round(m.roll, 2), "quality": result.quality, "denoised": result.denoised,
    }


def free_name(out_dir: Path, stem: str, taken: set[str]) -> Path:
    out, number = out_dir / f"{stem}.jpg", 2
    while _taken_key(out) in taken:
        out, number = out_dir / f"{stem}-{number}.jpg", number + 1
    return out


def _taken_key(path: str | Path) -> str:
    """The file a path names on any file system: links followed, case ignored (Windows, a Mac)."""
    return str(real_path(path)).casefold()


def _refused(path: Path, result: ChsiResult) -> dict[str, object]:
    refusal = result.refusal
    return {"path": str(path), "ok": False, "reason": refusal.reason, "message": refusal.text.en,
            "message_zh": refusal.text.zh}


def _human(record: dict[str, object], lang: str | None) -> str:
    if record["ok"]:
        return f"{record['path']}: " + MSG_OK.format(**record).get(lang)
    text = Text(str(record["message_zh"]), str(record["message"]))
    return f"{record['path']}: {text.get(lang)}"
