"""Pairs of image files compared in one run: each distinct file is embedded once, by a few worker threads.

OpenCV's DNN releases the GIL, so two threads keep two cores busy; each thread loads the models once.
"""

from __future__ import annotations

import csv
import io
import os
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cv2

from station.errors import StationError, os_reason
from station.i18n import Text
from station.identity.embedder import FaceEmbedder, FaceEmbedding
from station.identity.files import Unusable, embed_file
from station.identity.verify import Verdict, compare
from station.paths import exists, is_file, typed_path
from station.roster.table import UNKNOWN_ENCODING, decode_text, is_workbook

UNREADABLE_PAIRS = Text("无法读取比对清单 {path}：{reason}", "cannot read the pairs file {path}: {reason}")
NO_COLUMNS = Text("比对清单需要 a 和 b 两列：第一行为表头 a,b，或不要表头，每行前两列即两张照片的路径",
                  "the pairs file needs columns a and b: a header row a,b, or no header and two image paths a row")
DELIMITERS = ",\t;"  # Excel saves CSV with commas, or semicolons where the comma is the decimal mark; "text" is tabs
WORKBOOK = Text("比对清单 {path} 是 Excel 工作簿：请在 Excel 或 WPS 中另存为 CSV（逗号分隔）后再用",
                "the pairs file {path} is an Excel workbook: save it as CSV (comma delimited) in Excel or WPS and use that")
CELL_TOO_LONG = Text("有一格长于 128 KB，不是照片路径清单", "a cell is longer than 128 KB: this is not a list of photo paths")
NO_PATH = Text("这一行没有给出路径", "this row gives no path")
NOT_TEXT = Text("不是 UTF-8、GBK 或 UTF-16 文本（是图像或其他文件吗？）请给出逗号分隔的 CSV 文本文件",
                "it is not text in UTF-8, GBK or UTF-16 (an image, or another kind of file?): give a CSV text file")

Pair = tuple[str, Path | None, str, Path | None]  # a as written, a's path, b as written, b's path


@dataclass(frozen=True)
class PairResult:
    a_name: str
    b_name: str
    a: FaceEmbedding | Unusable
    b: FaceEmbedding | Unusable

    @property
    def verdict(self) -> Verdict:
        assert isinstance(self.a, FaceEmbedding) and isinstance(self.b, FaceEmbedding)
        return compare(self.a.vector, self.b.vector)


def read_pairs(path: Path) -> list[Pair]:
    """The pairs of a CSV with columns a,b; a relative path is found from the current folder, else the CSV's."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise StationError(UNREADABLE_PAIRS.format(path=path, reason=os_reason(exc))) from exc
    if is_workbook(raw):
        raise StationError(WORKBOOK.format(path=path))
    try:
        text = decode_text(raw)  # UTF-8, GBK or Excel's UTF-16 "Unicode text", as rosters are read
    except StationError as exc:  # not the roster's advice (.xlsx, which verify refuses): what the file is
        reason = NOT_TEXT if exc.text is UNKNOWN_ENCODING else exc.text
        raise StationError(UNREADABLE_PAIRS.format(path=path, reason=reason)) from exc
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(DELIMITERS, key=first.count)
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)  # \r\n, \n or a Mac's \r
                if any(cell.strip() for cell in row)]
    except csv.Error as exc:  # a cell over the csv module's 128 KB limit: not a list of paths
        raise StationError(UNREADABLE_PAIRS.format(path=path, reason=CELL_TOO_LONG)) from exc
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    if "a" in header and "b" in header:
        ia, ib, data = header.index("a"), header.index("b"), rows[1:]
    elif len(header) >= 2 and all(_is_image_path(cell.strip(), path.parent) for cell in rows[0][:2]):
        ia, ib, data = 0, 1, rows  # no header: the first row is already a pair
    else:
        raise StationError(NO_COLUMNS)
    pairs = []
    for row in data:
        names = [row[i].strip() if i < len(row) else "" for i in (ia, ib)]
        paths = [locate(name, path.parent) if name else None for name in names]
        pairs.append((names[0], paths[0], names[1], paths[1]))
    return pairs


def _is_image_path(name: str, folder: Path) -> bool:
    """Whether a cell of the first row names a file (x.jpg, one that exists) rather than a column (a header)."""
    return bool(name) and (Path(name).suffix != "" or is_file(locate(name, folder)))


def locate(name: str, folder: Path | None = None) -> Path:
    """The file a path as written means: from the current folder, else from `folder` (the pairs file's); a leading
    ~ is the user's home folder, %NAME% a variable's value (cmd's, where PowerShell hands it over as typed) and "\\"
    a folder's end in a file written on Windows and read elsewhere (what a shell or Windows would have made of them).
    Where none exists, the path as written (said to be missing)."""
    expanded = typed_path(name)
    for written in map(Path, dict.fromkeys((name, expanded, name.replace("\\", os.sep)))):
        places = [written] if folder is None or written.is_absolute() else [written, folder / written]
        found = next((place for place in places if exists(place)), None)
        if found is not None:
            return found
    return Path(name)


def verify_pairs(pairs: list[Pair], workers: int = 2) -> Iterator[PairResult]:
    """Results in the order of `pairs`, each file embedded once however many pairs name it."""
    local = threading.local()

    def work(path: Path) -> FaceEmbedding | Unusable:
        if not hasattr(local, "embedder"):
            local.embedder = FaceEmbedder()
        return embed_file(local.embedder, path)

    pool = ThreadPoolExecutor(max_workers=max(1, workers))
    futures: dict[Path, Future] = {}
    opencv_threads = cv2.getNumThreads()
    if workers > 1:  # each worker on one core: OpenCV's own threads under every worker's SFace oversubscribed them
        cv2.setNumThreads(1)  # (28 against 22 CPU-ms an embedding, the same vectors)
    try:
        for _, a, _, b in pairs:
            for path in (a, b):
                if path is not None and path not in futures:
                    futures[path] = pool.submit(work, path)
        for a_name, a, b_name, b in pairs:
            yield PairResult(a_name, b_name, *(Unusable("no_path", NO_PATH) if p is None else futures[p].result()
                                               for p in (a, b)))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        cv2.setNumThreads(opencv_threads)
