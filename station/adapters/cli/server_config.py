"""`photo-station server-config`: this station's link to the receiving server (shown with no options)."""

from __future__ import annotations

import argparse
import codecs
from pathlib import Path

from station.adapters.cli.output import print_json
from station.audit.trail import AuditTrail, default_operator
from station.context import Station
from station.errors import StationError, os_reason
from station.i18n import Text
from station.localtime import local_time
from station.storage.envelope import public_key_from_b64
from station.storage.server_link import load_link
from station.upload.link_line import relink, stranded_by

BAD_PUBLIC_KEY = Text(
    "“{value}”既不是有效的服务器公钥（base64 编码的 X25519 公钥），也不是可读取的公钥文件（{reason}）。"
    "请使用 photo-station-server init 打印的公钥或 server_public_key.txt 文件。",
    "'{value}' is neither a valid server public key (base64 X25519) nor a readable key file ({reason}). "
    "Use the key printed by photo-station-server init, or its server_public_key.txt file.",
)
NO_SUCH_FILE = Text("没有这个文件", "no such file")
NOT_A_FILE = Text("不是普通文件", "not a regular file")
NOT_A_KEY_FILE = Text("文件内容不是公钥", "the file does not hold a key")
SAVED = Text("已保存服务器连接设置。", "The server link is saved.")
LABELS = {"station_id": Text("工作站编号", "Station id"), "url": Text("服务器地址", "Server URL"),
          "token": Text("令牌", "Token"), "public_key": Text("服务器公钥", "Server public key"),
          "server_cert_sha256": Text("服务器证书指纹（SHA-256）", "Server certificate (SHA-256)"),
          "updated_at": Text("最后修改", "Last changed")}
NOT_SET = Text("未设置", "not set")
TOKEN_SET = Text("已设置", "set")
LINE = Text("{label}：{value}", "{label}: {value}")
READY = Text("设置完整：照片会加密后上传到这台服务器。", "Complete: photos are encrypted and uploaded to this server.")
INCOMPLETE = Text("设置不完整：请运行学校管理员给出的 photo-station server-config 命令（由 photo-station-server add-station 打印）。",
                  "Incomplete: run the photo-station server-config line the registrar gives you "
                  "(printed by photo-station-server add-station).")
STRANDS = Text("没有更改：本机还有 {n} 张照片在等待上传，它们是为现在连接的服务器加密的，新的服务器无法打开（更换之后再导出到U盘也一样）。"
               "请先让它们上传完（photo-station queue --send），或先导出（photo-station export --to U盘）交给现在这台服务器的"
               "管理员，再更换服务器；仍要现在更换，请加上 --force 再运行。",
               "Nothing changed: {n:photo is|photos are} waiting to upload, sealed for the server linked now. The new "
               "server cannot open what was sealed for another (nor a USB package made after the change). Let the queue "
               "upload first (photo-station queue --send), or export it (photo-station export --to STICK) for this "
               "server's registrar, then change servers; to change now anyway, run this again with --force.")
MAX_KEY_FILE = 4096  # server_public_key.txt is 45 bytes; more is some other file


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("server-config", parents=[common],
                              help="set or show the server URL, station id, token and server public key")
    p.add_argument("--station-id", default=None,
                   help="工作站编号，如 S01（由 add-station 发放） / the station's id, e.g. S01 (issued by add-station)")
    p.add_argument("--url", default=None,
                   help="服务器地址，如 https://192.168.1.10:8420 / the server's address, e.g. "
                        "https://192.168.1.10:8420")
    p.add_argument("--token", default=None,
                   help="令牌，由 photo-station-server add-station 打印 / from `photo-station-server add-station`")
    p.add_argument("--public-key", default=None,
                   help="服务器公钥（base64），或保存公钥的文件（server_public_key.txt） / the server public key "
                        "(base64) or a file holding it (server_public_key.txt)")
    p.add_argument("--server-cert-sha256", default=None,
                   help="服务器 TLS 证书的 SHA-256 指纹（由 add-station 打印） / the SHA-256 fingerprint of the "
                        "server's TLS certificate (printed by add-station)")
    p.add_argument("--force", action="store_true",
                   help="改连另一台服务器，即使还有为这一台加密、等待上传的照片 / change to another server even "
                        "though photos waiting to upload are sealed for this one")
    p.add_argument("--json", action="store_true",
                   help="以一个 JSON 对象输出连接设置 / print the link as one JSON object")
    p.set_defaults(func=_server_config)


def _server_config(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    public_key = _public_key(args.public_key) if args.public_key else args.public_key
    changes = {"station_id": args.station_id, "url": args.url, "token": args.token, "public_key": public_key,
               "cert_sha256": args.server_cert_sha256}
    given = {k: v for k, v in changes.items() if v is not None}
    changed = bool(given)
    stranded = stranded_by(station.db, public_key) if public_key else 0
    if stranded and not args.force:
        raise StationError(STRANDS.format(n=stranded), exit_code=1, code="photos_waiting")
    link = relink(AuditTrail(station, default_operator(station)), given) if changed else load_link(station.db)
    shown = {"station_id": link.station_id, "url": link.url, "token": "set" if link.token else "",
             "public_key": link.public_key, "server_cert_sha256": link.cert_sha256, "updated_at": link.updated_at}
    if args.json:
        print_json(shown)
        return 0
    lang = station.lang
    if changed:
        print(SAVED.get(lang))
    shown["token"] = TOKEN_SET.get(lang) if link.token else ""  # the token itself is never printed
    shown["updated_at"] = local_time(link.updated_at) if link.updated_at else ""  # as the laptop's clock reads
    for key, label in LABELS.items():
        print(LINE.format(label=label.get(lang), value=shown[key] or NOT_SET.get(lang)).get(lang))
    problem = link.upload_problem if link.can_upload else None
    print((problem or (READY if link.can_upload else INCOMPLETE)).get(lang))
    return 0


def _public_key(value: str) -> str:
    """The key itself, or the key held in the file it names; tried as a key first, as a key is no file name."""
    if _is_key(value):
        return value
    path = Path(value)
    try:
        if not path.is_file():  # a folder, a device or a pipe (which would block) is no key file
            raise _bad_key(value, NOT_A_FILE if path.exists() else NO_SUCH_FILE)
        with path.open("rb") as handle:
            data = handle.read(MAX_KEY_FILE + 1)
    except (OSError, ValueError) as exc:  # a name too long, no permission
        raise _bad_key(value, os_reason(exc) if isinstance(exc, OSError) else NO_SUCH_FILE) from exc
    text = _decode(data) if len(data) <= MAX_KEY_FILE else None
    if text is None or not _is_key(text):
        raise _bad_key(value, NOT_A_KEY_FILE)
    return text.strip()


def _decode(data: bytes) -> str | None:
    """UTF-8, or UTF-16 with its byte-order mark (Windows Notepad's "Unicode"); None for anything else."""
    encoding = "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _is_key(text: str) -> bool:
    try:
        public_key_from_b64(text)
    except StationError:
        return False
    return True


def _bad_key(value: str, reason: Text) -> StationError:
    shown = value if len(value) <= 60 else value[:60] + "…"
    return StationError(BAD_PUBLIC_KEY.format(value=shown, reason=reason))
