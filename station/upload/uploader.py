"""The uploader: a background thread that drains the outbox to the receiving server.

Each job is verified before it leaves (digest recorded at save time, then a full
authenticated decryption with the station key), so a damaged file is reported and
never uploaded. What is sent is the server-only copy of each envelope. An unreachable
server does not use up a job's attempts: the worker backs off (capped, jittered) and
the queue drains by itself when the server is back. A periodic reconciliation asks the
server what it holds and re-queues anything it lost.
"""

from __future__ import annotations

import hashlib
import json
import logging
import ssl
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
import sqlite_utils

from station.audit.trail import entries as audit_entries
from station.storage.captures import StoredCapture, stored_capture
from station.db import open_db
from station.i18n import Text
from station.localtime import Clock, system_clock
from station.paths import database_path
from station.upload.limits import DUPLICATE, STORED, UPLOAD_LIMIT
from station.storage.envelope import EnvelopeError, open_with_station_key, server_copy
from station.storage.station_key import StationKey
from station.storage.server_link import ServerLink, load_link
from station.pinning import pinned_context
from station.storage import outbox
from station.storage.outbox import Job, RetryPolicy, utc_now
from station.watcher import Watcher

UNREACHABLE = Text("无法连接服务器：{detail}。照片在本机排队，恢复后自动上传；请检查网络，或请管理员确认服务器在运行。",
                   "The server cannot be reached: {detail}. The photos wait here and go up by themselves when it is "
                   "back; check the network, or ask the registrar whether the server is running.")
# what broke, in words the photographer can act on (the library's own words go to the log file)
REFUSED_CONNECTION = Text("网络不通，或服务器没有在运行", "no network, or the server is not running")
TIMED_OUT = Text("服务器长时间没有应答", "the server did not answer in time")
CUT_OFF = Text("连接中途断开（服务器可能已停止或重启）", "the connection broke off (the server may have stopped or restarted)")
NETWORK_FAILED = Text("网络出错", "a network error")
SERVER_FAILED = Text("服务器出错（HTTP {code}）", "the server failed (HTTP {code})")
NOT_THE_SERVER = Text("该地址的应答不是接收服务器的（请向管理员核对服务器地址）",
                      "what answers at this address is not the receiving server (check the address with the registrar)")
AUDIT_REFUSED = Text("服务器拒绝了本机的操作记录：{detail}照片上传不受影响；请联系管理员核对本机的操作记录。",
                     "The server refused this station's audit log: {detail} Photo uploads are not affected; ask the "
                     "registrar to look at this station's log.")
WRONG_CERTIFICATE = Text("服务器证书与设置的指纹不符：可能是另一台机器在此地址应答，或服务器已重新初始化。令牌未发送，照片在本机排队；"
                         "请向管理员核对证书指纹。",
                         "The server's certificate does not match the pinned fingerprint: another machine may be answering "
                         "at this address, or the server was set up again. The token was not sent; photos wait here. "
                         "Check the fingerprint with the registrar.")
TOO_LARGE = Text("照片文件超过服务器的上传上限（{mb} MB），无法上传：请用 U 盘导出或联系管理员。",
                 "The photo's files exceed the server's upload limit ({mb} MB) and cannot be uploaded: export them to "
                 "a USB stick or contact the registrar.")
UPLOAD_OVERHEAD = 64 * 2**10  # the form's metadata and part headers
NOT_LINKED = Text("尚未配置服务器地址或令牌，照片在本机排队。", "No server URL or token is set; photos wait here.")
REFUSED = Text("服务器拒绝了上传（{code}）：{detail}", "The server refused the upload ({code}): {detail}")
SERVER_ERROR = Text("服务器出错（{code}）{detail}，照片仍在本机排队，稍后重试。",
                    "Server error ({code}){detail}; the photo stays queued here and is tried again.")
NOT_HELD = Text("该地址的应答不是接收服务器的确认（{code}：{detail}），照片仍在本机排队，稍后重试；请向管理员核对服务器地址。",
                "The answer at this address is not the receiving server's receipt ({code}: {detail}); the photo stays "
                "queued here and is tried again. Check the server address with the registrar.")
TOKEN_REFUSED = Text("服务器不认这台工作站的令牌（可能复制时少了或错了字符，或管理员已重新生成）：请向管理员要一行新的设置。",
                     "The server does not accept this station's token (a character lost or changed in copying, or the "
                     "registrar made a new one): ask the registrar for a new settings line.")
PROBE_TIMEOUT_S = 8.0  # the window waits this long at most for the server's answer to a link just pasted
MISSING_RECORD = Text("登记记录缺失，无法上传。", "The capture record is missing; cannot upload.")
AUTH_HEADER = "Authorization"
AUDIT_BATCH = 50  # entries per request: well inside the server's limit for requests other than photos
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UploadSettings:
    policy: RetryPolicy = RetryPolicy()
    reconcile_every: float = 120.0  # seconds between "what do you hold?" checks (also the registrar's health view)
    idle_wait: float = 5.0  # how often an idle worker looks for new jobs (save() also wakes it)
    timeout: float = 30.0  # one HTTP request


def auth_headers(token: str) -> dict[str, str]:
    return {AUTH_HEADER: f"Bearer {token}"}


def verified_server_copies(stored: StoredCapture, key: StationKey) -> dict[str, bytes]:
    """The server-only copy of each file, after checking it is exactly what save() wrote."""
    copies = {}
    for kind, path in stored.files.items():
        try:
            blob = path.read_bytes()
        except FileNotFoundError as exc:
            raise EnvelopeError("file missing") from exc
        if hashlib.sha256(blob).hexdigest() != stored.sha256[kind]:
            raise EnvelopeError("digest differs from the one recorded at save time")
        open_with_station_key(blob, key.key)
        copies[kind] = server_copy(blob)
    return copies


def upload_meta(stored: StoredCapture, files: dict[str, bytes]) -> dict[str, object]:
    """What travels with the files, online or on a USB stick; the server checks it against the sealed metadata."""
    version = stored.version
    return {"uid": version.uid, "student_no": version.student_no, "version": version.version,
            "captured_at": version.captured_at, "station_id": version.station_id, "operator": version.operator,
            "reason": version.reason, "override_reason": version.override_reason, "identity": stored.identity,
            "sha256": {kind: hashlib.sha256(data).hexdigest() for kind, data in files.items()}}


def _held(response: httpx.Response) -> bool:
    """Whether the answer is the server's receipt for the photo: {"status": "stored" | "duplicate"}."""
    try:
        return response.json().get("status") in (STORED, DUPLICATE)
    except (ValueError, AttributeError):
        return False


def _answer(response: httpx.Response, key: str, kind: type) -> object:
    """`key` of the server's JSON object, of type `kind`. An error status raises httpx's error; a proxy's page, a
    list or a value of another type is a ValueError like JSON that does not parse, so a stranger answering at the
    address is "no answer", never a traceback."""
    response.raise_for_status()
    body = response.json()
    value = body.get(key) if isinstance(body, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ValueError(f"not the receiving server's answer ({key}): {response.text[:80]!r}")
    return value


def transport_problem(exc: httpx.TransportError) -> Text:
    """What a failed connection means for the photographer (never the exception's class name)."""
    if isinstance(exc, httpx.ConnectError):
        return REFUSED_CONNECTION
    if isinstance(exc, httpx.TimeoutException):
        return TIMED_OUT
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return CUT_OFF
    return NETWORK_FAILED


def _refusal_detail(response: httpx.Response) -> Text:
    try:
        detail = response.json().get("detail")
        return Text(detail["zh"], detail["en"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return Text(response.text[:200], response.text[:200])


def probe(link: ServerLink, timeout: float = PROBE_TIMEOUT_S) -> Text | None:
    """Whether the receiving server at `link` answers this station, asked as the queue's reconciliation asks it (the
    window's 上传 → 连接服务器…, once the line is saved): None when it does, else why not, in the queue's own words.
    The status bar said only 服务器未连接 whatever the cause, and a wrong token nothing at all until a photo failed."""
    problem = link.upload_problem
    if not link.can_upload or problem is not None:
        return problem or NOT_LINKED
    try:
        with client_for(link, timeout) as client:
            _answer(client.get("/api/v1/holdings"), "uids", list)
    except httpx.TransportError as exc:
        logger.warning("server link tried: not reached: %r (cause: %r)", exc, exc.__cause__ or exc.__context__)
        return _not_reached(exc)
    except (httpx.HTTPStatusError, ValueError, KeyError) as exc:
        logger.warning("server link tried: no answer from the receiving server: %s", exc)
        return _not_answered(exc) or UNREACHABLE.format(detail=NOT_THE_SERVER)
    return None


def _not_reached(exc: httpx.TransportError) -> Text:
    """Why the server's address gave no answer, in the queue's words (the library's go to the log)."""
    return WRONG_CERTIFICATE if wrong_certificate(exc) else UNREACHABLE.format(detail=transport_problem(exc))


def _not_answered(exc: httpx.HTTPStatusError | ValueError | KeyError) -> Text | None:
    """Why an answer at the server's address is not the receiving server's for this station: a stranger's answer,
    this station's token refused, the server failing; None for another refusal (said where the job fails)."""
    if not isinstance(exc, httpx.HTTPStatusError):
        return UNREACHABLE.format(detail=NOT_THE_SERVER)
    code = exc.response.status_code
    if code in (401, 403):  # no upload can succeed, and the bar stayed green until a photo failed (s32 first-day walk)
        return TOKEN_REFUSED
    if code >= 500:  # the server failing, or a proxy whose server behind it is gone
        return UNREACHABLE.format(detail=SERVER_FAILED.format(code=code))
    return None


class Uploader(Watcher):
    """Drains the outbox. With start(), it owns its database connection on its own thread:
    other threads then call only wake() and stop(). Without start(),
    drain() and reconcile() run on the caller's thread (CLI, tests, benchmark)."""

    def __init__(self, home: Path, key: StationKey, settings: UploadSettings = UploadSettings(),
                 clock: Clock = system_clock) -> None:
        super().__init__("uploader")
        self.home = home
        self.key = key
        self.settings = settings
        self.clock = clock  # the same clock the capture times came from
        self._wake = threading.Event()
        self._offline_streak = 0
        self._next_reconcile = 0.0
        self._link_seen: ServerLink | None = None  # the server link as the worker last found it
        self._db: sqlite_utils.Database | None = None
        self.audit_problem: Text | None = None  # the server's refusal of the audit log at the last reconciliation

    # --- lifecycle --------------------------------------------------------------
    def stop(self, timeout: float = 10.0) -> None:
        """Wakes the worker from its rest (up to five minutes of backoff) and gives an upload under way more time to end
        than other watchers get; a job cut off stays `sending` and goes back to pending at the next start."""
        self._stop.set()
        self._wake.set()
        super().stop(timeout)

    def wake(self) -> None:
        """Call after a save so the new photo goes up now, not at the next poll."""
        self._wake.set()

    def _run(self) -> None:
        self._db = open_db(database_path(self.home))
        try:
            outbox.recover_interrupted(self._db)
            while not self._stop.is_set():
                try:
                    reachable = self.drain()
                    if reachable and time.monotonic() >= self._next_reconcile:
                        self.reconcile()
                except Exception as exc:  # noqa: BLE001 - the worker must outlive any one bad moment
                    self._offline_streak += 1
                    logger.exception("upload worker: %s", exc)
                self._wake.wait(self._pause())
                self._wake.clear()
        finally:
            self._db.close()
            self._db = None

    def _pause(self) -> float:
        if self._offline_streak:
            return self.settings.policy.delay(self._offline_streak)
        return self.settings.idle_wait

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:  # used without the thread (CLI, tests): a connection of our own
            self._db = open_db(database_path(self.home))
            outbox.recover_interrupted(self._db)
        return self._db

    # --- work -------------------------------------------------------------------
    def drain(self) -> bool:
        """Send every due job; stop early when the server cannot be reached. Returns reachability."""
        link = load_link(self.db)
        if link != self._link_seen:
            # a link saved since (pasted in the window, or server-config): asked now, not at the next reconciliation
            # two minutes on; with nothing to send, a mistyped fingerprint or address was not said until then
            self._link_seen, self._next_reconcile = link, 0.0
        if not link.can_upload:
            outbox.record_status(self.db, error_zh=NOT_LINKED.zh, error_en=NOT_LINKED.en)
            return False
        problem = link.upload_problem  # an old or plain-http URL, no pinned certificate: the token stays here
        if problem is not None:
            outbox.record_status(self.db, error_zh=problem.zh, error_en=problem.en)
            return False
        with client_for(link, self.settings.timeout) as client:
            while not self._stop.is_set():
                sent = self.send_next(client)
                if sent is None:
                    return True
                if not sent:
                    return False
        return True

    def send_next(self, client: httpx.Client) -> bool | None:
        """Claim and send one due job: None when nothing is due, False when the server is unreachable."""
        job = outbox.claim(self.db)
        return None if job is None else self._send(client, job)

    def _send(self, client: httpx.Client, job: Job) -> bool:
        db = self.db
        stored = stored_capture(db, self.home, job.capture_uid)
        if stored is None:
            outbox.fail(db, job, MISSING_RECORD)
            return True
        try:
            files = verified_server_copies(stored, self.key)
        except EnvelopeError as exc:
            outbox.fail(db, job, exc.text)
            return True
        if sum(len(data) for data in files.values()) > UPLOAD_LIMIT - UPLOAD_OVERHEAD:  # the server's 413 would come
            outbox.fail(db, job, TOO_LARGE.format(mb=UPLOAD_LIMIT // 2**20))  # as a broken pipe, and retry forever
            return True
        # The station's clock at sending: the server compares it with its own to correct captured_at, so a
        # laptop with a wrong clock or time zone cannot make an older photo look like the newest retake.
        meta = {**upload_meta(stored, files), "sent_at": self.clock().isoformat(timespec="milliseconds")}
        try:
            response = client.post("/api/v1/uploads", data={"meta": json.dumps(meta)},
                                   files={kind: (f"{stored.version.uid}.{kind}.pse", data) for kind, data in files.items()})
        except httpx.TransportError as exc:
            self._went_offline(job, exc)
            return False
        if response.status_code in (200, 201) and _held(response):
            self._reached()
            outbox.mark_done(db, job)
            logger.info("uploaded %s", job.capture_uid)
        elif response.status_code in (200, 201):  # something else answers at the address: not sent, try again
            logger.warning("upload of %s answered %d without a receipt: %r", job.capture_uid, response.status_code,
                           response.text[:200])
            error = NOT_HELD.format(code=response.status_code, detail=response.text[:80])
            outbox.reschedule(db, job, error, self.settings.policy)
            outbox.record_status(db, server_reachable="0", error_zh=error.zh, error_en=error.en)
        elif 400 <= response.status_code < 500 and response.status_code not in (408, 429):
            self._reached()
            detail, code = _refusal_detail(response), response.status_code
            logger.warning("upload of %s refused (%d): %s", job.capture_uid, code, detail.en)
            outbox.fail(db, job, Text(REFUSED.zh.format(code=code, detail=detail.zh),
                                      REFUSED.en.format(code=code, detail=detail.en)))
        else:
            detail = _refusal_detail(response) if response.status_code == 507 else Text("", "")  # its disk is full
            error = SERVER_ERROR.format(code=response.status_code, detail=Text(detail.zh and f"：{detail.zh}",
                                                                               detail.en and f": {detail.en}"))
            outbox.reschedule(db, job, error, self.settings.policy)
            outbox.record_status(db, error_zh=error.zh, error_en=error.en)
        return True

    def _went_offline(self, job: Job | None, exc: httpx.TransportError) -> None:
        """The server was not reached: the job (if one was being sent) waits without spending an attempt, and the
        queue says why in words; the library's own words go to the log file."""
        logger.warning("server not reached: %r (cause: %r)", exc, exc.__cause__ or exc.__context__)
        error = _not_reached(exc)
        if job is not None:
            outbox.release(self.db, job, error, time.time())
        self._unreachable(error)

    def _unreachable(self, error: Text) -> None:
        self._offline_streak += 1
        outbox.record_status(self.db, server_reachable="0", error_zh=error.zh, error_en=error.en)

    def _reached(self) -> None:
        if self._offline_streak or outbox.get_status(self.db).get("server_reachable") != "1":
            outbox.record_status(self.db, server_reachable="1", error_zh="", error_en="")
        self._offline_streak = 0
        outbox.record_status(self.db, last_contact_at=utc_now())

    def reconcile(self) -> int:
        """Ask the server which of our uploads it holds; re-queue what it lacks. Returns how many."""
        self._next_reconcile = time.monotonic() + self.settings.reconcile_every
        link = load_link(self.db)
        if not link.can_upload or link.upload_problem is not None:
            return 0
        try:
            with client_for(link, self.settings.timeout) as client:
                response = client.get("/api/v1/holdings")
                held = {uid for uid in _answer(response, "uids", list) if isinstance(uid, str)}
                self._reached()  # the receiving server itself answered: reachable, whatever the queue holds
                requeued = outbox.requeue(self.db, [u for u in outbox.done_uids(self.db) if u not in held])
                client.post("/api/v1/heartbeat", json=outbox.queue_health(self.db).to_json())
                self._send_audit(client)
        except httpx.TransportError as exc:  # stopped, unplugged, another machine at the address
            self._went_offline(None, exc)
            return 0
        except (httpx.HTTPStatusError, ValueError, KeyError) as exc:
            logger.warning("reconciliation: no answer from the receiving server: %s", exc)
            error = _not_answered(exc)
            if error is not None:
                self._unreachable(error)
            return 0
        except httpx.HTTPError:
            return 0
        if requeued:
            self.wake()
        return requeued


    def _send_audit(self, client: httpx.Client) -> None:
        """The audit log follows the photos: the entries the server does not hold yet, in order, in batches.
        A server that refuses them (409: the log here no longer continues its copy) is logged and asked again at
        the next reconciliation; its copy stays as it was. A failure here never holds up the photos' own work."""
        try:
            self._send_audit_entries(client)
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            logger.warning("audit log not sent: %s", exc)

    def _send_audit_entries(self, client: httpx.Client) -> None:
        self.audit_problem = None
        response = client.get("/api/v1/audit/head")
        held = _answer(response, "seq", int)
        while batch := audit_entries(self.db, after=held, limit=AUDIT_BATCH):
            response = client.post("/api/v1/audit", json={"entries": [asdict(e) for e in batch]})
            if response.status_code == 409:
                logger.warning("the server refused the audit log after entry %d: %s", held, response.text[:300])
                self.audit_problem = AUDIT_REFUSED.format(detail=_refusal_detail(response))
                break
            held = _answer(response, "seq", int)


def wrong_certificate(exc: BaseException | None) -> bool:
    """Whether a transport error is the pin refusing the server (httpx wraps the ssl error in its own)."""
    while exc is not None:
        if isinstance(exc, ssl.SSLCertVerificationError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def client_for(link: ServerLink, timeout: float) -> httpx.Client:
    """A client that speaks only to the server whose certificate the link pins (call after upload_problem is None);
    no proxy from the environment, so the handshake is with the server itself."""
    return httpx.Client(base_url=link.url, headers=auth_headers(link.token), timeout=timeout, trust_env=False,
                        verify=pinned_context(link.cert_sha256))
