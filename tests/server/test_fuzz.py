"""Fuzz: a fixed number of malformed requests against the real server on 127.0.0.1.

Every request is answered below 500, nothing is stored, and the server still serves a good request
afterwards. Each client is seeded, so a failure can be replayed; it stops after REQUESTS requests."""

from __future__ import annotations

import json
import random
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.server import crafted

REQUESTS = 1000
CLIENTS = 4
JUNK_VALUES = [None, True, 0, -1, 2**70, 1.5, float("nan"), "", "x" * 5000, [], {}, [1, [2]], {"a": {"b": 1}},
               "../../etc/passwd", "..\\..\\x", "\ud800", "\x00", "名字", "1" * 33]
FIELDS = ["uid", "student_no", "version", "captured_at", "station_id", "operator", "reason", "override_reason",
          "sha256", "sent_at"]


def _meta_text(rng: random.Random, meta: dict) -> str:
    choice = rng.randrange(10)
    if choice == 0:
        return crafted.deep_json(rng.choice([500, 5000, 100_000]))
    if choice == 1:
        text = json.dumps(meta)
        return text[:rng.randrange(len(text))]  # truncated
    if choice == 2:
        return rng.choice(["null", "[]", "1", '"s"', "{", "}", "NaN", "{\"a\":}", ""])
    mutated = dict(meta)
    for _ in range(rng.randint(1, 3)):
        field = rng.choice(FIELDS)
        if rng.random() < 0.3:
            mutated.pop(field, None)
        else:
            mutated[field] = rng.choice(JUNK_VALUES)
    return json.dumps(mutated, allow_nan=True)


def _upload(rng: random.Random, client: httpx.Client, station_id: str) -> httpx.Response:
    blobs = crafted.files(rng.choice([0, 1, 100]))
    meta = crafted.meta(station_id, rng.choice(["20200001", "../x", "a/b"]), blobs)
    shape = rng.randrange(8)
    if shape == 0:  # raw bytes under a multipart type, with or without a boundary
        kind = rng.choice(["multipart/form-data", "multipart/form-data; boundary=zz", "application/json", "text/plain"])
        return client.post("/api/v1/uploads", content=rng.randbytes(rng.randrange(2000)), headers={"content-type": kind})
    if shape == 1:  # a part missing, or parts under other names
        files = {rng.choice(["chsi", "original", "other"]): ("f", blobs["chsi"])}
        return client.post("/api/v1/uploads", data={rng.choice(["meta", "x"]): json.dumps(meta)}, files=files)
    if shape == 2:  # no files at all
        return client.post("/api/v1/uploads", data={"meta": json.dumps(meta)})
    return client.post("/api/v1/uploads", **crafted.multipart(_meta_text(rng, meta), blobs))


def _other(rng: random.Random, client: httpx.Client) -> httpx.Response:
    shape = rng.randrange(5)
    if shape == 0:
        body = rng.choice([crafted.deep_json(100_000).encode(), rng.randbytes(300), b"{", b"[]", b"", b'{"waiting": 1e999}',
                           json.dumps({"waiting": [1] * 100, "failed": {"x": 1}}).encode()])
        return client.post("/api/v1/heartbeat", content=body)
    if shape == 1:
        return client.request(rng.choice(["GET", "PUT", "DELETE", "PATCH"]), "/api/v1/uploads")
    if shape == 2:
        path = rng.choice(["/classes/%2e%2e%2fserver.json", "/classes/..%5c..%5cx", "/missing.exe", "/missing.csv",
                           "/api/v1/holdings/../../", "/" + "a" * 3000, "/classes/\u202e"])
        return client.get(path, auth=("registrar", rng.choice(["", "x", "\u00e9"])))
    if shape == 3:
        return client.post("/api/v1/uploads", headers={"authorization": rng.choice(
            ["Bearer", "Basic abc", "Bearer " + uuid.uuid4().hex, "bearer\tx", "Bearer " + "y" * 5000])})
    return client.get("/api/v1/holdings", headers={"authorization": rng.choice(["", "Bearer ?", "Token x"])})


def _send_share(server, token: str, seed: int, count: int) -> dict[int, int]:
    rng = random.Random(seed)
    statuses: dict[int, int] = {}
    with server.client(token, timeout=30) as client:
        for n in range(count):
            answer = _upload(rng, client, "F01") if n % 3 else _other(rng, client)
            statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
            assert answer.status_code < 500, (seed, n, answer.status_code, answer.text[:300])
    return statuses


def test_a_thousand_malformed_requests_get_no_5xx_and_leave_nothing_behind(server):
    token = server.context.add_station("F01", "fuzz")
    with ThreadPoolExecutor(CLIENTS) as pool:  # several clients at once, as stations are; each with its own seed
        shares = list(pool.map(lambda seed: _send_share(server, token, seed, REQUESTS // CLIENTS), range(CLIENTS)))
    assert sum(sum(statuses.values()) for statuses in shares) == REQUESTS
    assert server.context.store.uploads() == [] and crafted.stored_files(server.context.blobs_dir) == []
    with server.client(token) as client:
        assert client.get("/api/v1/holdings").json() == {"station_id": "F01", "uids": []}
