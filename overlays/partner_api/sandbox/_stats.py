"""Counters the admin endpoint reports: logins, requests per operation, NOT_AUTHORIZED answers, faults."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class Stats:
    """Thread-safe counters, zeroed by `clear()`.

    A request counts towards the counters of the `generation` it arrived in: one that arrived before a `clear()` (held
    by a latency fault, say) and is answered after it is not counted, so a test's counts start clean."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.generation = 0
        self.clear()

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self.logins = 0
            self.failed_logins = 0
            self.not_authorized = 0
            self.rate_limited = 0
            self.requests: Counter[str] = Counter()
            self.faults: Counter[str] = Counter()

    def count_request(self, operation: str) -> None:
        with self._lock:
            self.requests[operation] += 1

    def count_fault(self, operation: str) -> None:
        with self._lock:
            self.faults[operation] += 1

    def count_login(self, *, ok: bool, generation: int | None = None) -> None:
        with self._lock:
            if generation is not None and generation != self.generation:
                return
            if ok:
                self.logins += 1
            else:
                self.failed_logins += 1

    def count_not_authorized(self, generation: int | None = None) -> None:
        with self._lock:
            if generation is None or generation == self.generation:
                self.not_authorized += 1

    def count_rate_limited(self) -> None:
        with self._lock:
            self.rate_limited += 1

    def snapshot(self) -> dict[str, Any]:
        """The JSON document of `GET /_sandbox/stats`."""
        with self._lock:
            return {
                "logins": self.logins,
                "failed_logins": self.failed_logins,
                "not_authorized": self.not_authorized,
                "rate_limited": self.rate_limited,
                "requests": dict(sorted(self.requests.items())),
                "faults": dict(sorted(self.faults.items())),
            }
