"""Concurrency that adapts to 429s: additive increase, multiplicative decrease (AIMD), and Retry-After pauses.

Hand-written (about forty lines) because the asyncio rate-limit libraries limit a fixed rate or a fixed number
of tasks; none lowers the number of requests in flight on a 429 and raises it back as answers succeed.
"""

from __future__ import annotations

import asyncio

__all__ = ["AimdLimiter"]


class AimdLimiter:
    """At most `limit` requests in flight (1 <= limit <= maximum).

    A 429 halves the limit (once per congestion event: answers to requests sent before the last decrease do
    not halve it again) and pauses new requests until its Retry-After; each success adds 1/limit.
    """

    def __init__(self, maximum: int) -> None:
        self.maximum = maximum
        self.limit = float(maximum)
        self.in_flight = 0
        self._resume_at = 0.0
        self._last_decrease = -1.0
        self._changed = asyncio.Condition()

    async def acquire(self) -> float:
        """Wait for a slot; returns the loop time at which it was granted (pass it to `rate_limited`).

        A pause is slept outside the condition (a plain sleep ends at once when the waiting task is cancelled; a
        condition waited on with a timeout held a cancelled task, and so the job's exit, for the whole pause)."""
        loop = asyncio.get_running_loop()
        while True:
            pause = self._resume_at - loop.time()
            if pause > 0:
                await asyncio.sleep(pause)
                continue
            async with self._changed:
                if self._resume_at > loop.time():
                    continue  # a 429 arrived meanwhile: pause first
                if self.in_flight < max(1, int(self.limit)):
                    self.in_flight += 1
                    return loop.time()
                await self._changed.wait()

    async def release(self, *, succeeded: bool) -> None:
        async with self._changed:
            self.in_flight -= 1
            if succeeded:
                self.limit = min(float(self.maximum), self.limit + 1.0 / max(self.limit, 1.0))
            self._changed.notify_all()

    async def rate_limited(self, granted_at: float, retry_after: float) -> None:
        """A request granted at `granted_at` was answered 429: slow down and pause for `retry_after` seconds."""
        loop = asyncio.get_running_loop()
        async with self._changed:
            now = loop.time()
            if granted_at >= self._last_decrease:
                self.limit = max(1.0, self.limit / 2)
                self._last_decrease = now
            self._resume_at = max(self._resume_at, now + retry_after)
            self._changed.notify_all()
