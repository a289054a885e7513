"""A live camera for the UI and the shutter: newest frame only, a tiny ring by id, and a watchdog.

One capture thread per connection reads the backend and overwrites a one-slot "latest"
buffer (never a queue: a slow consumer just skips frames). The last few frames stay
addressable by id, so the shutter can take exactly the frame that was on screen. A
supervisor thread watches the frame age: no frame for `frozen_after` seconds is FROZEN at
once; a dead or long-frozen connection is dropped and reopened with capped exponential
backoff, and the return is announced. Frames already taken are never touched.
"""

from __future__ import annotations

import collections
import enum
import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from station.camera.backends import Backend, CameraUnavailable
from station.i18n import Text

log = logging.getLogger(__name__)


class CameraState(enum.Enum):
    CONNECTING = "connecting"
    LIVE = "live"
    FROZEN = "frozen"
    DISCONNECTED = "disconnected"
    STOPPED = "stopped"


STATE_TEXT = {
    CameraState.CONNECTING: Text("正在连接相机…", "connecting to the camera…"),
    CameraState.LIVE: Text("相机正常", "camera live"),
    CameraState.FROZEN: Text("相机画面停止，正在恢复…", "the camera picture has frozen; recovering…"),
    CameraState.DISCONNECTED: Text("相机已断开，正在重新连接…", "camera disconnected; reconnecting…"),
    CameraState.STOPPED: Text("相机已关闭", "camera stopped"),
}
BACK_TEXT = Text("相机已恢复", "the camera is back")
# DISCONNECTED before a single frame came: nothing was connected to be lost (a laptop without a camera, a wrong number,
# a camera another program holds), and where to choose another is the way on
NOT_OPENED = Text("无法打开相机，正在重试…（工作站 → 相机设置…）", "cannot open the camera; retrying… (Station → Camera…)")


@dataclass(frozen=True)
class Frame:
    frame_id: int
    timestamp: float  # time.monotonic() when the frame arrived
    image: np.ndarray  # full-resolution BGR; treat as read-only
    # Frames of one scene show the same view (one connection's continuous video, one image of a file camera):
    # findings measured on one of them may be drawn over another, never over a frame of another scene.
    scene: int = 0


@dataclass(frozen=True)
class StateChange:
    state: CameraState
    at: float  # time.monotonic()
    previous: CameraState
    detail: str = ""

    @property
    def recovered(self) -> bool:
        """The camera is live again after being frozen or disconnected."""
        return self.state is CameraState.LIVE and self.previous in (CameraState.FROZEN, CameraState.DISCONNECTED)

    @property
    def text(self) -> Text:
        return BACK_TEXT if self.recovered else STATE_TEXT[self.state]


class _Connection:
    """One opened backend and the thread reading it; abandoned (not joined) if the read hangs."""

    def __init__(self, backend: Backend, publish: Callable[["_Connection", np.ndarray, int], None]) -> None:
        self.backend = backend
        self.opened = threading.Event()
        self.ended = threading.Event()
        self.error = ""
        self._stop = threading.Event()
        self._publish = publish
        self.thread = threading.Thread(target=self._run, name=f"camera {backend.description}", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.backend.open()
            self.opened.set()
            while not self._stop.is_set():
                image = self.backend.read()
                if image is None:
                    self.error = "no frame from the device"
                    break
                if not self._stop.is_set():
                    self._publish(self, image, self.backend.scene)
        except CameraUnavailable as exc:
            self.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - a driver fault must not kill the station; retry instead
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            try:
                self.backend.close()
            finally:
                self.ended.set()

    def stop(self) -> None:
        self._stop.set()


class FrameSource:
    """Thread-safe newest-frame source. Poll `latest()`, wait with `wait_newer()`, be told with
    `subscribe_frames()`, take `get(id)`."""

    def __init__(
        self,
        open_backend: Callable[[], Backend],
        *,
        frozen_after: float = 2.0,
        backoff_start: float = 0.5,
        backoff_max: float = 8.0,
        ring_size: int = 4,
        poll: float = 0.05,
        usb_index: int | None = None,
    ) -> None:
        self._open_backend = open_backend
        self.usb_index = usb_index  # which USB camera this is (None: a file or folder), for the camera dialog
        self.frozen_after = frozen_after
        self.backoff_start = backoff_start
        self.backoff_max = backoff_max
        self._poll = poll
        self._lock = threading.Condition()
        self._ring: collections.deque[Frame] = collections.deque(maxlen=ring_size)
        self._latest: Frame | None = None
        self._next_id = 1
        self._scene = 0
        self._scene_of: tuple[_Connection, int] | None = None  # the connection and backend view of that scene
        self._last_frame_at = 0.0
        self._lost_after = 0  # the newest frame's id when the picture was last lost (0: never)
        self._connection: _Connection | None = None
        self._connected_at = 0.0
        self._state = CameraState.CONNECTING
        self._listeners: list[Callable[[StateChange], None]] = []
        self._frame_listeners: list[Callable[[Frame], None]] = []
        self._stop = threading.Event()
        self._supervisor: threading.Thread | None = None
        self.reconnects = 0
        self.backoff = backoff_start

    # -- consumer side -------------------------------------------------------------------
    def latest(self) -> Frame | None:
        with self._lock:
            return self._latest

    def get(self, frame_id: int) -> Frame | None:
        """A recent frame by id (the one shown when the shutter was pressed), or None once it aged out."""
        with self._lock:
            return next((f for f in self._ring if f.frame_id == frame_id), None)

    def wait_newer(self, after_id: int, timeout: float) -> Frame | None:
        """The newest frame with id > after_id, waiting up to `timeout` s for one."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._latest is None or self._latest.frame_id <= after_id:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stop.is_set():
                    return None
                self._lock.wait(remaining)
            return self._latest

    @property
    def state(self) -> CameraState:
        with self._lock:
            return self._state

    @property
    def state_text(self) -> Text:
        """The state in words; a camera that has not given one frame since it was chosen was never connected, so
        it is not said to be "disconnected" (a first start without a camera said 相机已断开，正在重新连接…)."""
        with self._lock:
            never = self._latest is None
            state = self._state
        return NOT_OPENED if state is CameraState.DISCONNECTED and never else STATE_TEXT[state]

    @property
    def lost_after(self) -> int:
        """The newest frame's id when the picture was last lost (frozen, unplugged, stopped; 0: never). That picture
        stays on screen, dimmed, and may show the student before: it and every frame before it are never taken, nor
        shown again as the live picture once the camera is back."""
        with self._lock:
            return self._lost_after

    def buffered(self) -> int:
        """Frames held (the ring): bounded by `ring_size`, whatever the consumer does."""
        with self._lock:
            return len(self._ring)

    def subscribe(self, listener: Callable[[StateChange], None]) -> None:
        """Called from the supervisor thread on every state change (a Qt UI re-posts it to its own thread)."""
        with self._lock:
            self._listeners.append(listener)

    def subscribe_frames(self, listener: Callable[[Frame], None]) -> None:
        """Called with each new frame, from the camera's thread, once it is published; it must return at once. A preview
        that is told, rather than looking on a timer, shows a frame as soon as it lands: looking at twice the
        camera's rate still showed some frames up to half a frame late, a 50 ms pause in a 30 fps picture."""
        with self._lock:
            self._frame_listeners.append(listener)

    def unsubscribe_frames(self, listener: Callable[[Frame], None]) -> None:
        """`listener` is told no more frames (a preview given another camera, or deleted): it would otherwise be kept,
        and all it holds with it, as long as this camera runs."""
        with self._lock:
            if listener in self._frame_listeners:
                self._frame_listeners.remove(listener)

    # -- lifecycle -----------------------------------------------------------------------
    def start(self) -> "FrameSource":
        self._supervisor = threading.Thread(target=self._supervise, name="camera watchdog", daemon=True)
        self._supervisor.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        """Stop and join; a capture thread stuck inside a driver call is left as a daemon."""
        self._stop.set()
        with self._lock:
            self._lock.notify_all()
        if self._supervisor is not None:
            self._supervisor.join(timeout)
        connection = self._connection
        if connection is not None:
            connection.stop()
            connection.thread.join(timeout)
        self._set_state(CameraState.STOPPED)

    def __enter__(self) -> "FrameSource":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- internals -----------------------------------------------------------------------
    def _publish(self, connection: _Connection, image: np.ndarray, view: int) -> None:
        now = time.monotonic()
        with self._lock:
            if connection is not self._connection:
                return  # a dropped connection's late frame
            if self._scene_of != (connection, view):  # a reconnected camera or a file camera's next image
                self._scene_of = (connection, view)
                self._scene += 1
            frame = Frame(self._next_id, now, image, self._scene)
            self._next_id += 1
            self._latest = frame
            self._ring.append(frame)
            self._last_frame_at = now
            self._lock.notify_all()
            listeners = list(self._frame_listeners)
        for listener in listeners:
            listener(frame)

    def _supervise(self) -> None:
        next_attempt = 0.0
        while not self._stop.is_set():
            now = time.monotonic()
            connection = self._connection
            if connection is None:
                if now >= next_attempt:
                    self._connect()
            elif connection.ended.is_set() or self._stale(now, 2 * self.frozen_after):
                self._drop(connection)
                next_attempt = now + self.backoff
                self.backoff = min(self.backoff * 2, self.backoff_max)
            elif self._stale(now, self.frozen_after):
                self._set_state(CameraState.FROZEN, "no frame for %.1f s" % self.frozen_after)
            elif self._last_frame_at > self._connected_at:
                self.backoff = self.backoff_start
                self._set_state(CameraState.LIVE)
            self._stop.wait(self._poll)

    def _stale(self, now: float, limit: float) -> bool:
        with self._lock:
            since = max(self._last_frame_at, self._connected_at)
        return now - since > limit

    def _connect(self) -> None:
        try:
            backend = self._open_backend()
        except Exception as exc:  # noqa: BLE001 - a bad camera choice is reported, then retried
            self._set_state(CameraState.DISCONNECTED, str(exc))
            self._connection = None
            return
        with self._lock:
            self._connected_at = time.monotonic()
            self._connection = _Connection(backend, self._publish)
        if self._state is not CameraState.CONNECTING:
            self.reconnects += 1

    def _drop(self, connection: _Connection) -> None:
        frozen = not connection.ended.is_set()
        connection.stop()
        with self._lock:
            self._connection = None
        detail = "frozen" if frozen else (connection.error or "ended")
        self._set_state(CameraState.DISCONNECTED, detail)

    def _set_state(self, state: CameraState, detail: str = "") -> None:
        with self._lock:
            if state is self._state:
                return
            change = StateChange(state, time.monotonic(), self._state, detail)
            self._state = state
            if state is not CameraState.LIVE and self._latest is not None:
                self._lost_after = self._latest.frame_id
            listeners = list(self._listeners)
        # the log keeps what the status bar only shows while it lasts, with the cause it never shows (the driver's
        # error, an emptied folder, no frame for 2 s): "the camera kept dropping out" can be looked up after the day
        if state in (CameraState.FROZEN, CameraState.DISCONNECTED):
            log.warning("camera %s (was %s): %s", state.value, change.previous.value, detail or "no detail")
        elif change.recovered:
            log.info("camera live again after %s (reconnection attempts since the start: %d)", change.previous.value,
                     self.reconnects)
        for listener in listeners:
            listener(change)
