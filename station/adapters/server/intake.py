"""Accepting one uploaded image version, exactly once, from the network or a USB package.

The uid (made by the station when the operator accepted the photo) is the idempotency
key: the same uid with the same bytes is a duplicate and changes nothing; the same uid
with other bytes is refused. Each file is opened with the server's private key before
it is kept, so a damaged or forged blob is refused, never stored as good.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from station.errors import StationError
from station.i18n import Text
from station.roster.importer import valid_student_no
from station.adapters.server.home import ServerContext
from station.adapters.server.store import Upload, utc_now
from station.storage.atomic import write_atomic
from station.identity.swaps import CAPTURE, REFERENCE
from station.identity.verify import LEVELS
from station.storage.envelope import EnvelopeError, image_meta, open_with_server_key
from station.upload.limits import DUPLICATE, STORED

KINDS = ("chsi", "original")
UID = re.compile(r"^[0-9a-f]{32}$")  # what CaptureStore makes (uuid4 hex); also keeps paths inside blobs/
SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_VERSION = 100_000  # retakes of one student; a bigger number is not a station's
MAX_TEXT = 1000  # operator, reasons: a sentence, not a file
MAX_CLOCK_OFFSET = timedelta(days=365 * 30)  # a clock fallen back to its BIOS date, not a typo'd year 9999
MAX_IDENTITY = 4000  # the station's identity record: a few checks and a reason
CHECK_LEVELS = (*LEVELS, "unmeasured")
CHECK_AGAINST = ("reference", "previous", "swap")
log = logging.getLogger(__name__)

BAD_META = Text("上传信息不完整或无效：{field}", "Upload metadata is incomplete or not valid: {field}")
BAD_STUDENT_NO = Text("学号“{student_no}”不符合名单规则（1 到 32 个字符，只能包含字母、数字、-、_），拒绝接收。",
                      "The student number '{student_no}' breaks the roster's rule (1 to 32 letters, digits, - or _); "
                      "refused.")
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


def _text(meta: dict, name: str, limit: int, required: bool = True) -> str:
    value = meta.get(name, None if required else "")
    if not isinstance(value, str) or (required and not value) or len(value) > limit:
        raise Refused(422, BAD_META.format(field=name))
    return value


def _shown(value: str) -> str:
    """A refused value as it can be said back: a lone surrogate from a crafted request would not encode."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _version(meta: dict) -> int:
    value = meta.get("version")
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_VERSION:
        raise Refused(422, BAD_META.format(field="version"))
    return value


def _time(meta: dict, name: str) -> str:
    """An ISO time (ordering retakes needs it to be one)."""
    value = _text(meta, name, 64)
    try:
        datetime.fromisoformat(value)
    except ValueError as exc:
        raise Refused(422, BAD_META.format(field=name)) from exc
    return value


def _digests(meta: dict, files: dict[str, bytes]) -> dict[str, str]:
    digests = meta.get("sha256")
    if (not isinstance(digests, dict) or set(digests) != set(KINDS) or set(files) != set(KINDS)
            or not all(isinstance(d, str) and SHA256.match(d) for d in digests.values())):
        raise Refused(422, BAD_META.format(field="sha256"))
    for kind in KINDS:
        if hashlib.sha256(files[kind]).hexdigest() != digests[kind]:
            raise Refused(422, DIGEST_MISMATCH.format(kind=kind))
    return digests


def _checked_upload(station_id: str, request: UploadRequest, source: str) -> Upload:
    """Every field checked at the door, before anything touches the store or the disk (clock offset still 0)."""
    meta = request.meta
    uid = _text(meta, "uid", 32)
    if not UID.match(uid):
        raise Refused(422, BAD_META.format(field="uid"))
    claimed = _text(meta, "station_id", 64)
    if claimed != station_id:
        raise Refused(403, WRONG_STATION.format(token_station=station_id, claimed=_shown(claimed)))
    student_no = _text(meta, "student_no", 64)
    if not valid_student_no(student_no):
        raise Refused(422, BAD_STUDENT_NO.format(student_no=_shown(student_no)))
    digests = _digests(meta, request.files)
    return Upload(uid=uid, station_id=station_id, student_no=student_no, version=_version(meta),
                  captured_at=_time(meta, "captured_at"), received_at=utc_now(),
                  operator=_text(meta, "operator", MAX_TEXT, required=False),
                  reason=_text(meta, "reason", MAX_TEXT, required=False),
                  override_reason=_text(meta, "override_reason", MAX_TEXT, required=False),
                  chsi_sha256=digests["chsi"], original_sha256=digests["original"], source=source,
                  identity=_identity(meta))


def _score(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not -1.0 <= value <= 1.0:
        raise Refused(422, BAD_META.format(field="identity"))
    return float(value)


def _identity(meta: dict) -> str:
    """The station's identity record (station.capture.identity_check.recorded), kept only as known fields with
    checked values: the registrar's page shows it."""
    raw = _text(meta, "identity", MAX_IDENTITY, required=False)
    if not raw:
        return ""
    bad = Refused(422, BAD_META.format(field="identity"))
    try:
        parsed = json.loads(raw)
    except ValueError as exc:
        raise bad from exc
    checks, reason = (parsed.get("checks"), parsed.get("reason", "")) if isinstance(parsed, dict) else (None, None)
    if not isinstance(checks, list) or not isinstance(reason, str) or len(reason) > MAX_TEXT:
        raise bad
    kept = []
    for check in checks:
        if not isinstance(check, dict) or check.get("against") not in CHECK_AGAINST or check.get("level") not in CHECK_LEVELS:
            raise bad
        item = {"against": check["against"], "level": check["level"], "score": _score(check.get("score"))}
        if check["against"] == "swap":
            other, source, uid = check.get("student_no"), check.get("source"), check.get("uid", "")
            if (not isinstance(other, str) or not valid_student_no(other) or source not in (CAPTURE, REFERENCE)
                    or not isinstance(uid, str) or (uid and not UID.match(uid))):
                raise bad
            item.update(student_no=other, source=source, uid=uid, own_score=_score(check.get("own_score")))
        kept.append(item)
    return json.dumps({"checks": kept, "reason": reason}, ensure_ascii=False)


def accept(server: ServerContext, station_id: str, request: UploadRequest, source: str) -> str:
    """Keep the upload once; returns STORED or DUPLICATE, raises Refused."""
    upload = _checked_upload(station_id, request, source)
    upload = replace(upload, clock_offset_ms=_clock_offset_ms(request.meta.get("sent_at"), upload.received_at)
                     if source == "network" else server.store.clock_offset_of(station_id))
    existing = server.store.get_upload(upload.uid)
    if existing is not None:
        return _same_or_conflict(existing, upload)
    opened = {kind: _check_sealed(server, upload, kind, request.files[kind]) for kind in KINDS}
    try:
        for kind in KINDS:
            write_atomic(blob_path(server, upload.uid, kind), request.files[kind])
    except StationError as exc:  # the server's disk is full: 507, and the station keeps the photo and tries again
        log.error("upload %s from %s not kept: %s", upload.uid, station_id, exc.text.en)
        raise Refused(507, exc.text) from exc
    if server.store.insert_upload(upload):
        _measure_face(server, upload, opened["chsi"])
        return STORED
    return _same_or_conflict(server.store.get_upload(upload.uid), upload)


def _measure_face(server: ServerContext, upload: Upload, chsi_jpeg: bytes) -> None:
    """The swap check across stations; the photo is stored already, so a failure here is logged, never refused."""
    try:
        server.faces.check(upload, chsi_jpeg)
    except Exception:  # noqa: BLE001 - a face check must never cost a photo its place on the server
        log.exception("face of upload %s not measured", upload.uid)


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


def _check_sealed(server: ServerContext, upload: Upload, kind: str, blob: bytes) -> bytes:
    """The file's image, once it opens with the server key and carries this upload's metadata."""
    try:
        sealed, image = open_with_server_key(blob, server.private_key)
    except EnvelopeError as exc:
        raise Refused(422, UNREADABLE.format(kind=kind, what=exc.said)) from exc
    if sealed != image_meta(upload.uid, kind, upload.student_no, upload.version, upload.captured_at, upload.station_id):
        raise Refused(422, META_MISMATCH.format(kind=kind))
    return image


def read_blob(server: ServerContext, upload: Upload, kind: str) -> bytes:
    """Decrypt a stored file with the private key (export, checks); damage raises EnvelopeError."""
    blob = blob_path(server, upload.uid, kind).read_bytes()
    if hashlib.sha256(blob).hexdigest() != getattr(upload, f"{kind}_sha256"):
        raise EnvelopeError("stored blob digest differs")
    return open_with_server_key(blob, server.private_key)[1]
