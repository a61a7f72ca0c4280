"""Which failures are retried and how long to wait: only where repeating a request cannot duplicate a change.

Operations the spec marks `x-safe-to-retry: true` (`Operation.safe_to_retry`, the reads) are retried on 429
(after `Retry-After`, capped), 502/503/504 and connection errors; any other operation only when the request
provably never reached the server (connection refused, connect timeout), or when the failed request was the
login that fetches its token (login's own `x-safe-to-retry`). Names play no part.

The loop is openai-python's shape, plain code (`_async/_retrying.py`): it runs only after a first attempt has
failed, so the common case pays nothing for it, and it needs no library (tenacity cost about 14 µs to set up
per call, and fed the first error back through a closure).
"""

from __future__ import annotations

import dataclasses
import logging
import random

from partner_api_client.spec_facts import OPERATIONS, SAFE_TO_RETRY

from ._exceptions import APIConnectionError, PartnerAPIError, RateLimitedError, ServerError

__all__ = ["RetryPolicy"]

logger = logging.getLogger("partner_api")
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

    def delay(self, retry: int, error: PartnerAPIError) -> float:
        """Seconds before retry number `retry` (1 for the first): the server's `Retry-After` (capped), else a random
        wait up to `backoff * 2 ** (retry - 1)`, capped at `max_backoff` (full jitter). Logged at WARNING."""
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            seconds = min(error.retry_after, self.max_retry_after)
        else:
            ceiling = min(self.backoff * 2.0 ** min(retry - 1, 64), self.max_backoff)  # (a huge exponent overflows)
            seconds = random.uniform(0, ceiling)  # noqa: S311 - jitter, not cryptography
        logger.warning(
            "partner_api retry %d/%d of %s in %.2f s after %s",
            retry, self.max_retries, error.operation, seconds, type(error).__name__,
        )  # fmt: skip
        return seconds
