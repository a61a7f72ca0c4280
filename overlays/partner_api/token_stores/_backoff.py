"""`FleetBackoff`: a 429 back-off shared by every client of a store.

One client's 429 starts a pause that every client sharing the store honours (each process polls it from
one background thread, never on a call), and an optional rate limit keeps the whole fleet under a request
budget. `FileTokenStore` and `RedisTokenStore` implement it beside `TokenStore`; a store that does not
leaves each client to back off alone.
"""

from __future__ import annotations

import abc
from typing import ClassVar

from ._base import off_the_loop

__all__ = ["FleetBackoff"]


class FleetBackoff(abc.ABC):
    """Where a fleet's 429 pause lives (per namespace), and its optional rate limit. The async methods run the sync
    ones in a worker thread unless `blocking` is False."""

    blocking: ClassVar[bool] = True
    pause_poll_interval: float = 0.2
    """Seconds between background checks of the fleet's pause."""
    fleet_rate_limit: float | None = None
    """Requests per second for every client sharing the back-off (None: no limit; `throttle` is never called)."""

    @abc.abstractmethod
    def pause(self, namespace: str, seconds: float) -> None:
        """Pause the fleet for `seconds` from now (an existing longer pause is kept)."""

    @abc.abstractmethod
    def paused_for(self, namespace: str) -> float:
        """Seconds left of the fleet's pause (0 when none)."""

    def throttle(self, namespace: str, timeout: float) -> None:  # noqa: B027 - optional: only with a rate limit
        """Wait (at most `timeout` seconds) for a permit of the fleet's rate limit."""

    async def apause(self, namespace: str, seconds: float) -> None:
        await off_the_loop(self.blocking, self.pause, namespace, seconds)

    async def athrottle(self, namespace: str, timeout: float) -> None:
        await off_the_loop(self.blocking, self.throttle, namespace, timeout)
