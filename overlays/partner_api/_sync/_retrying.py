"""The retry loop (`_sync/_retrying.py` is generated from `_async/`: edit that one); the decisions: `RetryPolicy`."""

from __future__ import annotations

from typing import TypeVar

from .._exceptions import PartnerAPIError
from .._retry import RetryPolicy
from .._twins import SyncOperation, SyncSleep

__all__ = ["retrying"]

T = TypeVar("T")


def retrying(
    policy: RetryPolicy, error: PartnerAPIError, safe_to_retry: bool, attempt: SyncOperation[T], sleep: SyncSleep
) -> T:
    """After a failed first attempt (`error`): wait, attempt again while the policy allows; re-raise the last error."""
    for retry in range(1, policy.max_retries + 1):
        if not policy.should_retry(safe_to_retry, error):
            break
        sleep(policy.delay(retry, error))
        try:
            return attempt()
        except PartnerAPIError as next_error:
            error = next_error
    raise error
