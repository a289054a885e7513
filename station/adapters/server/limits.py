"""What the server takes in at most: request sizes, answered 413 before a body is read whole,
and JSON that may be malformed or nested without end, answered 4xx instead of a RecursionError."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from station.i18n import Text
from station.upload.limits import UPLOAD_LIMIT

OTHER_LIMIT = 64 * 2**10  # heartbeats, page requests: a few hundred bytes
META_LIMIT = 16 * 2**10  # an upload's metadata: a few hundred bytes of JSON

TOO_LARGE = Text("请求过大（上限 {limit}）。", "The request is too large (limit {limit}).")
BAD_LENGTH = Text("Content-Length 无效。", "The Content-Length is not valid.")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def limit_for(path: str) -> int:
    return UPLOAD_LIMIT if path == "/api/v1/uploads" else OTHER_LIMIT


def json_object(raw: bytes | str, limit: int) -> dict:
    """A JSON object, or ValueError for anything else: too long, not UTF-8, malformed, nested too deep, a list."""
    if len(raw) > limit:
        raise ValueError("too long")
    try:
        value = json.loads(raw)
    except RecursionError as exc:  # the C decoder's guard against deep nesting
        raise ValueError("nested too deep") from exc
    if not isinstance(value, dict):
        raise ValueError("not an object")
    return value


class _TooLarge(Exception):
    pass


class BodyLimit:
    """ASGI wrapper around the whole app: a declared length over the limit is refused before anything is read;
    a chunked body is counted as it arrives and refused the moment it passes the limit."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await _refuse(send, 400, BAD_LENGTH)
                return
            if int(declared) > limit:
                await _refuse(send, 413, TOO_LARGE.format(limit=_size(limit)))
                return
        received = 0
        answered = refused = False

        async def counted() -> Message:
            nonlocal received, refused
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit and not refused:
                refused = True
                if not answered:
                    await _refuse(send, 413, TOO_LARGE.format(limit=_size(limit)))
            if refused:
                raise _TooLarge
            return message

        async def answer(message: Message) -> None:
            nonlocal answered
            if not refused:  # after a 413, whatever the app makes of the cut-off body is not sent
                answered = True
                await send(message)

        try:
            await self.app(scope, counted, answer)
        except Exception:
            if not refused:
                raise


def _size(limit: int) -> str:
    return f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 2**10} KB"


async def _refuse(send: Send, status: int, text: Text) -> None:
    body = json.dumps({"detail": {"zh": text.zh, "en": text.en}}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
