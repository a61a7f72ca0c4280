"""Retries with backoff and jitter (tenacity), only where repeating a request cannot duplicate a change.

Operations the spec marks `x-safe-to-retry: true` (`Operation.safe_to_retry`, the reads) are retried on 429
(after `Retry-After`, capped), 502/503/504 and connection errors; any other operation only when the request
provably never reached the server (connection refused, connect timeout), or when the failed request was the
login that fetches its token (login's own `x-safe-to-retry`). Names play no part.
The first attempt runs outside tenacity: building a `Retrying` on every call would be a large part of the
client's own cost per call, and the common case needs no retry at all. For the same reason tenacity (and
asyncio, which it pulls in) is imported at the first retry, not with the package (the figures are in the
README's benchmark section).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from partner_api_client.spec_facts import OPERATIONS, SAFE_TO_RETRY

if TYPE_CHECKING:
    import tenacity

from ._exceptions import APIConnectionError, PartnerAPIError, RateLimitedError, ServerError

__all__ = ["RetryPolicy"]

logger = logging.getLogger("partner_api")
T = TypeVar("T")
_RETRIED_STATUSES = frozenset({502, 503, 504})


# A stdlib dataclass, not attrs: `from partner_api import PartnerClient` does not load attrs (about a tenth of
# httpx's own import time); the generated models load it on the first call.
@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry.

    Attributes:
        max_retries: retries after the first attempt (0 disables retries).
        backoff: base of the exponential backoff in seconds (full jitter: a random wait up to the exponential).
        max_backoff: ceiling of one backoff wait.
        max_retry_after: ceiling on a server's `Retry-After`; a longer request is honoured only up to this.
    """

    max_retries: int = 2
    backoff: float = 0.25
    max_backoff: float = 8.0
    max_retry_after: float = 30.0

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, not {self.max_retries!r}")

    def should_retry(self, safe_to_retry: bool, error: BaseException) -> bool:
        """Whether `error` may be retried for an operation that is (or is not) safe to repeat.

        The request that failed is the one `error.operation` names. When that is not a v2 operation but the
        request before it (the login that fetches its token), the operation itself was never sent, and that
        request's own `x-safe-to-retry` decides (`SAFE_TO_RETRY`, generated from the spec; absent: not safe).
        """
        if isinstance(error, PartnerAPIError) and error.operation not in OPERATIONS:
            safe_to_retry = SAFE_TO_RETRY.get(error.operation, False)
        if isinstance(error, APIConnectionError):
            return safe_to_retry or not error.request_sent
        if isinstance(error, RateLimitedError):
            return safe_to_retry
        if isinstance(error, ServerError):
            return safe_to_retry and error.status_code in _RETRIED_STATUSES
        return False

    def wait(self, state: tenacity.RetryCallState) -> float:
        """Seconds before the next attempt: the server's `Retry-After` (capped), else jittered backoff."""
        import tenacity

        error = state.outcome.exception() if state.outcome is not None else None
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            return min(error.retry_after, self.max_retry_after)
        jitter = tenacity.wait_random_exponential(multiplier=self.backoff, max=self.max_backoff)
        return float(jitter(state))

    def _log(self, state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        wait = state.next_action.sleep if state.next_action is not None else 0.0
        operation = error.operation if isinstance(error, PartnerAPIError) else "?"
        logger.warning(
            "partner_api retry %d/%d of %s in %.2f s after %s",
            state.attempt_number, self.max_retries, operation, wait, type(error).__name__,
        )  # fmt: skip

    def _options(self, safe_to_retry: bool) -> dict[str, Any]:
        """What `tenacity.Retrying` and `AsyncRetrying` share (the first attempt counts: it already failed)."""
        import tenacity

        return {
            "stop": tenacity.stop_after_attempt(self.max_retries + 1),
            "wait": self.wait,
            "retry": tenacity.retry_if_exception(lambda error: self.should_retry(safe_to_retry, error)),
            "before_sleep": self._log,
            "reraise": True,
        }

    def call(
        self, first_error: PartnerAPIError, safe_to_retry: bool, attempt: Callable[[], T],
        sleep: Callable[[float], None] = time.sleep,
    ) -> T:  # fmt: skip
        """Continue after a failed first attempt: wait, retry while allowed, re-raise the last error."""
        import tenacity

        pending: list[BaseException] = [first_error]

        def next_attempt() -> T:
            if pending:
                raise pending.pop()
            return attempt()

        retrying = tenacity.Retrying(sleep=sleep, **self._options(safe_to_retry))
        return retrying(next_attempt)

    async def acall(
        self, first_error: PartnerAPIError, safe_to_retry: bool, attempt: Callable[[], Awaitable[T]],
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> T:  # fmt: skip
        """`call` for coroutines (`sleep` defaults to `asyncio.sleep`)."""
        import asyncio

        import tenacity

        if sleep is None:
            sleep = asyncio.sleep
        pending: list[BaseException] = [first_error]

        async def next_attempt() -> T:
            if pending:
                raise pending.pop()
            return await attempt()

        retrying = tenacity.AsyncRetrying(sleep=sleep, **self._options(safe_to_retry))
        return await retrying(next_attempt)
