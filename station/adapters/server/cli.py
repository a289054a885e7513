"""`photo-station-server`: the registrar's receiving server.

  init                 create the key pair, the TLS certificate, the registrar password and the metadata store
  add-station ID       issue a station's token (printed once, with the command to run on the station)
  new-password         a new registrar password, for one that was lost
  serve                run the HTTPS server (station API + registrar pages)
  import-roster FILE   load the school's roster file (same importer and rules as the stations)
  import-references PATH  reference photos (folder or zip), checked as on a station, kept sealed, handed to stations
  import FOLDER...     import USB packages written by `photo-station export`
  export-chsi --to DIR the CHSI hand-over batch: 480x640 JPEGs named by ID number
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import re
import shlex
import socket
import sys
from pathlib import Path

from station.adapters.cli import ChineseFirstParser, folder_argument, path_argument, whole_number
from station.adapters.cli import matching_paths
from station.adapters.cli.output import print_json, replace_what_the_console_cannot_show
from station.errors import StationError
from station.i18n import LANGS, Text, default_lang
from station.paths import exists, is_dir
from station.adapters.server.home import ENV_SERVER_HOME, SchoolCertificate, ServerContext, init_server, server_home
from station.adapters.server.tls import browser_note

DEFAULT_PORT = 8420
SHUTDOWN_WAIT = 5  # seconds open requests get to finish when the server is stopped
BAD_PORT = Text("端口必须是 1–65535 之间的整数：{value}", "the port must be a whole number from 1 to 65535: {value}")
BAD_WORKERS = Text("进程数必须是 1–64 之间的整数：{value}", "the number of workers must be a whole number from 1 to 64: {value}")
CERT_WITHOUT_KEY = Text("--cert 和 --key 须一起给出。", "--cert and --key go together.")
PAGE_AT = Text("登记页面：{urls}", "Registrar page: {urls}")
SIGN_IN = Text("登录：用户名 registrar，密码为 init 时打印的密码（忘记了：photo-station-server new-password）。",
               "Sign in as 'registrar' with the password printed by init (lost: photo-station-server new-password).")
NEW_PASSWORD = Text("登记页面的新密码（用户名 registrar）：{password}\n立即生效（正在运行的 serve 无需重启），旧密码随之作废。",
                    "The registrar page's new password (user registrar): {password}\nIt works at once (a running serve "
                    "needs no restart), and the old one no longer opens the pages.")
PLAIN_HTTP_NOTE = Text("注意：以明文 HTTP 提供服务，仅限在提供 HTTPS 的反向代理之后使用。",
                       "Note: serving plain HTTP, only for use behind a reverse proxy that speaks HTTPS.")
EXPORTED = Text("已导出 {count} 张照片到 {folder}。报送学信网的是其中的照片（*.jpg）；index.csv 是这一批的清单"
                "（学号、姓名、班级、文件名、拍摄时间、身份核验），供教务处核对留档，不必一起上传。",
                "Exported {count:photo|photos} to {folder}. What goes to CHSI is the photos (*.jpg); index.csv lists this "
                "batch (student number, name, class, file, time taken, identity check) for the registrar's records, "
                "not for upload.")
NOTHING_EXPORTED = Text("没有导出任何照片：{folder} 里只有一份空的 index.csv（只有表头），不必报送。",
                        "No photo was exported: {folder} holds only an empty index.csv (headings alone), not for CHSI.")
NOTED = Text("以下 {count} 名学生需要注意（未导出的写明了原因）：", "{count:student|students} to look at (why, where not exported):")
PORT_IN_USE = Text("端口 {port} 已被占用：接收服务器可能已在另一个窗口运行（那样登记页面照常可以打开），或被别的程序占用。"
                   "请关掉那一个，或用 --port 换一个端口（工作站的服务器地址也要随之修改）。",
                   "Port {port} is in use: the receiving server may be running already in another window (then its "
                   "page opens as it is), or another program holds it. Stop that one, or choose another --port (and "
                   "change the stations' server address with it).")
# WSAEACCES on Windows: a port in a range Hyper-V, WSL or Docker reserved (netsh int ipv4 show excludedportrange
# protocol=tcp), or held exclusively by another program; EACCES on Linux: below 1024 for a user who is not root
PORT_NOT_ALLOWED = Text("端口 {port} 不能使用：系统不允许本程序在这个端口上监听（Windows 可能把它留给了 Hyper-V、WSL 或 Docker，"
                        "或另一个程序独占了它；Linux 上 1024 以下的端口只有管理员能用）。请用 --port 换一个端口"
                        "（工作站的服务器地址也要随之修改）。",
                        "Port {port} cannot be used: the system does not let this program listen on it (Windows may keep "
                        "it for Hyper-V, WSL or Docker, or another program holds it for itself; on Linux a port below "
                        "1024 is for administrators). Choose another --port (and change the stations' server address "
                        "with it).")
# EADDRNOTAVAIL (WSAEADDRNOTAVAIL, 10049, on Windows): an address another machine has, or this one had (a laptop moved
# to another network, DHCP gave it a new address since the stations were set up)
HOST_NOT_HERE = Text("地址 {host} 不是本机的地址，服务器无法在上面监听（本机的地址可能已经变了，如换了网络或路由器重新分配了地址）。"
                     "请去掉 --host（默认 0.0.0.0：本机所有网卡），或换成本机现在的地址（Windows 上用 ipconfig 查看，"
                     "Linux 上用 ip addr；工作站的服务器地址也要随之修改）。",
                     "{host} is not an address of this machine, so the server cannot listen on it (this machine's "
                     "address may have changed: another network, or the router handed out a new one). Leave out "
                     "--host (default 0.0.0.0: every interface), or give this machine's address now (ipconfig on "
                     "Windows, ip addr on Linux; and change the stations' server address with it).")
POWERSHELL_LINES = Text("  （以上命令行写给 PowerShell（Windows 终端默认用它）：单引号里的 $ 原样保留。在 cmd 中请把两个单引号 ' "
                        "换成双引号 \"。）",
                        "  (These lines are for PowerShell, the Windows terminal's default: the single quotes keep the "
                        "$ as it is. In cmd, put double quotes \" in place of the two single quotes '.)")
# a bare "审计日志 / audit log: 38" was a number nobody could read (s32 registrar walk)
AUDIT_HELD = Text("审计日志：已接上，服务器现有工作站 {station} 的操作记录 {count} 条。",
                  "Audit log: continued; the server holds {count:entry|entries} of station {station}'s log.")
AUDIT_NONE = Text("审计日志：服务器还没有工作站 {station} 的操作记录（导出包中也没有）。",
                  "Audit log: the server holds none of station {station}'s log (and the package had none).")
AUDIT_REFUSED = Text("审计日志未保存（照片照常导入）：{reason}", "Audit log not kept (the photos are in regardless): {reason}")
PACKAGE_REFUSED = Text("{folder}：整个导出包被拒绝：{reason}", "{folder}: the whole package was refused: {reason}")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS keeps a sub-command's unset option from overwriting the same option given before it;
    # no set_defaults for them: the parent's actions are shared with every sub-parser.
    common.add_argument("--home", default=argparse.SUPPRESS,
                        help="服务器文件夹（默认：环境变量 PHOTO_STATION_SERVER_HOME 所指的文件夹，或本用户的数据文件夹） / "
                             "server folder (default: $PHOTO_STATION_SERVER_HOME or the per-user data dir)")
    common.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS,
                        help="提示语言：zh 中文（默认）或 en 英文 / language of messages: zh (default) or en")
    parser = ChineseFirstParser(prog="photo-station-server", description="毕业生图像接收服务器 / receiving server",
                                     parents=[common])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("init", parents=[common],
                       help="创建服务器的密钥、TLS 证书、登记页面密码和数据库 / create the server's keys, TLS "
                            "certificate, registrar password and store",
                       description="只需运行一次：打印登记页面的密码和证书指纹，以及下一步要运行的命令。"
                                   " / Once: prints the registrar page's password, the certificate's fingerprint "
                                   "and the commands to run next.")
    p.add_argument("--db-url", default=None, help="PostgreSQL 数据库地址（默认：服务器文件夹里的 SQLite） / "
                                                  "PostgreSQL URL for the metadata (default: SQLite in the folder)")
    p.add_argument("--cert", type=path_argument, default=None,
                   help="学校自己的 TLS 证书（PEM；默认生成自签名证书） / the school's TLS certificate (PEM; "
                        "default: self-signed)")
    p.add_argument("--key", type=path_argument, default=None,
                   help="--cert 的私钥（PEM，不加密） / the private key of --cert (PEM, not encrypted)")
    p.set_defaults(func=_init)
    p = sub.add_parser("add-station", parents=[common],
                       help="为一台工作站发放令牌 / issue a token for a station",
                       description="每台工作站电脑一个编号；打印一行 photo-station server-config …，在那台电脑上粘贴或运行。"
                                   " / One id per station computer; prints a photo-station server-config … line to "
                                   "paste or run on that computer.")
    p.add_argument("station_id", help="工作站编号，如 S01（每台电脑一个） / the station's id, e.g. S01 (one per "
                                      "computer)")
    p.add_argument("--name", default="", help="名称，显示在汇总页，如 体育馆一号机 / a name shown on the overview")
    p.add_argument("--url", default=f"https://SERVER:{DEFAULT_PORT}",
                   help=f"工作站访问本服务器的地址，如 https://192.168.1.10:{DEFAULT_PORT} / the address stations "
                        "reach this server at")
    p.set_defaults(func=_add_station)
    p = sub.add_parser("new-password", parents=[common],
                       help="登记页面的新密码（忘记密码时） / a new registrar password, for one that was lost",
                       description="打印新密码，立即生效，旧密码作废。 / Prints a new password; it works at once and "
                                   "the old one no longer does.")
    p.set_defaults(func=_new_password)
    p = sub.add_parser("serve", parents=[common],
                       help="运行服务器（HTTPS）：工作站上传与登记页面 / run the server (HTTPS)",
                       description="一直运行；打印登记页面的地址、登录方法和浏览器里要核对的证书指纹。 / Keep it "
                                   "running; prints the registrar page's address, how to sign in and the "
                                   "fingerprint to check in the browser.")
    p.add_argument("--host", default="0.0.0.0",
                   help="监听的地址：0.0.0.0（默认）本机所有网卡的 IPv4 地址；127.0.0.1 只限本机；:: 本机所有网卡的 IPv6 "
                        "地址（只用 IPv6，IPv4 地址连不上） / the address to listen on: 0.0.0.0 (default) every "
                        "interface's IPv4 address; 127.0.0.1 this machine only; :: every interface's IPv6 address "
                        "(IPv6 only: IPv4 addresses do not reach it)")
    p.add_argument("--port", type=_port, default=DEFAULT_PORT,
                   help=f"端口，1–65535（默认 {DEFAULT_PORT}） / the port, 1-65535 (default {DEFAULT_PORT})")
    p.add_argument("--workers", type=_workers, default=1,
                   help="服务器进程数（多于 1 个时请用 PostgreSQL） / server processes (use PostgreSQL for more "
                        "than one)")
    p.add_argument("--plain-http", action="store_true",
                   help="以明文 HTTP 提供服务，仅限在提供 HTTPS 的反向代理之后 / serve plain HTTP, only behind a "
                        "reverse proxy that speaks HTTPS to the stations")
    p.set_defaults(func=_serve)
    p = sub.add_parser("import-roster", parents=[common],
                       help="导入学校的学生名单 / load the school's roster file",
                       description="与工作站导入的是同一份名单（xlsx 或 csv）；有问题的行逐行写明原因。 / The same "
                                   "roster the stations import (xlsx or csv); each refused row is named with why.")
    p.add_argument("file", type=path_argument, help="名单文件，如 名单.xlsx / the roster file")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象（同工作站的 roster import --json） / "
                                                       "print one JSON object (as a station's `roster import --json`)")
    p.set_defaults(func=_import_roster)
    p = sub.add_parser("import-references", parents=[common],
                       help="导入参考照片（文件夹或 zip，文件名为学号或身份证号），供工作站核验身份 / import "
                            "reference photos (folder or zip; file names are student or ID numbers) for stations",
                       description="每张照片按人脸检查（须恰好一张脸）；被拒绝的逐个写明原因。工作站用 photo-station roster "
                                   "photos --from-server 取回。 / Each photo is checked for one face; each refused "
                                   "one is named with why. Stations fetch them with `photo-station roster photos "
                                   "--from-server`.")
    p.add_argument("path", type=path_argument, help="照片文件夹或 zip 文件 / a folder of photos, or a zip")
    p.add_argument("--roster", type=path_argument, default=None,
                   help="名单文件，其“照片”列写明每名学生的照片文件名 / a roster file whose 照片 column names each "
                        "student's photo file")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象 / print one JSON object")
    p.set_defaults(func=_import_references)
    p = sub.add_parser("import", parents=[common],
                       help="导入工作站用 photo-station export 写到U盘的导出包 / import USB packages from "
                            "`photo-station export`",
                       description="同一个包导入两次不会重复保存（计为“重复”）。 / A package imported twice stores "
                                   "nothing twice (counted as duplicates).")
    p.add_argument("folders", nargs="+", type=path_argument,
                   help="导出包文件夹（photo-station-…），或包含导出包的文件夹（如U盘） / package folders, or "
                        "folders holding packages (a USB stick)")
    p.set_defaults(func=_import)
    p = sub.add_parser("export-chsi", parents=[common],
                       help="导出报送学信网的照片（480x640，按身份证号命名） / write the CHSI hand-over batch",
                       description="写出报送学信网的 JPEG 照片和清单 index.csv；身份待核对的照片暂不导出，并写明原因。 / "
                                   "Writes the JPEGs for CHSI and index.csv; a photo whose identity is in doubt is "
                                   "held back, said with why.")
    p.add_argument("--to", required=True, type=folder_argument,
                   help="新的或空的文件夹 / a new or empty folder")
    p.add_argument("--name-by", choices=("id_number", "student_no"), default="id_number",
                   help="照片文件名：id_number 身份证号（默认），student_no 学号 / the photos' file names: ID number "
                        "(default) or student number")
    p.add_argument("--include-doubted", nargs="+", default=[], metavar="STUDENT_NO",
                   help="也导出这些学生在“身份核验”页面列出、尚无人确认的照片（默认暂不导出；在该页点过“确认是本人”的"
                        "照常导出） / also export these students' photos that the 身份核验 page lists and nobody "
                        "confirmed there (held back by default; one confirmed on the page with 确认是本人 is "
                        "exported anyway)")
    p.set_defaults(func=_export_chsi)
    return parser


def _port(value: str) -> int:
    """Checked here: uvicorn would fail with a traceback (OverflowError) on a port out of range."""
    return whole_number(value, 1, 65535, BAD_PORT)


def _workers(value: str) -> int:
    return whole_number(value, 1, 64, BAD_WORKERS)


def _lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or default_lang()


def _context(args: argparse.Namespace) -> ServerContext:
    """The server folder with its store opened: a database that cannot be used is reported before any work."""
    server = ServerContext(server_home(getattr(args, "home", None)))
    server.store  # opening brings the schema up to date, or refuses a newer one
    return server


def _init(args: argparse.Namespace) -> int:
    if (args.cert is None) != (args.key is None):
        raise StationError(CERT_WITHOUT_KEY)
    school = SchoolCertificate(args.cert, args.key) if args.cert else None
    result = init_server(server_home(getattr(args, "home", None)), args.db_url, school)
    # the next commands name this folder when it is not the default one: without --home they work on another,
    # empty server (s32 registrar walk: `init --home D` printed `import-roster 名单.xlsx`)
    named = _word(str(result.home)) if getattr(args, "home", None) or os.environ.get(ENV_SERVER_HOME) else ""
    home = f" --home {named}" if named else ""
    print(f"服务器目录 / server folder: {result.home}")
    print(f"服务器公钥 / server public key (已包含在为每台工作站打印的那一行里 / in the line printed for each station): "
          f"{result.public_key}")
    print(f"证书指纹 / TLS certificate SHA-256 (stations pin it): {result.cert_sha256}")
    print(f"登记页面 / registrar page: 用户名 / user registrar，密码 / password: {result.registrar_password}")
    print(f"下一步 / next: photo-station-server import-roster{home} <名单.xlsx>")
    print(f"  然后每台工作站 / then for each station: photo-station-server add-station{home} <工作站编号> "
          f"--url https://<本机地址>:{DEFAULT_PORT}")
    print(f"  然后 / then: photo-station-server serve{home}")
    if for_powershell(named):
        print(POWERSHELL_LINES.get(_lang(args)))
    return 0


# where the next lines init prints are pasted: PowerShell or cmd on Windows, a POSIX shell elsewhere
WINDOWS = os.name == "nt"
_PLAIN = re.compile(r"[\w./:\\~+-]+")  # one word as it stands, in every shell
# inside double quotes PowerShell expands $name, ${name}, $(…), $$, $? and $^ (a $ before anything else, as a hidden
# share's d$\, is kept), reads ` as an escape, and takes the typographic double quotes for its own
_POWERSHELL_DOUBLE = re.compile("\\$[\\w{($?^:]|[`\u201c\u201d\u201e]")
_POWERSHELL_SINGLE = re.compile("(['\u2018\u2019\u201a\u201b])")


def _word(text: str) -> str:
    """A path as one word on a command line, quoted when it must be: on POSIX as the shell reads it (single quotes);
    on Windows in double quotes, read alike by cmd and PowerShell, with the backslashes that end it doubled (the
    rule of CommandLineToArgvW and of Python's own argv: a backslash before the closing quote escapes it, so
    "\\\\srv\\my share\\" ran on to the end of the line); one PowerShell would expand there ($data) in its single quotes,
    said by `for_powershell`."""
    if _PLAIN.fullmatch(text) and not text.startswith("~"):
        return text
    if not WINDOWS:
        return shlex.quote(text)
    # PowerShell 5.1 puts a value with a space in double quotes as it is: "…\\" reaches the program as one "\"
    closed = text + "\\" * (len(text) - len(text.rstrip("\\")))
    if _POWERSHELL_DOUBLE.search(text):
        return "'" + _POWERSHELL_SINGLE.sub(r"\1\1", closed) + "'"
    return '"' + closed + '"'


def for_powershell(word: str) -> bool:
    """A word `_word` put in PowerShell's single quotes, which cmd does not take."""
    return WINDOWS and word.startswith("'")


def _new_password(args: argparse.Namespace) -> int:
    print(NEW_PASSWORD.format(password=_context(args).new_registrar_password()).get(_lang(args)))
    return 0


def _add_station(args: argparse.Namespace) -> int:
    server = _context(args)
    token = server.add_station(args.station_id, args.name)
    print(f"工作站 / station {args.station_id} token: {token}")
    print("在这一台工作站窗口的“上传 → 连接服务器…”中粘贴下面这一行，或在该电脑上运行它（每台电脑用自己的编号）/ "
          "paste the line below into this one station's Upload → Connect to the server…, or run it there (each "
          "computer has its own id):")
    print(f"  photo-station server-config --station-id {args.station_id} --url {args.url} "
          f"--token {token} --public-key {server.public_key} --server-cert-sha256 {server.cert_sha256}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    """Several workers are processes that each build the app from the server folder (named in the environment)."""
    import uvicorn

    from station.adapters.server.app import create_app

    server = _context(args)
    refused = _port_refused(args.host, args.port)
    if refused is not None:
        raise StationError(refused.format(port=args.port, host=args.host))
    tls: dict[str, str] = {}
    if not args.plain_http:
        cert, key = server.tls_files()
        tls = {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}
    scheme = "http" if args.plain_http else "https"
    lang = _lang(args)
    urls = "  ".join(f"{scheme}://{_url_host(host)}:{args.port}/" for host in page_hosts(args.host))
    note = PLAIN_HTTP_NOTE if args.plain_http else browser_note(server.cert_sha256)
    print(PAGE_AT.format(urls=urls).get(lang), SIGN_IN.get(lang), note.get(lang), sep="\n", flush=True)
    # A station's kept-alive connection must not hold a stopping server forever (it retries on its own).
    options = {"host": args.host, "port": args.port, "log_level": "info", "timeout_graceful_shutdown": SHUTDOWN_WAIT,
               **tls}
    if args.workers == 1:
        uvicorn.run(create_app(server), **options)
    else:
        os.environ[ENV_SERVER_HOME] = str(server.home)
        uvicorn.run("station.adapters.server.app:app_from_environment", factory=True, workers=args.workers, **options)
    return 0


def _port_refused(host: str, port: int) -> Text | None:
    """Why serve cannot listen there (None: it can), asked before the page's address is printed as if it were up:
    uvicorn would start, then stop with an English "address already in use" (a second serve, in a window left open),
    "[WinError 10013] An attempt was made to access a socket in a way forbidden by its access permissions" (a
    port Windows reserved) or "[WinError 10049] The requested address is not valid in its context" (a --host this
    machine no longer has). On Windows Python's errno.EADDRINUSE and errno.EADDRNOTAVAIL are WSAEADDRINUSE and
    WSAEADDRNOTAVAIL (CPython prefers the socket values for the socket codes), while errno.EACCES stays the C
    library's 13 and a refused bind says WSAEACCES (10013)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        if os.name != "nt":  # as uvicorn binds (a port in TIME_WAIT is free); on Windows it would share a bound port
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:  # anything else (a name that does not resolve) is uvicorn's to say
            if exc.errno == errno.EADDRINUSE:
                return PORT_IN_USE
            if exc.errno in {errno.EADDRNOTAVAIL, getattr(errno, "WSAEADDRNOTAVAIL", errno.EADDRNOTAVAIL)}:
                return HOST_NOT_HERE
            return PORT_NOT_ALLOWED if exc.errno in {errno.EACCES, getattr(errno, "WSAEACCES", errno.EACCES)} else None
    return None


def page_hosts(host: str) -> list[str]:
    """Where the registrar's browser can reach a server listening on `host`: for every interface, this machine's
    own addresses (as far as its name resolves) and then 127.0.0.1; for `::`, its IPv6 ones and then ::1, as
    asyncio listens there on IPv6 alone (its create_server sets IPV6_V6ONLY): 127.0.0.1 and the IPv4 address
    did not reach it."""
    if host == "::":
        return _own_ipv6() + ["::1"]
    if host not in ("0.0.0.0", ""):
        return [host]
    found = [_routed_address()]
    try:
        found += socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        pass
    return [a for a in dict.fromkeys(found) if a and not a.startswith("127.")] + ["127.0.0.1"]


def _own_ipv6() -> list[str]:
    """This machine's IPv6 addresses another machine can type: the routed one, then those its name resolves to; not
    ::1, nor a link-local fe80:: one (a URL would need the interface's zone, which browsers do not take)."""
    found = [_routed_address(socket.AF_INET6)]
    try:
        found += [info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET6)]
    except OSError:
        pass
    usable = []
    for address in dict.fromkeys(found):
        try:
            ip = ipaddress.IPv6Address(address.split("%")[0])
        except ValueError:
            continue
        if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.ipv4_mapped):
            usable.append(str(ip))
    return list(dict.fromkeys(usable))


def _routed_address(family: socket.AddressFamily = socket.AF_INET) -> str:
    """The address this machine sends from on its network: many laptops' names resolve only to 127.0.1.1, so
    the name alone gave the registrar nothing to type. A UDP socket's connect only picks the route: nothing is
    sent (192.0.2.1 and 2001:db8::1 are the documentation networks). Works the same on Windows."""
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect(("2001:db8::1" if family == socket.AF_INET6 else "192.0.2.1", 9))
            return probe.getsockname()[0]
    except OSError:  # no network at all (or no IPv6 route): only the loopback address is left to show
        return ""


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _import_roster(args: argparse.Namespace) -> int:
    from station.adapters.server.roster import import_server_roster

    imported = import_server_roster(_context(args), args.file)
    lang = _lang(args)
    if args.json:  # the station's report, photographed_changed included, and how many students the store took
        print_json({"stored": imported.stored, **imported.report.to_json(lang)})
        return 0
    print(f"导入 / imported {imported.stored}; 拒绝 / rejected {len(imported.report.rejected)}")
    for rejected in imported.report.rejected:
        # as the station says it: which sheet (a workbook of a sheet per class repeats row numbers) and whom
        who = "".join(f" {part}" for part in (rejected.student_no, rejected.name) if part)
        print(f"  {rejected.where().get(lang)}{who}: {rejected.reason.get(lang)}")
    for line in imported.report.summary().get(lang).splitlines()[1:]:  # the photographed whose entry changed
        print(line)
    return 0


def _import_references(args: argparse.Namespace) -> int:
    """The same report as a station's `roster photos`; stations fetch the photos with `roster photos --from-server`."""
    from station.adapters.server.references import import_references

    report = import_references(_context(args), args.path, args.roster)
    lang = _lang(args)
    if args.json:
        print_json(report.to_json(lang))
        return 0
    print(f"新增 / added {report.imported}; 更新 / updated {report.updated}; 未变 / unchanged {report.unchanged}; "
          f"拒绝 / refused {len(report.rejected)}")
    for refused in report.rejected:
        number = f" ({refused.student_no})" if refused.student_no else ""
        print(f"  {refused.shown}{number}: {refused.reason.get(lang)}")
    return 0


def _packages(folders: list[Path]) -> list[Path]:
    from station.upload.package import MANIFEST

    found = []
    for folder in matching_paths(folders):  # E:\\photo-station-* from Windows' console, unexpanded
        # a name too long or a link loop is no package, never a traceback (station.paths)
        if exists(folder / MANIFEST):
            found.append(folder)
        elif is_dir(folder):
            found += sorted(p.parent for p in folder.glob(f"*/{MANIFEST}"))
    return found


def _import(args: argparse.Namespace) -> int:
    """Every package is tried: a damaged one is named with its reason, and the good ones still go in."""
    from station.adapters.server.usb_import import import_package

    server = _context(args)
    lang = _lang(args)
    packages = _packages(args.folders)
    if not packages:
        print("没有找到导出包 / no package found", file=sys.stderr)
        return 1
    server.private_key  # a wrong passphrase is said once, not once per package
    refused = 0
    for folder in packages:
        try:
            report = import_package(server, folder)
        except StationError as exc:
            print(PACKAGE_REFUSED.format(folder=folder, reason=exc.text).get(lang), file=sys.stderr)
            refused += 1
            continue
        print(f"{folder.name}: 新增 / stored {report.stored}, 重复 / duplicate {report.duplicate}, "
              f"拒绝 / refused {len(report.refused)}")
        for uid, reason in report.refused:
            print(f"  {uid}: {reason.get(lang)}")
        refused += len(report.refused)
        said = (AUDIT_REFUSED.format(reason=report.audit_refused) if report.audit_refused is not None
                else AUDIT_HELD.format(station=report.station_id, count=report.audit_held) if report.audit_held
                else AUDIT_NONE.format(station=report.station_id))
        print(f"  {said.get(lang)}")
        refused += report.audit_refused is not None
    return 1 if refused else 0


def _export_chsi(args: argparse.Namespace) -> int:
    from station.adapters.server.chsi_export import export_chsi

    report = export_chsi(_context(args), args.to, args.name_by, frozenset(args.include_doubted))
    lang = _lang(args)
    why = report.why_none()
    print((NOTHING_EXPORTED.format(folder=args.to) if why else EXPORTED.format(count=report.written, folder=args.to))
          .get(lang))
    for reason in why:
        print(f"  {reason.get(lang)}")
    if report.problems:
        print(NOTED.format(count=len({no for no, _ in report.problems})).get(lang))
    for student_no, problem in report.problems:
        print(f"  {student_no}: {problem.get(lang)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    replace_what_the_console_cannot_show()  # a GBK console (a Chinese Windows, redirected) and a name with ✓
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except StationError as exc:
        print(exc.text.get(_lang(args)), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
