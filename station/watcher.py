"""The threads that watch something for the station (a tethered camera's folder, the ID-card chip reader, the live
picture, the upload queue): one way to start and stop them, and at most one of each kind running."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Self


class Watcher:
    """A daemon thread running `_run` until `stop` (which `_run` sees as the `_stop` event)."""

    def __init__(self, name: str) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Asks the thread to end and waits for it (`timeout` seconds at most: a hung device is left as a daemon)."""
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        raise NotImplementedError


@dataclass
class Running:
    """The one watcher of a kind that runs: a new one replaces it, stopped before the new one starts."""

    watcher: Watcher | None = None

    def replace(self, watcher: Watcher | None) -> None:
        """Stop the running watcher, then start `watcher` (None: none runs now)."""
        if self.watcher is not None:
            self.watcher.stop()
        self.watcher = watcher.start() if watcher is not None else None
