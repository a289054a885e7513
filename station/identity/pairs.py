"""Pairs of image files compared in one run: each distinct file is embedded once, by a few worker threads.

OpenCV's DNN releases the GIL, so two threads keep two cores busy; each thread loads the models once.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from station.errors import StationError
from station.i18n import Text
from station.identity.embedder import FaceEmbedder, FaceEmbedding
from station.identity.files import Unusable, embed_file
from station.identity.verify import Verdict, compare

UNREADABLE_PAIRS = Text("无法读取比对清单 {path}：{reason}", "cannot read the pairs file {path}: {reason}")
NO_COLUMNS = Text("比对清单需要 a 和 b 两列（第一行为表头）", "the pairs file needs columns a and b (a header row)")
NO_PATH = Text("这一行没有给出路径", "this row gives no path")

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


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8", raw, 0, 1, "neither UTF-8 nor GB18030")


def read_pairs(path: Path) -> list[Pair]:
    """The pairs of a CSV with columns a,b; a relative path is found from the current folder, else the CSV's."""
    try:
        text = _decode(path.read_bytes())
    except (OSError, UnicodeDecodeError) as exc:
        raise StationError(UNREADABLE_PAIRS.format(path=path, reason=getattr(exc, "strerror", None) or exc)) from exc
    rows = list(csv.reader(text.splitlines()))
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    if "a" not in header or "b" not in header:
        raise StationError(NO_COLUMNS)
    ia, ib = header.index("a"), header.index("b")
    pairs = []
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        names = [row[i].strip() if i < len(row) else "" for i in (ia, ib)]
        paths = [_locate(name, path.parent) if name else None for name in names]
        pairs.append((names[0], paths[0], names[1], paths[1]))
    return pairs


def _locate(name: str, folder: Path) -> Path:
    given = Path(name)
    if given.is_absolute() or given.exists():
        return given
    beside = folder / given
    return beside if beside.exists() else given


def verify_pairs(pairs: list[Pair], workers: int = 2) -> Iterator[PairResult]:
    """Results in the order of `pairs`, each file embedded once however many pairs name it."""
    local = threading.local()

    def work(path: Path) -> FaceEmbedding | Unusable:
        if not hasattr(local, "embedder"):
            local.embedder = FaceEmbedder()
        return embed_file(local.embedder, path)

    pool = ThreadPoolExecutor(max_workers=max(1, workers))
    futures: dict[Path, Future] = {}
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
