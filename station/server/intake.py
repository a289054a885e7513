"""Accepting one uploaded image version, exactly once, from the network or a USB package.

The uid (made by the station when the operator accepted the photo) is the idempotency
key: the same uid with the same bytes is a duplicate and changes nothing; the same uid
with other bytes is refused. Each file is opened with the server's private key before
it is kept, so a damaged or forged blob is refused, never stored as good.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from station.i18n import Text
from station.server.home import ServerContext
from station.server.store import Upload, utc_now
from station.storage.atomic import write_atomic
from station.storage.envelope import EnvelopeError, image_meta, open_with_server_key

KINDS = ("chsi", "original")
UID = re.compile(r"^[0-9a-f]{32}$")  # what CaptureStore makes (uuid4 hex); also keeps paths inside blobs/
STORED, DUPLICATE = "stored", "duplicate"
MAX_CLOCK_OFFSET = timedelta(days=365 * 30)  # a clock fallen back to its BIOS date, not a typo'd year 9999

BAD_META = Text("上传信息不完整：{field}", "Upload metadata is incomplete: {field}")
WRONG_STATION = Text("令牌属于工作站 {token_station}，不能代表 {claimed} 上传。",
                     "The token belongs to station {token_station}; it cannot upload for {claimed}.")
DIGEST_MISMATCH = Text("{kind} 文件在传输中损坏（校验值不符）。", "The {kind} file was damaged in transfer (digest mismatch).")
CONFLICT = Text("编号 {uid} 已存在且内容不同，拒绝覆盖。", "Upload {uid} already exists with other content; not overwritten.")
UNREADABLE = Text("{kind} 文件无法用服务器私钥解开：{what}", "The {kind} file does not open with the server key: {what}")
META_MISMATCH = Text("{kind} 文件的加密元数据与上传信息不符。", "The {kind} file's sealed metadata does not match the upload.")


class Refused(Exception):
    """An upload the server will not keep; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, text: Text) -> None:
        super().__init__(text.en)
        self.status = status
        self.text = text


@dataclass(frozen=True)
class UploadRequest:
    meta: dict
    files: dict[str, bytes]


def blob_path(server: ServerContext, uid: str, kind: str) -> Path:
    return server.blobs_dir / uid[:2] / f"{uid}.{kind}.pse"


def _field(meta: dict, name: str, kind: type) -> object:
    value = meta.get(name)
    if not isinstance(value, kind) or (kind is str and not value):
        raise Refused(422, BAD_META.format(field=name))
    return value


def accept(server: ServerContext, station_id: str, request: UploadRequest, source: str) -> str:
    """Keep the upload once; returns STORED or DUPLICATE, raises Refused."""
    meta = request.meta
    uid = str(_field(meta, "uid", str))
    if not UID.match(uid):
        raise Refused(422, BAD_META.format(field="uid"))
    claimed = _field(meta, "station_id", str)
    if claimed != station_id:
        raise Refused(403, WRONG_STATION.format(token_station=station_id, claimed=claimed))
    digests = meta.get("sha256")
    if not isinstance(digests, dict) or set(request.files) != set(KINDS):
        raise Refused(422, BAD_META.format(field="files"))
    for kind in KINDS:
        if hashlib.sha256(request.files[kind]).hexdigest() != digests.get(kind):
            raise Refused(422, DIGEST_MISMATCH.format(kind=kind))
    received_at = utc_now()
    upload = Upload(uid=uid, station_id=station_id, student_no=str(_field(meta, "student_no", str)),
                    version=int(_field(meta, "version", int)), captured_at=str(_field(meta, "captured_at", str)),
                    received_at=received_at, operator=str(meta.get("operator", "")), reason=str(meta.get("reason", "")),
                    override_reason=str(meta.get("override_reason", "")), chsi_sha256=digests["chsi"],
                    original_sha256=digests["original"], source=source,
                    clock_offset_ms=_clock_offset_ms(meta.get("sent_at"), received_at) if source == "network"
                    else server.store.clock_offset_of(station_id))
    try:
        datetime.fromisoformat(upload.captured_at)  # ordering retakes needs it to be a time
    except ValueError as exc:
        raise Refused(422, BAD_META.format(field="captured_at")) from exc
    existing = server.store.get_upload(uid)
    if existing is not None:
        return _same_or_conflict(existing, upload)
    for kind in KINDS:
        _check_sealed(server, upload, kind, request.files[kind])
    for kind in KINDS:
        write_atomic(blob_path(server, uid, kind), request.files[kind])
    if server.store.insert_upload(upload):
        return STORED
    return _same_or_conflict(server.store.get_upload(uid), upload)


def _clock_offset_ms(sent_at: object, received_at: str) -> int:
    """Server clock minus the station's, from the time the station stamped on the request (0 when it sent none,
    or nonsense). A USB package is carried for days, so its export time says nothing about the station's clock:
    it takes the offset of the station's newest network upload instead."""
    try:
        sent = datetime.fromisoformat(str(sent_at))
    except ValueError:
        return 0
    if sent.tzinfo is None:
        return 0
    offset = datetime.fromisoformat(received_at) - sent
    return round(offset.total_seconds() * 1000) if abs(offset) <= MAX_CLOCK_OFFSET else 0


def _same_or_conflict(existing: Upload | None, upload: Upload) -> str:
    if existing is not None and (existing.chsi_sha256, existing.original_sha256) == (upload.chsi_sha256, upload.original_sha256):
        return DUPLICATE
    raise Refused(409, CONFLICT.format(uid=upload.uid))


def _check_sealed(server: ServerContext, upload: Upload, kind: str, blob: bytes) -> None:
    try:
        sealed, _ = open_with_server_key(blob, server.private_key)
    except EnvelopeError as exc:
        raise Refused(422, UNREADABLE.format(kind=kind, what=exc.what)) from exc
    if sealed != image_meta(upload.uid, kind, upload.student_no, upload.version, upload.captured_at, upload.station_id):
        raise Refused(422, META_MISMATCH.format(kind=kind))


def read_blob(server: ServerContext, upload: Upload, kind: str) -> bytes:
    """Decrypt a stored file with the private key (export, checks); damage raises EnvelopeError."""
    blob = blob_path(server, upload.uid, kind).read_bytes()
    if hashlib.sha256(blob).hexdigest() != getattr(upload, f"{kind}_sha256"):
        raise EnvelopeError("stored blob digest differs")
    return open_with_server_key(blob, server.private_key)[1]
