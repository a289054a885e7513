"""The reference photos the receiving server holds, fetched by a station (`photo-station roster photos
--from-server`) and imported through the same checks as photos from a folder (station.identity.references).

The station asks which photos the server holds and fetches only those it lacks or holds in another version
(by SHA-256), a batch at a time; each batch is sealed by the server for an X25519 key pair made for that request
and dropped after it, so the photos cross the network (inside the pinned TLS connection) readable by this request
alone. The token and the pinned certificate are the uploader's (station.upload.uploader.client_for).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import threading
from collections.abc import Iterator

import httpx
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from station.context import Station
from station.errors import StationError
from station.i18n import Text
from station.identity.embedder import FaceEmbedder
from station.identity.references import IMAGE_SUFFIXES, Counted, Progress, ReferenceReport, import_entries
from station.identity.verify import MODEL_ID
from station.storage.envelope import EnvelopeError, open_with_server_key, public_key_to_b64
from station.storage.server_link import load_link
from station.upload.uploader import WRONG_CERTIFICATE, client_for, transport_problem, wrong_certificate

logger = logging.getLogger(__name__)
BATCH = 20  # photos asked for at once: the server's own cap (station.adapters.server.references.BATCH)
TIMEOUT = 60.0  # seconds for one request (a batch is a few MB)

# the uploader's own words (照片在本机排队 / photos wait here) spoke of uploads, not of the photos asked for (s33 walk)
NOT_LINKED = Text("尚未配置服务器，无法获取参考照片：请先在“上传 → 连接服务器…”中粘贴管理员给出的设置行"
                  "（命令行：photo-station server-config …）",
                  "No server is set up, so no reference photos can be fetched: first paste the settings line the "
                  "registrar gives you in Upload → Connect to the server… (at a terminal: photo-station server-config …)")
UNREACHABLE = Text("无法从服务器取得参考照片：{reason}", "cannot fetch the reference photos from the server: {reason}")
NOT_ANSWERING = Text("服务器没有应答（{reason}），请检查网络和服务器地址", "the server does not answer ({reason}): check "
                     "the network and the server address")
REFUSED = Text("服务器拒绝了请求（HTTP {code}），请向管理员核对令牌", "the server refused the request (HTTP {code}): check "
               "the token with the registrar")
UNREADABLE_ANSWER = Text("服务器的应答无法读取，请向管理员核对服务器版本", "the server's answer cannot be read: check the "
                         "server's version with the registrar")


def fetch_references(station: Station, station_key: bytes, embedder: FaceEmbedder | None = None,
                     timeout: float = TIMEOUT, progress: Progress | None = None,
                     stop: threading.Event | None = None) -> ReferenceReport:
    """Import the server's reference photos this station lacks; those it holds already count as unchanged."""
    link = load_link(station.db)
    problem = link.upload_problem or (None if link.can_upload else NOT_LINKED)
    if problem is not None:
        raise StationError(problem)
    have = dict(station.db.execute("SELECT student_no, sha256 FROM reference_photos WHERE model = ?",
                                   [MODEL_ID]).fetchall())  # one embedded by an older model is fetched again
    try:
        with client_for(link, timeout) as client:
            listed = _json(client.get("/api/v1/references"))["references"]
            wanted = [r["student_no"] for r in listed if have.get(r["student_no"]) != r["sha256"]]
            report = import_entries(station, Counted(len(wanted), _photos(client, wanted)), station_key, embedder,
                                    progress=progress, stop=stop)
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
        logger.warning("reference photos not fetched: %r", exc)
        raise StationError(UNREACHABLE.format(reason=_why(exc))) from exc
    report.unchanged += len(listed) - len(wanted)
    report.audit(station, "server")
    return report


def _why(exc: Exception) -> Text:
    """What the photographer can act on, in their language, not the library's words."""
    if wrong_certificate(exc):
        return WRONG_CERTIFICATE
    if isinstance(exc, httpx.HTTPStatusError):
        return REFUSED.format(code=exc.response.status_code)
    if isinstance(exc, httpx.TransportError):
        return NOT_ANSWERING.format(reason=transport_problem(exc))
    return UNREADABLE_ANSWER


def _json(response: httpx.Response) -> dict:
    response.raise_for_status()
    return response.json()


def _photos(client: httpx.Client, wanted: list[str]) -> Iterator[tuple[str, bytes]]:
    """(file name, photo) of each student asked for, opened with this batch's key; a photo whose sealed metadata
    or digest does not match what was asked is not used."""
    for start in range(0, len(wanted), BATCH):
        key = X25519PrivateKey.generate()
        asked = wanted[start:start + BATCH]
        answer = _json(client.post("/api/v1/references",
                                   json={"public_key": public_key_to_b64(key.public_key()), "student_nos": asked}))
        for item in answer["references"]:
            try:
                meta, photo = open_with_server_key(base64.b64decode(item["photo"]), key)
            except (EnvelopeError, ValueError):
                continue
            student_no = meta.get("student_no")
            if student_no not in asked or meta.get("sha256") != hashlib.sha256(photo).hexdigest():
                continue
            suffix = meta.get("suffix")
            yield f"{student_no}{suffix if suffix in IMAGE_SUFFIXES else '.jpg'}", photo
