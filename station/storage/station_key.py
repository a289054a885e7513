"""The station key: opens the station's own copies of its captures for review.

Where it lives, chosen once when the station is first set up and recorded (without
the key) in `station_key.json` in the data home:
- "keyring": a random 256-bit key in the OS credential store (Windows Credential
  Manager, macOS Keychain, Secret Service). Preferred: nothing secret is on disk.
- "passphrase": where no keyring backend exists (a headless Linux box, a locked-down
  kiosk account), the key is derived from an operator passphrase with scrypt; the
  file holds only the salt, the cost parameters and a check value that tells a wrong
  passphrase from a damaged file. The passphrase comes from the caller (the UI asks
  the operator) or from $PHOTO_STATION_PASSPHRASE for unattended runs.
The key is never written beside the data in plain text.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from station.errors import StationError
from station.i18n import Text
from station.storage.atomic import write_atomic

ENV_PASSPHRASE = "PHOTO_STATION_PASSPHRASE"
KEYRING_SERVICE = "photo-station"
_CHECK = b"photo-station station key check"
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**15, 8, 1

NEED_PASSPHRASE = Text(
    "本机没有可用的系统密钥库，请输入工作站口令以解锁工作站密钥（或设置环境变量 PHOTO_STATION_PASSPHRASE）。",
    "No OS keyring is available: enter the station passphrase to unlock the station key "
    "(or set PHOTO_STATION_PASSPHRASE).",
)
WRONG_PASSPHRASE = Text("工作站口令不正确。", "The station passphrase is wrong.")
KEYRING_LOST = Text(  # the usual cause: the station was started under another Windows account
    "系统密钥库中找不到工作站密钥：本机已保存的照片既不能查看也不能上传。请用第一次使用本工作站时的系统账户登录后再启动；"
    "照片文件仍在数据目录中，没有丢失。",
    "The station key is missing from the OS keyring: the photos saved here can be neither shown nor uploaded. "
    "Log in with the OS account that first used this station and start it again; the photo files are still in "
    "the data folder, nothing is lost.",
)
KEY_FILE_DAMAGED = Text(
    "工作站密钥记录 {path} 已损坏，无法解锁本机保存的照片。请从备份恢复这个文件，不要删除它（删除后本机已拍的照片将无法查看"
    "和上传）；照片文件本身没有丢失。",
    "The station key record {path} is damaged, so the photos saved here cannot be opened. Restore this file from "
    "a backup and do not delete it (without it the photos taken here can be neither shown nor uploaded); the "
    "photo files themselves are not lost.",
)
MISMATCH = Text("两次输入的口令不一致，请重新输入。", "The two passphrases differ: type them again.")
SHORT_PASSPHRASE = Text("工作站口令至少需要 8 个字符。", "The station passphrase needs at least 8 characters.")


MIN_PASSPHRASE = 8


class PassphraseNeed(Enum):
    """What the operator must type before the station opens."""

    NONE = "none"  # the OS keyring holds (or will hold) the key
    SET = "set"  # first use on a machine without a keyring: choose one, typed twice
    UNLOCK = "unlock"  # the key was made from a passphrase: type it


def passphrase_need(home: Path) -> PassphraseNeed:
    if _keyring_backed(home):
        return PassphraseNeed.NONE
    return PassphraseNeed.UNLOCK if key_file(home).exists() else PassphraseNeed.SET


def passphrase_problem(passphrase: str) -> Text | None:
    """Why a new passphrase cannot be used; the dialog asks before the slow key derivation."""
    return SHORT_PASSPHRASE if len(passphrase) < MIN_PASSPHRASE else None


@dataclass(frozen=True)
class StationKey:
    key: bytes
    method: str  # "keyring" or "passphrase"


def key_file(home: Path) -> Path:
    return home / "station_key.json"


def unlock_station_key(home: Path, passphrase: str | None = None,
                       ask: Callable[[Text], str] | None = None) -> StationKey:
    """Open the station key, creating it on first use with the best method this machine has.

    `ask` is how to get a passphrase from the operator when one is needed and none was
    given (a dialog in the UI, getpass on the command line).
    """
    passphrase = passphrase or os.environ.get(ENV_PASSPHRASE) or None
    if passphrase is None and ask is not None and not _keyring_backed(home):
        passphrase = ask(NEED_PASSPHRASE) or None
    path = key_file(home)
    if not path.exists():
        return _create(home, passphrase)
    record = _read_record(path)
    if record["method"] == "keyring":
        stored = _keyring_get(record["account"])
        if stored is None:
            raise StationError(KEYRING_LOST)
        return StationKey(base64.b64decode(stored), "keyring")
    if passphrase is None:
        raise StationError(NEED_PASSPHRASE)
    try:
        key = _derive(passphrase, record)
        AESGCM(key).decrypt(base64.b64decode(record["check_nonce"]), base64.b64decode(record["check"]), None)
    except InvalidTag as exc:
        raise StationError(WRONG_PASSPHRASE) from exc
    except (ValueError, MemoryError, OverflowError) as exc:  # bad base64, nonce or scrypt costs: the record
        raise StationError(KEY_FILE_DAMAGED.format(path=path)) from exc
    return StationKey(key, "passphrase")


def _keyring_backed(home: Path) -> bool:
    """Whether this station's key is (or, on first use, will be) in the OS keyring."""
    path = key_file(home)
    if path.exists():
        return _read_record(path)["method"] == "keyring"
    return _usable_keyring() is not None


_FIELDS = {"keyring": {"account": str},
           "passphrase": {"salt": str, "n": int, "r": int, "p": int, "check_nonce": str, "check": str}}


def _read_record(path: Path) -> dict:
    """station_key.json as written by _create, or a StationError naming it (truncated, edited, not a file)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        fields = _FIELDS[record["method"]]
        if all(isinstance(record[name], kind) for name, kind in fields.items()):
            return record
    except (OSError, ValueError, TypeError, KeyError):
        pass
    raise StationError(KEY_FILE_DAMAGED.format(path=path))


def _create(home: Path, passphrase: str | None) -> StationKey:
    account = f"station-key-{secrets.token_hex(8)}"
    key = AESGCM.generate_key(bit_length=256)
    if passphrase is None and _keyring_set(account, base64.b64encode(key).decode()):
        write_atomic(key_file(home), json.dumps({"method": "keyring", "account": account}).encode())
        return StationKey(key, "keyring")
    if passphrase is None:
        raise StationError(NEED_PASSPHRASE)
    problem = passphrase_problem(passphrase)
    if problem is not None:
        raise StationError(problem)
    record: dict[str, object] = {"method": "passphrase", "kdf": "scrypt", "salt": base64.b64encode(os.urandom(16)).decode(),
                                 "n": _SCRYPT_N, "r": _SCRYPT_R, "p": _SCRYPT_P}
    key = _derive(passphrase, record)
    nonce = os.urandom(12)
    record["check_nonce"] = base64.b64encode(nonce).decode()
    record["check"] = base64.b64encode(AESGCM(key).encrypt(nonce, _CHECK, None)).decode()
    write_atomic(key_file(home), json.dumps(record).encode())
    return StationKey(key, "passphrase")


def _derive(passphrase: str, record: dict) -> bytes:
    kdf = Scrypt(salt=base64.b64decode(record["salt"]), length=32, n=record["n"], r=record["r"], p=record["p"])
    # surrogateescape: a passphrase from an environment that is not UTF-8 still gives the same bytes each time
    return kdf.derive(passphrase.encode("utf-8", "surrogateescape"))


def _usable_keyring():
    """The OS keyring, or None where only the 'fail' / null backends exist (headless Linux CI)."""
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    return keyring


def _keyring_set(account: str, value: str) -> bool:
    from keyring.errors import KeyringError

    ring = _usable_keyring()
    if ring is None:
        return False
    try:
        ring.set_password(KEYRING_SERVICE, account, value)
        return ring.get_password(KEYRING_SERVICE, account) == value
    except KeyringError:
        return False


def _keyring_get(account: str) -> str | None:
    from keyring.errors import KeyringError

    ring = _usable_keyring()
    if ring is None:
        return None
    try:
        return ring.get_password(KEYRING_SERVICE, account)
    except KeyringError:
        return None
