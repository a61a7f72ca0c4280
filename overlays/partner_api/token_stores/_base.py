"""`TokenStore`: where processes share the access token, the login lock and the 429 pause.

A store keeps opaque entries (sealed tokens) with a time to live that the store itself measures, so hosts
whose clocks disagree still agree on when a token is due. Every method takes the namespace of one
(base URL, project id). The client calls a store only on its slow path (a token due, a login, a
rejection); a failing store never fails a call: the client logs in locally and says so once per outage.
"""

from __future__ import annotations

import abc
import logging
import os
import threading
import time
import weakref
from typing import ClassVar, NamedTuple, Protocol

__all__ = ["StoreHealth", "StoredEntry", "TokenStore"]

logger = logging.getLogger("partner_api.token_stores")  # a child of `partner_api`: the CLI shows its warnings alone


class StoredEntry(NamedTuple):
    """A sealed token and the seconds it stays usable (until its renewal time)."""

    blob: bytes
    ttl: float


class StoreHealth:
    """One WARNING when a store starts failing, one INFO when it answers again: never a log flood."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._lock = threading.Lock()
        self.failing = False
        self.failures = 0

    def failed(self, error: BaseException) -> None:
        with self._lock:
            self.failures += 1
            first = not self.failing
            self.failing = True
        if first:  # the type only: a driver's message may quote a URL with its password
            logger.warning(
                "partner_api token store %s unavailable (%s): calls go on with local logins until it is back",
                self._name, type(error).__name__,
            )  # fmt: skip

    def ok(self) -> None:
        if self.failing:
            with self._lock:
                back, self.failing = self.failing, False
            if back:
                logger.info("partner_api token store %s is back: the token is shared again", self._name)


class TokenStore(abc.ABC):
    """What a client needs from a shared store. Subclasses implement the sync methods; the async ones
    default to them (right for stores whose calls do not wait on a network)."""

    encrypted: ClassVar[bool] = True
    """Entries leave this process: the client seals tokens (AES-GCM) before storing them."""
    shares_pause: ClassVar[bool] = True
    """A 429 seen by one client pauses the others (polled in the background, never on a call)."""

    lock_ttl: float = 15.0
    """Seconds a login lock lives: how long the holder's death can delay the others."""
    poll_interval: float = 0.05
    """Seconds between checks of the store while another process logs in."""
    pause_poll_interval: float = 0.2
    """Seconds between background checks of the fleet-wide 429 pause."""
    serves_sync: bool = True
    """False for a store that only has an asyncio connection (a `PartnerClient` refuses it)."""
    fleet_rate_limit: float | None = None
    """Requests per second for every client sharing the store (None: no limit; then `throttle` is never called)."""

    def __init__(self) -> None:
        self.health = StoreHealth(type(self).__name__)
        self._listeners: dict[str, weakref.WeakSet[_Listener]] = {}
        self._watcher: threading.Thread | None = None
        self._watcher_pid = 0
        self._watch_lock = threading.Lock()
        self._pid = os.getpid()

    # ---- the entry of a namespace ----
    @abc.abstractmethod
    def get(self, namespace: str) -> StoredEntry | None:
        """The entry and its remaining lifetime, or None."""

    @abc.abstractmethod
    def put(self, namespace: str, blob: bytes, ttl: float) -> None:
        """Store `blob` for `ttl` seconds (replacing any entry)."""

    @abc.abstractmethod
    def delete_if(self, namespace: str, blob: bytes) -> bool:
        """Delete the entry only if it is still `blob` (compare-and-invalidate, atomic)."""

    # ---- the login lock ----
    @abc.abstractmethod
    def acquire(self, namespace: str, owner: str, ttl: float) -> bool:
        """Take the login lock for `ttl` seconds if nobody holds it."""

    @abc.abstractmethod
    def release(self, namespace: str, owner: str) -> None:
        """Release the login lock if `owner` still holds it (compare-and-delete)."""

    # ---- the 429 pause ----
    @abc.abstractmethod
    def pause(self, namespace: str, seconds: float) -> None:
        """Pause the fleet for `seconds` from now (an existing longer pause is kept)."""

    @abc.abstractmethod
    def paused_for(self, namespace: str) -> float:
        """Seconds left of the fleet's pause (0 when none)."""

    def throttle(self, namespace: str, timeout: float) -> None:  # noqa: B027 - optional: no limit by default
        """Wait (at most `timeout` seconds) for a permit of the fleet's rate limit."""

    async def athrottle(self, namespace: str, timeout: float) -> None:
        self.throttle(namespace, timeout)

    # ---- asyncio ----
    async def aget(self, namespace: str) -> StoredEntry | None:
        return self.get(namespace)

    async def aput(self, namespace: str, blob: bytes, ttl: float) -> None:
        self.put(namespace, blob, ttl)

    async def adelete_if(self, namespace: str, blob: bytes) -> bool:
        return self.delete_if(namespace, blob)

    async def aacquire(self, namespace: str, owner: str, ttl: float) -> bool:
        return self.acquire(namespace, owner, ttl)

    async def arelease(self, namespace: str, owner: str) -> None:
        self.release(namespace, owner)

    async def apause(self, namespace: str, seconds: float) -> None:
        self.pause(namespace, seconds)

    # ---- the background pause watcher ----
    def watch_pause(self, namespace: str, listener: _Listener) -> None:
        """Tell `listener` (held weakly) of the fleet's pauses in `namespace`, from one daemon thread per store."""
        if not self.shares_pause:
            return
        with self._watch_lock:
            self._listeners.setdefault(namespace, weakref.WeakSet()).add(listener)
            if self._watcher is None or not self._watcher.is_alive() or self._watcher_pid != os.getpid():
                self._watcher_pid = os.getpid()
                self._watcher = threading.Thread(target=self._watch, name="partner-api-pause-watch", daemon=True)
                self._watcher.start()

    def unwatch(self, namespace: str, listener: _Listener) -> None:
        """Stop telling `listener` (a closed client); the watcher ends with its last listener."""
        with self._watch_lock:
            self._listeners.get(namespace, weakref.WeakSet()).discard(listener)

    def _watch(self) -> None:
        while True:
            time.sleep(self.pause_poll_interval)
            with self._watch_lock:
                watched = {ns: list(listeners) for ns, listeners in self._listeners.items() if listeners}
                if not watched:  # every client of this store is gone
                    self._watcher = None
                    return
            for namespace, listeners in watched.items():
                try:
                    left = self.paused_for(namespace)
                except Exception as error:  # a store failure must not end the watcher
                    self.health.failed(error)
                    continue
                self.health.ok()
                if left > 0:
                    for listener in listeners:
                        listener.fleet_paused(left)
            del watched, listeners

    def after_fork(self) -> None:
        """In a forked child (once, however many clients share the store): fresh locks and connections; the
        watcher restarts at the next `watch_pause`."""
        if self._pid == os.getpid():
            return
        self._pid = os.getpid()
        self._watch_lock = threading.Lock()
        self._watcher = None
        self._reset_after_fork()

    def _reset_after_fork(self) -> None:  # noqa: B027 - optional: a store with nothing to renew skips it
        """What a subclass renews in a forked child (its locks: a parent's thread may have held one)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class _Listener(Protocol):
    def fleet_paused(self, seconds: float) -> None: ...
