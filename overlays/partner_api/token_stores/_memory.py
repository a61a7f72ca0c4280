"""`MemoryTokenStore`: the token kept in this process only (the default: each client as before)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ._base import StoredEntry, TokenStore

__all__ = ["MemoryTokenStore"]


class MemoryTokenStore(TokenStore):
    """Entries in this process's memory. Clients given the same instance share one token; the default (one
    private instance per client) behaves exactly like a client without a store.

    Args:
        clock: monotonic clock measuring the entries' lifetimes (a client's injected clock, in tests).
    """

    encrypted = False
    blocking = False  # a dict under a lock held for microseconds: async callers need no worker thread

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[bytes, float]] = {}
        self._locks: dict[str, tuple[str, float]] = {}

    def get(self, namespace: str) -> StoredEntry | None:
        entry = self._entries.get(namespace)
        if entry is None:
            return None
        ttl = entry[1] - self._clock()
        return StoredEntry(entry[0], ttl) if ttl > 0 else None

    def put(self, namespace: str, blob: bytes, ttl: float) -> None:
        self._entries[namespace] = (blob, self._clock() + ttl)

    def delete_if(self, namespace: str, blob: bytes) -> bool:
        with self._lock:
            entry = self._entries.get(namespace)
            if entry is None or entry[0] != blob:
                return False
            del self._entries[namespace]
            return True

    def acquire(self, namespace: str, owner: str, ttl: float) -> bool:
        with self._lock:
            now = self._clock()
            held = self._locks.get(namespace)
            if held is not None and held[1] > now:
                return False
            self._locks[namespace] = (owner, now + ttl)
            return True

    def release(self, namespace: str, owner: str) -> None:
        with self._lock:
            held = self._locks.get(namespace)
            if held is not None and held[0] == owner:
                del self._locks[namespace]

    def _reset_after_fork(self) -> None:
        self._lock = threading.Lock()
