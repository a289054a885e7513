"""What the receiving server checks at the door: identifiers, file names, sizes, malformed and deep JSON."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from station.storage.captures import CaptureStore
from station.adapters.server.chsi_export import export_chsi
from station.adapters.server.limits import UPLOAD_LIMIT
from station.adapters.server.pages import overview_page, school_state
from station.adapters.server.safe_names import safe_stem
from station.upload.uploader import Uploader
from tests.server import crafted
from tests.server.test_chsi_export import _jpeg

TRAVERSALS = ["../../name", "/etc/name", "a/b", "..\\..\\name", "C:\\name", "name\x00", "..", "学号1", "\ud800", ""]


@pytest.fixture
def token(server):
    return server.context.add_station("D01", "门口")


@pytest.mark.parametrize("student_no", TRAVERSALS)
def test_a_student_number_outside_the_roster_rules_is_refused_and_nothing_is_kept(server, token, student_no):
    with server.client(token) as client:
        answer = client.post("/api/v1/uploads", **crafted.upload_args("D01", student_no))
    assert answer.status_code == 422
    assert "student" in answer.json()["detail"]["en"]
    assert server.context.store.uploads() == [] and crafted.stored_files(server.context.blobs_dir) == []


def test_safe_file_names_refuse_both_separators_drives_and_devices():
    for bad in [*TRAVERSALS, "CON", "a.b", "nul", "com1", "x" * 65, "a b"]:
        assert not safe_stem(bad), bad
    for good in ["20210001", "11010120020514108X", "G1234567", "abc_def-1", "CONSOLE"]:
        assert safe_stem(good), good


@pytest.mark.parametrize("name_by", ["student_no", "id_number"])
def test_export_never_writes_outside_its_folder_whatever_the_names(station, key, server, tmp_path, name_by):
    store = CaptureStore(station, key)
    store.save("20200001", _jpeg((480, 640)), b"o", operator="op")
    store.save("20200002", _jpeg((480, 640)), b"o", operator="op")
    Uploader(station.home, key).drain()
    evil = {"20200001": ("../../evil", "..\\..\\evil"), "20200002": ("C:\\evil", "/tmp/evil")}
    with server.context.store.transaction() as cur:  # what no door lets in, as if an older server had kept it
        for number, (new_number, _) in evil.items():
            server.context.store.run(cur, "UPDATE uploads SET student_no = ? WHERE student_no = ?", [new_number, number])
    server.context.store.upsert_students([{"student_no": no, "name": "x", "class_name": "c", "id_number": id_no}
                                          for no, id_no in evil.values()])
    target = tmp_path / "deep" / "er" / "out"
    report = export_chsi(server.context, target, name_by)
    assert report.written == 0
    assert [p for p in (tmp_path / "deep").rglob("*") if p.is_file()] == [target / "index.csv"]
    assert not list(tmp_path.rglob("*evil*")) and not Path("/tmp/evil.jpg").exists()
    assert all("cannot be a file name" in text.en for _, text in report.problems)


def test_an_upload_over_the_limit_is_refused_before_its_body_is_sent(server, token):
    head = (f"POST /api/v1/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {50 * 2**20}\r\n\r\n")
    with server.raw_socket() as sock:
        sock.sendall(head.encode())
        assert sock.recv(4096).startswith(b"HTTP/1.1 413")


def test_a_chunked_upload_is_cut_off_at_the_limit(server, token):
    """Without a declared length the body is counted as it comes: at the limit the server answers 413 and closes
    (a client still sending may see the close, a reset, before it reads the answer)."""
    head = (f"POST /api/v1/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: multipart/form-data; boundary=x\r\nTransfer-Encoding: chunked\r\n\r\n")
    part = b'--x\r\nContent-Disposition: form-data; name="original"; filename="o"\r\n\r\n'
    size = 2**18
    chunk = b"%x\r\n%s\r\n" % (size, b"a" * size)
    sent, answer = 0, b""
    with server.raw_socket() as sock:
        try:
            sock.sendall(head.encode() + b"%x\r\n%s\r\n" % (len(part), part))
            while sent <= 2 * UPLOAD_LIMIT:  # until the server closes on us
                sock.sendall(chunk)
                sent += size
        except (ConnectionResetError, BrokenPipeError, ssl.SSLError):
            pass
        try:
            answer = sock.recv(4096)
        except (OSError, ssl.SSLError):
            pass
    assert UPLOAD_LIMIT - size <= sent <= UPLOAD_LIMIT + 16 * 2**20  # socket buffers hold what it did not read
    assert answer in (b"",) or answer.startswith(b"HTTP/1.1 413")
    assert server.context.store.uploads() == []
    with server.client(token) as client:
        assert client.get("/api/v1/holdings").status_code == 200


@pytest.mark.parametrize("meta_text", [crafted.deep_json(100_000), "{" * 5000, "[1, 2]", "not json", "\"x\""])
def test_malformed_or_deep_metadata_is_a_422(server, token, meta_text):
    with server.client(token) as client:
        answer = client.post("/api/v1/uploads", **crafted.multipart(meta_text, crafted.files()))
    assert answer.status_code == 422 and answer.json()["detail"]["zh"]


@pytest.mark.parametrize("body", [b"{", crafted.deep_json(100_000).encode(), b"\xff\xfe\x00", b"[]", b""])
def test_a_malformed_heartbeat_is_a_4xx(server, token, body):
    with server.client(token) as client:
        assert 400 <= client.post("/api/v1/heartbeat", content=body).status_code < 500


def test_a_heartbeat_keeps_only_counts_and_times(server, token):
    with server.client(token) as client:
        sent = {"waiting": "<script>alert(1)</script>", "failed": 2, "last_success_at": "2026-12-05T01:00:00+00:00",
                "note": "x" * 1000}
        assert client.post("/api/v1/heartbeat", json=sent).status_code == 200
    page = overview_page(school_state(server.context.store), 0, "")
    assert "<script>" not in page and "x" * 1000 not in page


def test_the_registrar_page_shows_a_station_s_last_contact_after_an_upload(station, key, server):
    CaptureStore(station, key).save("20200001", _jpeg((480, 640)), b"o", operator="op")
    Uploader(station.home, key).drain()  # an upload, no heartbeat
    (sid, _, seen, _), = server.context.store.stations()
    assert sid == "S01" and seen is not None
    row = overview_page(school_state(server.context.store), 0, "").split("<td>S01</td>")[1].split("</tr>")[0]
    assert "—" not in row.split("</td>")[1]
