"""Envelope encryption of one image: a fresh AES-256-GCM key per file, wrapped twice.

Layout: MAGIC | header length (4 bytes, big endian) | header (JSON) | ciphertext with GCM tag.
The header carries the metadata (student number, version, capture time, station id, ...)
that is bound to the ciphertext as authenticated data, and the wrapped key "slots":
- "server": the data key sealed to the receiving server's X25519 public key (ephemeral
  ECDH + HKDF + AES-GCM); only the server's private key opens it.
- "station": the data key sealed with the station key, so the station can show its own
  recent captures. The upload copy drops this slot (`server_copy`), so what leaves the
  station cannot be read on the station at all.
"""

from __future__ import annotations

import base64
import json
import os
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from station.errors import StationError
from station.i18n import Text

MAGIC = b"PSE1"
_HKDF_INFO = b"photo-station envelope v1 server slot"

DAMAGED = Text(
    "加密照片文件已损坏或被篡改（{what}），不会上传或显示。",
    "The encrypted photo file is damaged or was tampered with ({what}); it will not be uploaded or shown.",
)


# What was found wrong with a file, said for people; `what` stays the short code (for the log and scripts).
FOUND = {
    "not an envelope": Text("不是本系统加密的照片文件", "not a photo file sealed by this system"),
    "truncated": Text("文件不完整，可能没有复制完", "the file is cut short: it may not have been copied whole"),
    "bad header": Text("文件头已损坏", "its header is damaged"),
    "no station key slot": Text("没有本工作站的钥匙", "it holds no key for this station"),
    "no server key slot": Text("没有服务器的钥匙", "it holds no key for the server"),
    "bad server key slot": Text("服务器的钥匙已损坏", "its key for the server is damaged"),
    "authentication failed": Text("内容被改动过或已损坏，或是用另一把钥匙加密的",
                                  "its content was altered or damaged, or it was sealed with another key"),
    "bad key slot": Text("钥匙已损坏", "its key is damaged"),
    "file missing": Text("文件不存在", "the file is missing"),
    "digest differs from the one recorded at save time": Text("文件在保存后被改动过或已损坏",
                                                              "it was changed or damaged since it was saved"),
    "metadata does not match the register": Text("文件与登记的照片信息不符", "it does not match the photo registered"),
    "stored blob digest differs": Text("文件在收到后被改动过或已损坏", "it was changed or damaged since it was received"),
}


class EnvelopeError(StationError):
    """The file is not an intact envelope: truncated, altered, or sealed for someone else."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.said = FOUND[what]
        super().__init__(DAMAGED.format(what=self.said), exit_code=4)


@dataclass(frozen=True)
class Envelope:
    meta: dict[str, object]
    header: dict[str, object]
    ciphertext: bytes

    @property
    def aad(self) -> bytes:
        return canonical(self.meta)


def image_meta(uid: str, kind: str, student_no: str, version: int, captured_at: str,
               station_id: str) -> dict[str, object]:
    """What is bound to each image file's ciphertext; the server checks the same fields."""
    return {"uid": uid, "kind": kind, "student_no": student_no, "version": version,
            "captured_at": captured_at, "station_id": station_id}


def canonical(meta: dict[str, object]) -> bytes:
    return json.dumps(meta, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    return base64.b64decode(str(text), validate=True)


def public_key_from_b64(text: str) -> X25519PublicKey:
    try:
        return X25519PublicKey.from_public_bytes(_unb64(text.strip()))
    except ValueError as exc:
        raise StationError(Text("服务器公钥格式不正确。", "The server public key is not valid.")) from exc


def public_key_to_b64(key: X25519PublicKey) -> str:
    return _b64(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def _server_kek(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=None, info=_HKDF_INFO + ephemeral + recipient).derive(shared)


def seal(plaintext: bytes, meta: dict[str, object], server_key: X25519PublicKey,
         station_key: bytes | None) -> bytes:
    """Encrypt with a fresh data key; wrap it for the server and (optionally) for the station."""
    aad = canonical(meta)
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(12)
    ciphertext = AESGCM(data_key).encrypt(nonce, plaintext, aad)

    ephemeral = X25519PrivateKey.generate()
    ephemeral_pub = ephemeral.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    recipient = server_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    kek = _server_kek(ephemeral.exchange(server_key), ephemeral_pub, recipient)
    slots: dict[str, object] = {"server": {"epk": _b64(ephemeral_pub), **_wrap(kek, data_key, aad)}}
    if station_key is not None:
        slots["station"] = _wrap(station_key, data_key, aad)
    header = {"meta": meta, "nonce": _b64(nonce), "slots": slots}
    return _pack(header, ciphertext)


def _wrap(kek: bytes, data_key: bytes, aad: bytes) -> dict[str, str]:
    nonce = os.urandom(12)
    return {"nonce": _b64(nonce), "key": _b64(AESGCM(kek).encrypt(nonce, data_key, aad))}


def _pack(header: dict[str, object], ciphertext: bytes) -> bytes:
    encoded = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    return MAGIC + struct.pack(">I", len(encoded)) + encoded + ciphertext


def parse(blob: bytes) -> Envelope:
    """Split a file into header and ciphertext; structural damage is reported, not raised raw."""
    if len(blob) < 8 or blob[:4] != MAGIC:
        raise EnvelopeError("not an envelope")
    (length,) = struct.unpack(">I", blob[4:8])
    if len(blob) < 8 + length + 16:
        raise EnvelopeError("truncated")
    try:
        header = json.loads(blob[8:8 + length])
        meta = header["meta"]
        if not isinstance(meta, dict):
            raise TypeError("meta")
    except (ValueError, KeyError, TypeError) as exc:
        raise EnvelopeError("bad header") from exc
    return Envelope(meta=meta, header=header, ciphertext=blob[8 + length:])


def server_copy(blob: bytes) -> bytes:
    """The upload form: same ciphertext and metadata, only the server's key slot."""
    envelope = parse(blob)
    header = dict(envelope.header)
    header["slots"] = {"server": envelope.header["slots"]["server"]}
    return _pack(header, envelope.ciphertext)


def open_with_station_key(blob: bytes, station_key: bytes) -> tuple[dict[str, object], bytes]:
    envelope = parse(blob)
    slot = envelope.header.get("slots", {}).get("station")
    if not slot:
        raise EnvelopeError("no station key slot")
    return envelope.meta, _decrypt(envelope, station_key, slot)


def open_with_server_key(blob: bytes, private_key: X25519PrivateKey) -> tuple[dict[str, object], bytes]:
    envelope = parse(blob)
    slot = envelope.header.get("slots", {}).get("server")
    if not slot:
        raise EnvelopeError("no server key slot")
    try:
        ephemeral = _unb64(slot["epk"])
        shared = private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral))
    except (KeyError, ValueError) as exc:
        raise EnvelopeError("bad server key slot") from exc
    recipient = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return envelope.meta, _decrypt(envelope, _server_kek(shared, ephemeral, recipient), slot)


def _decrypt(envelope: Envelope, kek: bytes, slot: dict[str, str]) -> bytes:
    try:
        data_key = AESGCM(kek).decrypt(_unb64(slot["nonce"]), _unb64(slot["key"]), envelope.aad)
        return AESGCM(data_key).decrypt(_unb64(envelope.header["nonce"]), envelope.ciphertext, envelope.aad)
    except InvalidTag as exc:
        raise EnvelopeError("authentication failed") from exc
    except (KeyError, ValueError, TypeError) as exc:
        raise EnvelopeError("bad key slot") from exc
