"""The HTTP face of the receiving server: the station API and the registrar's pages.

Stations authenticate with `Authorization: Bearer <token>` (issued by `add-station`);
the registrar's pages use HTTP Basic with the password printed by `init`. A browser sends Basic credentials with
any request to the server, a form posted by another site's page too: the registrar's forms are taken only from a
page of this server (same origin) and no page may be framed by another site.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote, urlsplit

from fastapi import Depends, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from station.errors import StationError
from station.i18n import Text
from station.storage.envelope import EnvelopeError, public_key_from_b64
from station.adapters.server import audit_intake, doubts, pages, references
from station.adapters.server.home import ServerContext, server_home, token_digest
from station.adapters.server.intake import STORED, UID, Refused, UploadRequest, accept, read_blob
from station.adapters.server.store import Upload
from station.adapters.server.limits import META_LIMIT, OTHER_LIMIT, ASGIApp, BodyLimit, json_object

BAD_TOKEN = Text("工作站令牌无效。", "The station token is not valid.")
REGISTRAR_ONLY = Text("请输入教务处的用户名和密码。", "The registrar's user name and password are needed.")
BAD_META_JSON = Text("上传信息不是有效的 JSON 对象。", "Upload metadata is not a JSON object.")
BAD_AUDIT = Text("审计记录不是有效的 JSON 对象。", "The audit entries are not a JSON object.")
BAD_HEALTH = Text("队列状态不是有效的 JSON 对象。", "The queue health is not a JSON object.")
BAD_REFERENCE_ASK = Text("参考照片请求须为 JSON 对象：public_key（X25519，base64）与 student_nos（学号列表）。",
                         "A reference photo request is a JSON object: public_key (X25519, base64) and student_nos "
                         "(a list of student numbers).")
REGISTRAR = "registrar"
HEALTH_COUNTS = ("waiting", "sending", "done", "failed")
HEALTH_TIMES = ("last_success_at",)
THUMBNAILS_KEPT = 2048  # a cohort's doubted photos and the ones beside them, ~5 KB each, in this process's memory
CROSS_SITE = Text("这个表单只能从本服务器的页面提交（请在身份核验页面操作）。",
                  "This form is taken only from this server's own page (use the 身份核验 page).")


def _refusal(status: int, text: Text) -> JSONResponse:
    return JSONResponse({"detail": {"zh": text.zh, "en": text.en}}, status)


def station_health(raw: dict) -> dict:
    """What the registrar's page shows of a heartbeat: known counts and times only, never a station's free text."""
    health: dict[str, object] = {}
    for name in HEALTH_COUNTS:
        value = raw.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**9:
            health[name] = value
    for name in HEALTH_TIMES:
        value = raw.get(name)
        if isinstance(value, str) and len(value) <= 64:
            health[name] = value
    if isinstance(raw.get("server_reachable"), bool):
        health["server_reachable"] = raw["server_reachable"]
    return health


REALM = "photo-station registrar"


def create_app(server: ServerContext) -> ASGIApp:
    """The FastAPI app inside the request size limits."""
    app = FastAPI(title="photo-station-server", docs_url=None, redoc_url=None, openapi_url=None)
    basic = HTTPBasic(realm=REALM, auto_error=False)  # refused below, in both languages

    @app.middleware("http")
    async def never_cached(request: Request, call_next):  # type: ignore[no-untyped-def]
        """Names, ID numbers and faces: nothing this server answers is kept in a browser's or a proxy's cache."""
        response = await call_next(request)
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("X-Frame-Options", "DENY")  # no other site frames a page to steer a click
        response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
        return response

    @app.exception_handler(StarletteHTTPException)
    async def refused_as_page(request: Request, exc: StarletteHTTPException) -> Response:
        """A registrar's wrong link, or a cancelled sign-in, is a page in Chinese (with the way on), not
        {"detail": ...}; the stations' API answers JSON."""
        if not request.url.path.startswith("/api/"):
            if exc.status_code == 404:
                return HTMLResponse(pages.not_found_page(), 404)
            if exc.status_code == 401:
                return HTMLResponse(pages.sign_in_page(), 401, headers=exc.headers)
            if exc.status_code == 405:  # a form's address opened as a page: {"detail":"Method Not Allowed"} was shown
                back = "/identity" if request.url.path.startswith("/identity/") else "/"
                return HTMLResponse(pages.form_address_page(back), 405, headers=exc.headers)
        return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)

    def station_id(request: Request) -> str:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        found = server.store.contact(token_digest(token)) if scheme.lower() == "bearer" and token else None
        if found is None:
            raise HTTPException(401, detail={"zh": BAD_TOKEN.zh, "en": BAD_TOKEN.en})
        return found

    def registrar(credentials: HTTPBasicCredentials | None = Depends(basic)) -> None:
        if credentials is None or not (secrets.compare_digest(credentials.username, REGISTRAR)
                                       and server.registrar_password_ok(credentials.password)):
            raise HTTPException(401, detail={"zh": REGISTRAR_ONLY.zh, "en": REGISTRAR_ONLY.en},
                                headers={"WWW-Authenticate": f'Basic realm="{REALM}"'})

    @app.post("/api/v1/uploads")
    def upload(meta: str = Form(...), chsi: UploadFile = File(...), original: UploadFile = File(...),
               station: str = Depends(station_id)) -> JSONResponse:
        try:
            parsed = json_object(meta, META_LIMIT)
        except ValueError:
            return _refusal(422, BAD_META_JSON)
        try:
            outcome = accept(server, station, UploadRequest(parsed, {"chsi": chsi.file.read(),
                                                                     "original": original.file.read()}), "network")
        except Refused as exc:
            return _refusal(exc.status, exc.text)
        return JSONResponse({"status": outcome}, 201 if outcome == STORED else 200)

    @app.get("/api/v1/holdings")
    def holdings(station: str = Depends(station_id)) -> dict:
        return {"station_id": station, "uids": server.store.uids_of_station(station)}

    @app.post("/api/v1/heartbeat")
    async def heartbeat(request: Request, station: str = Depends(station_id)) -> Response:
        try:
            health = station_health(json_object(await request.body(), OTHER_LIMIT))
        except ValueError:
            return _refusal(422, BAD_HEALTH)
        server.store.record_health(station, json.dumps(health))
        return JSONResponse({"ok": True})

    @app.get("/api/v1/references")
    def reference_list(station: str = Depends(station_id)) -> dict:
        """Which reference photos the server holds: student number and the photo's SHA-256."""
        return {"references": [{"student_no": h.student_no, "sha256": h.sha256} for h in references.held(server)]}

    @app.post("/api/v1/references")
    async def reference_photos(request: Request, station: str = Depends(station_id)) -> Response:
        """Up to references.BATCH photos, each sealed for the key the station sent with this request."""
        try:
            raw = json_object(await request.body(), OTHER_LIMIT)
            wanted, key = raw.get("student_nos"), raw.get("public_key")
            if not (isinstance(wanted, list) and all(isinstance(n, str) for n in wanted) and isinstance(key, str)):
                raise ValueError("shape")
            public_key_from_b64(key)
        except (ValueError, StationError):
            return _refusal(422, BAD_REFERENCE_ASK)
        photos = await run_in_threadpool(lambda: list(references.sealed_for_station(server, wanted, key)))
        return JSONResponse({"references": photos})

    @app.get("/api/v1/audit/head")
    def audit_head(station: str = Depends(station_id)) -> dict:
        seq, sha256 = audit_intake.head(server.store, station)
        return {"seq": seq, "sha256": sha256}

    @app.post("/api/v1/audit")
    async def audit(request: Request, station: str = Depends(station_id)) -> Response:
        """The station's audit entries the server does not hold yet, continuing its chain."""
        try:
            raw = json_object(await request.body(), OTHER_LIMIT)
        except ValueError:
            return _refusal(422, BAD_AUDIT)
        try:
            return JSONResponse({"seq": audit_intake.accept_audit(server.store, station, raw)})
        except Refused as exc:
            return _refusal(exc.status, exc.text)

    @app.get("/", response_class=HTMLResponse, dependencies=[Depends(registrar)])
    def overview() -> str:
        return pages.overview_page(pages.school_state(server.store), len(doubts.open_doubts(server.store)),
                                   str(server.home))

    # :path, so a class named 2021级/软件1班 (its "/" sent as %2F, which the router sees decoded) has its page too
    @app.get("/classes/{class_name:path}", response_class=HTMLResponse, dependencies=[Depends(registrar)])
    def class_page(class_name: str) -> Response:
        state = pages.school_state(server.store)
        if class_name not in state.classes:
            # typed by hand with a trailing slash (/classes/计算机2101/): its page, not the 404 that says the class
            # may have left the roster (s32 registrar review); a class whose own name ends in / matched above
            if class_name.endswith("/") and class_name.rstrip("/") in state.classes:
                return RedirectResponse(f"/classes/{quote(class_name.rstrip('/'), safe='')}", 307)
            raise HTTPException(404)
        return HTMLResponse(pages.class_page(state.classes[class_name], doubts.open_doubts(server.store).keys(),
                                             server.store.confirmations().keys()))

    @app.get("/identity", response_class=HTMLResponse, dependencies=[Depends(registrar)])
    def identity() -> str:
        return pages.identity_page(server.store, lambda student_no: references.holds(server, student_no))

    async def registrar_form(request: Request, record: Callable[[dict[str, str]], None]) -> Response:
        """A form posted from the identity page: refused from another site's page; done, back to the page."""
        if not _same_origin(request):
            return HTMLResponse(pages.refused_page(CROSS_SITE.zh), 403)
        form = await request.form()
        fields = {name: value for name, value in form.items() if isinstance(value, str)}
        try:
            await run_in_threadpool(record, fields)
        except Refused as exc:
            return HTMLResponse(pages.refused_page(exc.text.zh), exc.status)
        return RedirectResponse("/identity", 303)  # a reload does not post it again

    @app.post("/identity/{uid}/confirm", dependencies=[Depends(registrar)])
    async def confirm_identity(request: Request, uid: str) -> Response:
        """确认是本人: the registrar looked, and it is the student (the photo is exported from now on)."""
        return await registrar_form(request, lambda fields: doubts.confirm(
            server.store, uid, fields.get("confirmed_by", ""), fields.get("note", "")))

    @app.post("/identity/{uid}/undo", dependencies=[Depends(registrar)])
    async def undo_confirmation(request: Request, uid: str) -> Response:
        """撤销: a mistaken confirmation withdrawn; the photo is held back again."""
        return await registrar_form(request, lambda fields: doubts.undo(
            server.store, uid, fields.get("withdrawn_by", "")))

    @lru_cache(THUMBNAILS_KEPT)
    def capture_thumbnail(upload: Upload) -> bytes | None:
        """Kept per capture (a photo never changes under its uid and digest): a page of hundreds of doubts is
        looked at again and again, and each thumbnail is a decryption and a scaling. A file that cannot be read
        raises, and is not kept: it is read again next time (a disk's passing trouble, a file put back)."""
        return pages.thumbnail(read_blob(server, upload, "chsi"))

    @app.get("/photos/{uid}.jpg", dependencies=[Depends(registrar)])
    def photo(uid: str) -> Response:
        """A capture's thumbnail for the registrar's pages (biometric: never cached by the browser)."""
        upload = server.store.get_upload(uid) if UID.match(uid) else None
        try:
            small = capture_thumbnail(upload) if upload is not None else None
        except (EnvelopeError, OSError):
            small = None
        if small is None:
            raise HTTPException(404)
        return Response(small, media_type="image/jpeg", headers={"Cache-Control": "no-store"})

    @lru_cache(THUMBNAILS_KEPT)
    def reference_thumbnail_of(student_no: str, imported: int) -> bytes | None:
        """Kept until reference photos are imported again (`imported`: the folder's stamp)."""
        photo = references.held_photo(server, student_no)
        return pages.thumbnail(photo) if photo is not None else None

    @app.get("/references/{student_no}.jpg", dependencies=[Depends(registrar)])
    def reference_thumbnail(student_no: str) -> Response:
        """A reference photo's thumbnail, beside a capture whose face is that student's (never cached)."""
        small = reference_thumbnail_of(student_no, references.folder_stamp(server.home))
        if small is None:
            raise HTTPException(404)
        return Response(small, media_type="image/jpeg", headers={"Cache-Control": "no-store"})

    @app.get("/missing", response_class=HTMLResponse, dependencies=[Depends(registrar)])
    def missing_list() -> str:
        return pages.missing_page(pages.school_state(server.store))

    @app.get("/missing.{fmt}", dependencies=[Depends(registrar)])
    def missing(fmt: str, class_name: str | None = None) -> Response:
        state = pages.school_state(server.store)
        if class_name is not None and class_name not in state.classes:
            raise HTTPException(404)  # not an empty list: a class the roster lacks is a wrong link, not a done class
        rows = pages.missing_rows(state, class_name)
        if fmt == "csv":
            return Response(pages.missing_csv(rows), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": pages.missing_download(class_name, fmt)})
        if fmt == "xlsx":
            return Response(pages.missing_xlsx(rows),
                            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            headers={"Content-Disposition": pages.missing_download(class_name, fmt)})
        raise HTTPException(404)

    return BodyLimit(app)


def _same_origin(request: Request) -> bool:
    """The form comes from a page of this server: its Origin (or, from a browser that sends none, its Referer)
    names the host and port the request was sent to. A request saying neither is refused too."""
    sent_from = request.headers.get("origin") or request.headers.get("referer") or ""
    host = request.headers.get("host", "").lower()
    if sent_from in ("", "null") or not host:  # no Host: a malformed Origin's empty netloc would match it
        return False
    return urlsplit(sent_from).netloc.lower() == host


def app_from_environment() -> ASGIApp:
    """For `serve --workers N`: each worker process opens the server folder named in its environment."""
    return create_app(ServerContext(server_home()))
