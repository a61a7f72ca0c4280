"""What a bulk job asks of its client: retry rules that leave 429s and requests that never left to the job, and
an HTTP transport that lets one login through at a time."""

from __future__ import annotations

import asyncio
import dataclasses

import httpx
from partner_api_client.spec_facts import OPERATIONS

from .._exceptions import APIConnectionError, PartnerAPIError, RateLimitedError
from .._retry import RetryPolicy

__all__ = ["JobRetryPolicy", "LoginGate", "LoginHeld"]


@dataclasses.dataclass(frozen=True)
class JobRetryPolicy(RetryPolicy):
    """The client's retry rules, except for what the job handles itself: a 429 (the job pauses and slows every
    row for its Retry-After, so the client itself waits none: `max_retry_after` 0; a row the client held back
    would look in flight, and be `unknown` if the job were stopped meanwhile), and a request that never left (a
    failed login or connection: the job waits for the API)."""

    max_retry_after: float = 0.0

    def should_retry(self, safe_to_retry: bool, error: BaseException) -> bool:
        if isinstance(error, RateLimitedError):
            return False
        if isinstance(error, PartnerAPIError) and error.operation not in OPERATIONS:
            return False  # the login before the operation failed
        if isinstance(error, APIConnectionError) and not error.request_sent:
            return False
        return super().should_retry(safe_to_retry, error)


class LoginHeld(httpx.ConnectError):
    """A login the gate did not send (the last one failed): the job's own doing, not the API's answer."""


class LoginGate(httpx.AsyncBaseTransport):
    """The job's HTTP transport: logins (the one request without a bearer token) go one at a time, and after one
    failed (a 5xx or no connection) no other is sent until `allow_login()`; every other request passes through.

    Hand-written: the client logs in for whichever row needs a token first, and the rows waiting for that token
    would each try again at once (the client retries a login on its own); a transport is the one place that sees
    every login of the job, whoever sends it.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner
        self._lock: asyncio.Lock | None = None
        self._failed = False
        self.attempts = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if "authorization" in request.headers:
            return await self._inner.handle_async_request(request)
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._failed:
                raise LoginHeld("not sent: the last login failed, the job waits for the API", request=request)
            self.attempts += 1
            try:
                response = await self._inner.handle_async_request(request)
            except httpx.TransportError:
                self._failed = True
                raise
            self._failed = response.status_code >= 500
            return response

    def allow_login(self) -> None:
        """Let the next login through (the job's next try)."""
        self._failed = False

    async def aclose(self) -> None:
        await self._inner.aclose()
