"""The receiving server holds the reference photos and hands them to each station (issue 21, item 2): the registrar
imports them on the server with the station's checks, they lie sealed at rest, and a station fetches the ones it
lacks, sealed for its request, and imports them through the same checks as `roster photos`. A real server on
127.0.0.1, the demo's real reference photos."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from pathlib import Path

import cv2
import httpx
import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from station.adapters.demo import DEMO_DIR
from station.adapters.server import cli as server_cli
from station.adapters.server.home import ENV_KEY_PASSPHRASE, PUBLIC_KEY_FILE, ServerContext, init_server
from station.adapters.server.references import import_references
from station.audit.trail import entries as audit_entries
from station.errors import StationError
from station.identity.embedder import FaceEmbedder
from station.identity.reference_store import reference_embedding, reference_photo
from station.pinning import pinned_context
from station.storage.captures import CaptureStore
from station.storage.envelope import EnvelopeError, open_with_server_key, public_key_to_b64
from station.upload.references import fetch_references
from station.upload.uploader import Uploader
from tests.cli import SCRIPT
from tests.upload.kit import PASSPHRASE, LiveServer, add_students, linked_station, station_key

REFERENCES = Path(__file__).resolve().parents[2] / "assets" / "demo_references"
LIN, ZHAO, NOBODY = "2021010101", "2021010104", "2021010105"


@pytest.fixture(scope="module")
def embedder() -> FaceEmbedder:
    return FaceEmbedder()


@pytest.fixture
def server(tmp_path: Path):
    password = init_server(tmp_path / "srv").registrar_password
    live = LiveServer(ServerContext(tmp_path / "srv"))
    live.password = password
    live.start()
    live.context.store.upsert_students([{"student_no": no, "name": f"学生{no}", "class_name": "计科2101"}
                                        for no in (LIN, ZHAO, NOBODY)])
    yield live
    live.stop()


def _photos(folder: Path) -> Path:
    folder.mkdir()
    for no in (LIN, ZHAO):
        shutil.copy(REFERENCES / f"{no}.jpg", folder / f"{no}.jpg")
    (folder / f"{NOBODY}.jpg").write_bytes((REFERENCES / f"{LIN}.jpg").read_bytes()[:300])  # cut short: unreadable
    shutil.copy(REFERENCES / f"{LIN}.jpg", folder / "2099000001.jpg")  # nobody on the roster
    return folder


def test_the_registrar_imports_photos_on_the_server_and_a_station_fetches_the_ones_it_lacks(
        server, tmp_path, embedder, capsys) -> None:
    folder = _photos(tmp_path / "photos")
    home = tmp_path / "srv"
    assert server_cli.main(["import-references", str(folder), "--home", str(home), "--lang", "en"]) == 0
    said = capsys.readouterr().out
    assert "added 2" in said and "refused 2" in said and "2099000001.jpg" in said, said

    stored = sorted((home / "references").glob("*.pse"))
    assert len(stored) == 4  # each photo and its face's embedding
    for path in stored:  # sealed at rest: neither the picture nor the student number in the clear
        blob = path.read_bytes()
        assert LIN not in path.name and ZHAO not in path.name
        assert (REFERENCES / f"{LIN}.jpg").read_bytes()[600:700] not in blob
    assert server_cli.main(["import-references", str(folder), "--home", str(home), "--json"]) == 0
    assert '"unchanged": 2' in capsys.readouterr().out

    station = linked_station(tmp_path / "S01", server.context, server.url, server.context.add_station("S01"), "S01")
    add_students(station, "计科2101", [LIN, NOBODY])  # this station's roster lacks 2021010104
    key = station_key(tmp_path / "S01").key
    told: list[tuple[int, int | None]] = []
    report = fetch_references(station, key, embedder, progress=lambda n, total: told.append((n, total)))
    assert (report.imported, report.unchanged) == (1, 0)
    assert told == [(1, 2), (2, 2)]  # the server's two photos this station lacks, counted before the first is read
    assert [(r.file, r.code) for r in report.rejected] == [(f"{ZHAO}.jpg", "no_student")]
    assert reference_photo(station, LIN, key) == (REFERENCES / f"{LIN}.jpg").read_bytes()
    assert reference_embedding(station.db, LIN, key) is not None

    again = fetch_references(station, key, embedder)  # only what the station lacks is fetched
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 1)
    assert [(e.detail["source"], e.detail["imported"], e.detail["unchanged"]) for e in audit_entries(station.db)
            if e.action == "references"] == [("server", 1, 0), ("server", 0, 1)]
    station.close()


def test_a_server_that_does_not_answer_or_refuses_is_said_in_words_the_photographer_can_act_on(server, tmp_path,
                                                                                              embedder) -> None:
    down = linked_station(tmp_path / "S05", server.context, "https://127.0.0.1:9", "token", "S05")  # nothing listens
    wrong = linked_station(tmp_path / "S06", server.context, server.url, "not-the-token", "S06")
    said = []
    for station, home in ((down, "S05"), (wrong, "S06")):
        with pytest.raises(StationError) as refused:
            fetch_references(station, station_key(tmp_path / home).key, embedder, timeout=5)
        said.append(refused.value.text)
        assert "fetch_references" not in refused.value.text.en and "Errno" not in refused.value.text.zh
        station.close()
    assert said[0].zh.startswith("无法从服务器取得参考照片：服务器没有应答（网络不通，或服务器没有在运行）")
    assert "Error" not in said[0].en and "no network, or the server is not running" in said[0].en
    assert said[1].zh == "无法从服务器取得参考照片：服务器拒绝了请求（HTTP 401），请向管理员核对令牌"
    assert "HTTP 401" in said[1].en and "check the token" in said[1].en


def test_photos_leave_the_server_sealed_for_the_asking_request_alone(server, tmp_path, embedder) -> None:
    import_references(server.context, _photos(tmp_path / "photos"), embedder=embedder)
    token = server.context.add_station("S02")
    asking = X25519PrivateKey.generate()
    with server.client(token) as client:
        listed = client.get("/api/v1/references").json()["references"]
        assert sorted(r["student_no"] for r in listed) == [LIN, ZHAO]
        answer = client.post("/api/v1/references", json={"public_key": public_key_to_b64(asking.public_key()),
                                                         "student_nos": [ZHAO, NOBODY]})
        assert client.post("/api/v1/references", json={"public_key": "not a key", "student_nos": []}).status_code == 422
    (item,) = answer.json()["references"]
    blob = base64.b64decode(item["photo"])
    meta, photo = open_with_server_key(blob, asking)
    assert meta["student_no"] == ZHAO and photo == (REFERENCES / f"{ZHAO}.jpg").read_bytes()
    for other in (server.context.private_key, X25519PrivateKey.generate()):
        with pytest.raises(EnvelopeError):
            open_with_server_key(blob, other)
    with server.client() as anyone:
        assert anyone.get("/api/v1/references").status_code == 401


def test_photo_station_roster_photos_from_server(server, tmp_path, embedder) -> None:
    import_references(server.context, _photos(tmp_path / "photos"), embedder=embedder)
    station = linked_station(tmp_path / "S03", server.context, server.url, server.context.add_station("S03"), "S03")
    add_students(station, "计科2101", [LIN, ZHAO])
    station.close()
    env = {**os.environ, "PHOTO_STATION_PASSPHRASE": PASSPHRASE}
    command = [str(SCRIPT), "roster", "photos", "--json", "--home", str(tmp_path / "S03")]
    result = subprocess.run([*command, "--from-server"], capture_output=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout) == {"imported": 2, "updated": 0, "unchanged": 0, "rejected": []}
    neither = subprocess.run(command, capture_output=True, timeout=120, env=env)
    assert neither.returncode == 2 and json.loads(neither.stdout)["error"] == "unreadable_photos"


def test_the_server_finds_a_capture_whose_face_is_another_students_reference_photo(server, tmp_path, embedder,
                                                                                   pipeline) -> None:
    """林晓雯 stands at the camera with 赵雨桐's code: the server, holding both reference photos, lists the capture
    with 林晓雯's reference photo beside it. Her own capture afterwards matches that capture better than her own
    reference photo: the rule names the capture then."""
    import_references(server.context, _photos(tmp_path / "photos"), embedder=embedder)
    station = linked_station(tmp_path / "S04", server.context, server.url, server.context.add_station("S04"), "S04")
    add_students(station, "计科2101", [LIN, ZHAO])
    key = station_key(tmp_path / "S04")
    her_face = pipeline.process(cv2.imread(str(DEMO_DIR / "kiosk" / "01_good.jpg"))).jpeg
    swapped = CaptureStore(station, key).save(ZHAO, her_face, b"o", operator="op")
    Uploader(station.home, key).drain()
    hers = CaptureStore(station, key).save(LIN, her_face, b"o", operator="op")
    Uploader(station.home, key).drain()
    faces = {f.uid: f for f in server.context.store.faces()}
    assert (faces[swapped.uid].suspect_student_no, faces[swapped.uid].suspect_uid) == (LIN, "")
    assert faces[swapped.uid].score > 0.5
    assert (faces[hers.uid].suspect_student_no, faces[hers.uid].suspect_uid) == (ZHAO, swapped.uid)
    with httpx.Client(base_url=server.url, auth=("registrar", server.password),
                      verify=pinned_context(server.context.cert_sha256)) as client:
        suspects = client.get("/identity").text.split("服务器比对")[1]
        row = suspects.split(f"/photos/{swapped.uid}.jpg")[1].split("</tr>")[0]
        assert f"/references/{LIN}.jpg" in row and f"（{LIN}）的学籍照片为同一人" in row
        thumb = client.get(f"/references/{LIN}.jpg")
        assert thumb.headers["content-type"] == "image/jpeg" and thumb.headers["cache-control"] == "no-store"
        assert cv2.imdecode(np.frombuffer(thumb.content, np.uint8), cv2.IMREAD_COLOR) is not None
        assert client.get(f"/references/{NOBODY}.jpg").status_code == 404
    with server.client() as anyone:
        assert anyone.get(f"/references/{LIN}.jpg").status_code == 401
    station.close()


def test_import_references_seals_for_the_public_key_file_without_the_key_passphrase(tmp_path, monkeypatch,
                                                                                    capsys) -> None:
    """The registrar imports the photos without PHOTO_STATION_SERVER_KEY_PASSPHRASE: sealing needs the server's
    public key only, read from server_public_key.txt. A public key file that does not belong to the private key is
    said wherever the private key is opened, before anything more is sealed for it."""
    home = tmp_path / "srv"
    monkeypatch.setenv(ENV_KEY_PASSPHRASE, "registrar secret")
    init_server(home)
    ServerContext(home).store.upsert_students([{"student_no": LIN, "name": "林晓雯", "class_name": "计科2101"}])
    folder = tmp_path / "photos"
    folder.mkdir()
    shutil.copy(REFERENCES / f"{LIN}.jpg", folder / f"{LIN}.jpg")
    monkeypatch.delenv(ENV_KEY_PASSPHRASE)
    assert server_cli.main(["import-references", str(folder), "--home", str(home), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["imported"] == 1
    with pytest.raises(StationError):  # the private key itself stays locked without it
        ServerContext(home).private_key

    monkeypatch.setenv(ENV_KEY_PASSPHRASE, "registrar secret")
    private = ServerContext(home).private_key
    for path in (home / "references").glob("*.pse"):
        meta, _ = open_with_server_key(path.read_bytes(), private)
        assert meta["student_no"] == LIN
    (home / PUBLIC_KEY_FILE).write_text(public_key_to_b64(X25519PrivateKey.generate().public_key()) + "\n")
    with pytest.raises(StationError) as mismatch:
        ServerContext(home).private_key
    assert "server_public_key.txt" in mismatch.value.text.en


def test_reference_photos_before_the_roster_are_refused_with_the_step_that_comes_first(tmp_path, capsys) -> None:
    """On a server without a roster (import-references run first, or on a second server folder by mistake) each
    photo was refused as 文件名不是名单中任何学生的学号或证件号: the file names were right, the roster missing, and
    nothing said so (s32 registrar walk)."""
    home = tmp_path / "srv"
    init_server(home)
    folder = _photos(tmp_path / "photos")
    assert server_cli.main(["import-references", str(folder), "--home", str(home)]) == 2
    said = capsys.readouterr()
    assert "这台服务器还没有导入名单" in said.err and "photo-station-server import-roster" in said.err, said
    assert "文件名不是名单中任何学生" not in said.out + said.err
    assert not list((home / "references").glob("*.pse"))


def test_a_station_without_a_server_is_told_how_to_set_one_up(tmp_path) -> None:
    """Not the uploader's "photos wait here", which spoke of uploads, not of the reference photos asked for (s33
    English walk: 名单 → 从服务器获取参考照片 on a station not yet connected)."""
    from station.context import Station

    station = Station.open(tmp_path / "S07", "en")
    try:
        with pytest.raises(StationError) as refused:
            fetch_references(station, bytes(32))
    finally:
        station.close()
    said = refused.value.text
    assert "wait" not in said.en and "排队" not in said.zh
    assert "reference photos" in said.en and "Upload → Connect to the server…" in said.en
    assert "参考照片" in said.zh and "上传 → 连接服务器…" in said.zh
