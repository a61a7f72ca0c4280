"""The server's clock (with its configurable offset) and the access tokens it issues."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from typing import NamedTuple


class ServerClock:
    """Unix time of the simulated server: the machine's clock plus `offset` seconds."""

    def __init__(self, offset: float = 0.0) -> None:
        self.offset = offset

    def now(self) -> int:
        return int(time.time() + self.offset)


class IssuedToken(NamedTuple):
    access_token: str
    create_time: int
    expire_time: int


class TokenRegistry:
    """Issues bearer tokens that expire `ttl` seconds later by the server's clock; revocable.

    With `max_active`, a login beyond that many live tokens revokes the oldest ones (as some partner APIs
    do). Only SHA-256 digests are kept, so the registry never holds a usable token.
    """

    _PURGE_ABOVE = 1024

    def __init__(self, clock: ServerClock, ttl: int, max_active: int | None = None) -> None:
        self.clock = clock
        self.ttl = ttl
        self.max_active = max_active
        self._expiry: dict[bytes, int] = {}  # in issue order (dicts keep insertion order)
        self._lock = threading.Lock()

    @staticmethod
    def _digest(token: str) -> bytes:
        return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()

    def issue(self) -> IssuedToken:
        token = secrets.token_urlsafe(32)
        create_time = self.clock.now()
        expire_time = create_time + self.ttl
        with self._lock:
            if len(self._expiry) > self._PURGE_ABOVE:
                self._expiry = {key: exp for key, exp in self._expiry.items() if exp > create_time}
            self._expiry[self._digest(token)] = expire_time
            if self.max_active is not None:
                live = [key for key, exp in self._expiry.items() if exp > create_time]
                for key in live[: max(0, len(live) - self.max_active)]:  # the oldest first
                    del self._expiry[key]
        return IssuedToken(token, create_time, expire_time)

    def is_valid(self, token: str) -> bool:
        """Known, not revoked, and not expired by the server's clock."""
        with self._lock:
            expire_time = self._expiry.get(self._digest(token))
        return expire_time is not None and self.clock.now() < expire_time

    def revoke_all(self) -> int:
        """Forget every token; returns how many were live."""
        with self._lock:
            now = self.clock.now()
            live = sum(1 for exp in self._expiry.values() if exp > now)
            self._expiry.clear()
        return live
