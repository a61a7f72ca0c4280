"""This client's side of the fleet's 429 back-off: the pause it honours before each request, and the watcher that
brings it the pauses other processes publish.

A 429 answered to a client whose token store keeps a `FleetBackoff` pauses that client until `Retry-After`
(capped by the retry policy's `max_retry_after`) and publishes the pause; one daemon thread per back-off and
process polls it and pauses every client of this process that shares it. A client without a shared back-off
pauses nothing here: its own retries wait (`RetryPolicy`).
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections.abc import Callable

from .token_stores._backoff import FleetBackoff
from .token_stores._base import StoreHealth

__all__ = ["Pause", "unwatch", "watch"]


class Pause:
    """When this client may send again; read on every request without a lock (`until` is 0.0 unless paused)."""

    __slots__ = ("__weakref__", "cap", "clock", "shared", "throttled", "until")

    def __init__(self, backoff: FleetBackoff | None, cap: float, clock: Callable[[], float]) -> None:
        self.until = 0.0
        """Monotonic time before which no request is sent (a 429 seen here or, through the store, elsewhere)."""
        self.cap = cap
        self.clock = clock
        self.shared = backoff is not None
        self.throttled = backoff is not None and backoff.fleet_rate_limit is not None
        """Each request waits for a permit of the fleet's rate limit (a store round trip, by choice)."""

    def left(self) -> float:
        """Seconds to wait before sending (0.0 when not paused)."""
        left = self.until - self.clock() if self.until else 0.0
        if left <= 0:
            self.until = 0.0
            return 0.0
        return left

    def hold(self, seconds: float) -> None:
        """Send nothing for `seconds` (capped) from now; a longer pause already running is kept."""
        self.until = max(self.until, self.clock() + min(seconds, self.cap))

    def rate_limited(self, retry_after: float | None) -> float:
        """A 429 answered here: pause this client; the seconds to publish to the fleet (0.0: nothing is shared)."""
        if not self.shared:
            return 0.0
        seconds = min(retry_after if retry_after is not None else 1.0, self.cap)
        self.hold(seconds)
        return seconds


class _Watcher:
    """The daemon thread of one back-off: polls the fleet's pause of each watched namespace and tells the `Pause`s
    there (held weakly); it ends with its last listener."""

    def __init__(self, backoff: FleetBackoff, health: StoreHealth) -> None:
        self.backoff = backoff
        self.health = health
        self.listeners: dict[str, weakref.WeakSet[Pause]] = {}
        self.thread = threading.Thread(target=self._run, name="partner-api-pause-watch", daemon=True)

    def _run(self) -> None:
        while True:
            time.sleep(self.backoff.pause_poll_interval)
            with _registry_lock:
                watched = {ns: list(pauses) for ns, pauses in self.listeners.items() if pauses}
                if not watched:  # every client of this back-off is gone or closed
                    del _watchers[self.backoff]
                    return
            for namespace, pauses in watched.items():
                try:
                    left = self.backoff.paused_for(namespace)
                except Exception as error:  # a store failure must not end the watcher
                    self.health.failed(error)
                    continue
                self.health.ok()
                if left > 0:
                    for pause in pauses:
                        pause.hold(left)
            del watched, pauses


_watchers: dict[FleetBackoff, _Watcher] = {}
_registry_lock = threading.Lock()
_registry_pid = os.getpid()


def watch(backoff: FleetBackoff, health: StoreHealth, namespace: str, pause: Pause) -> None:
    """Tell `pause` of the fleet's pauses in `namespace` (also in a forked child, which starts its own thread)."""
    global _registry_lock, _registry_pid
    if _registry_pid != os.getpid():  # a fork: the parent's threads and lock stayed behind
        _registry_pid, _registry_lock = os.getpid(), threading.Lock()
        _watchers.clear()
    with _registry_lock:
        watcher = _watchers.get(backoff)
        if watcher is None:
            watcher = _watchers[backoff] = _Watcher(backoff, health)
            watcher.thread.start()
        watcher.listeners.setdefault(namespace, weakref.WeakSet()).add(pause)


def unwatch(backoff: FleetBackoff, namespace: str, pause: Pause) -> None:
    """Stop telling `pause` (a closed client)."""
    with _registry_lock:
        watcher = _watchers.get(backoff)
        if watcher is not None:
            watcher.listeners.get(namespace, weakref.WeakSet()).discard(pause)
