"""Hand-made upload requests, as a hostile or broken client would send them (the door's tests and the fuzz)."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from datetime import datetime, timezone


def files(size: int = 64) -> dict[str, bytes]:
    """Random bytes in place of sealed files: a request that passed every field check would still be refused."""
    return {"chsi": os.urandom(size), "original": os.urandom(size)}


def meta(station_id: str, student_no: str, blobs: dict[str, bytes]) -> dict:
    return {"uid": uuid.uuid4().hex, "student_no": student_no, "version": 1,
            "captured_at": datetime.now(timezone.utc).isoformat(), "station_id": station_id, "operator": "op",
            "reason": "", "override_reason": "", "sha256": {k: hashlib.sha256(v).hexdigest() for k, v in blobs.items()}}


def multipart(meta_text: str | bytes, blobs: dict[str, bytes]) -> dict:
    """httpx keyword arguments for a POST to /api/v1/uploads."""
    return {"data": {"meta": meta_text if isinstance(meta_text, str) else meta_text.decode("latin-1")},
            "files": {kind: (f"x.{kind}.pse", data) for kind, data in blobs.items()}}


def deep_json(levels: int) -> str:
    return "[" * levels + "]" * levels


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def upload_args(station_id: str, student_no: str) -> dict:
    blobs = files()
    return multipart(json.dumps(meta(station_id, student_no, blobs)), blobs)
