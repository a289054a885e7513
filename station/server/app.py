"""The HTTP face of the receiving server: the station API and the registrar's pages.

Stations authenticate with `Authorization: Bearer <token>` (issued by `add-station`);
the registrar's pages use HTTP Basic with the password printed by `init`.
"""

from __future__ import annotations

import json
import secrets

from fastapi import Depends, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from station.i18n import Text
from station.server import pages
from station.server.home import ServerContext, token_digest
from station.server.intake import STORED, Refused, UploadRequest, accept

BAD_TOKEN = Text("工作站令牌无效。", "The station token is not valid.")
REGISTRAR = "registrar"


def create_app(server: ServerContext) -> FastAPI:
    app = FastAPI(title="photo-station-server", docs_url=None, redoc_url=None, openapi_url=None)
    basic = HTTPBasic(realm="photo-station registrar")

    def station_id(request: Request) -> str:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        found = server.store.station_for_token(token_digest(token)) if scheme.lower() == "bearer" and token else None
        if found is None:
            raise HTTPException(401, detail={"zh": BAD_TOKEN.zh, "en": BAD_TOKEN.en})
        return found

    def registrar(credentials: HTTPBasicCredentials = Depends(basic)) -> None:
        if not (secrets.compare_digest(credentials.username, REGISTRAR)
                and server.registrar_password_ok(credentials.password)):
            raise HTTPException(401, headers={"WWW-Authenticate": "Basic"})

    @app.post("/api/v1/uploads")
    def upload(meta: str = Form(...), chsi: UploadFile = File(...), original: UploadFile = File(...),
               station: str = Depends(station_id)) -> JSONResponse:
        try:
            parsed = json.loads(meta)
            if not isinstance(parsed, dict):
                raise ValueError("meta")
            outcome = accept(server, station, UploadRequest(parsed, {"chsi": chsi.file.read(),
                                                                     "original": original.file.read()}), "network")
        except ValueError:
            return JSONResponse({"detail": {"zh": "上传信息不是有效的 JSON。", "en": "Upload metadata is not JSON."}}, 422)
        except Refused as exc:
            return JSONResponse({"detail": {"zh": exc.text.zh, "en": exc.text.en}}, exc.status)
        return JSONResponse({"status": outcome}, 201 if outcome == STORED else 200)

    @app.get("/api/v1/holdings")
    def holdings(station: str = Depends(station_id)) -> dict:
        return {"station_id": station, "uids": server.store.uids_of_station(station)}

    @app.post("/api/v1/heartbeat")
    async def heartbeat(request: Request, station: str = Depends(station_id)) -> dict:
        health = await request.json()
        server.store.record_health(station, json.dumps(health if isinstance(health, dict) else {}))
        return {"ok": True}

    @app.get("/", response_class=HTMLResponse, dependencies=[Depends(registrar)])
    def overview() -> str:
        return pages.overview_page(pages.school_state(server.store))

    @app.get("/classes/{class_name}", response_class=HTMLResponse, dependencies=[Depends(registrar)])
    def class_page(class_name: str) -> str:
        state = pages.school_state(server.store)
        if class_name not in state.classes:
            raise HTTPException(404)
        return pages.class_page(state.classes[class_name])

    @app.get("/missing.{fmt}", dependencies=[Depends(registrar)])
    def missing(fmt: str, class_name: str | None = None) -> Response:
        state = pages.school_state(server.store)
        rows = pages.missing_rows(state, class_name)
        if fmt == "csv":
            return Response(pages.missing_csv(rows), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="missing.csv"'})
        if fmt == "xlsx":
            return Response(pages.missing_xlsx(rows),
                            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            headers={"Content-Disposition": 'attachment; filename="missing.xlsx"'})
        raise HTTPException(404)

    return app
