"""The access token's lifecycle: login, renewal before expiry, single-flight refresh, compare-and-invalidate.

The lifetime comes from the server's own timestamps (`expire_time - create_time`) and is anchored on a
monotonic clock when the login request was sent, so a client whose wall clock is off neither logs in on
every call nor sends expired tokens. Renewal happens `margin` seconds before expiry, the margin capped at
half the lifetime so that a short-lived token still serves many calls.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import attrs
import httpx

from ._envelope import read_answer
from ._exceptions import APIConnectionError, AuthenticationError
from ._secrets import Secret, SecretRegistry

if TYPE_CHECKING:
    import asyncio  # imported when first needed: a sync-only program does not pay for it

__all__ = ["AsyncTokenManager", "Clock", "Token", "TokenManager"]

logger = logging.getLogger("partner_api")

Clock = Callable[[], float]
LOGIN = "login"
_TIMESTAMP_RESOLUTION = 1.0  # seconds: create_time and expire_time are whole unix seconds


@attrs.frozen(eq=False)
class Token:
    """An access token and when (on the client's monotonic clock) to stop using it."""

    value: Secret
    renew_at: float
    lifetime: float

    def usable(self, now: float) -> bool:
        return now < self.renew_at


class _TokenState:
    """What the sync and async managers share: the current token, the credentials, and how to read a login."""

    def __init__(
        self, login_url: httpx.URL, project_id: str, private_key: Secret, margin: float, clock: Clock,
        secrets: SecretRegistry,
    ) -> None:  # fmt: skip
        if margin < 0:
            raise ValueError("refresh_margin must be >= 0")
        self.login_url = login_url
        self.project_id = project_id
        self.private_key = private_key
        self.margin = margin
        self.clock = clock
        self.secrets = secrets
        self.current: Token | None = None
        self.logins = 0

    def after_fork(self) -> None:
        """In a forked child: fresh locks (a parent's thread may have held one at the fork)."""
        self.secrets.after_fork()

    def valid(self) -> Token | None:
        token = self.current
        if token is not None and token.usable(self.clock()):
            return token
        return None

    def invalidate(self, token: Token) -> None:
        """Forget `token` if it is still the current one (a newer token is kept)."""
        if self.current is token:
            self.current = None

    def login_request(self) -> httpx.Request:
        """The documented login: a flat form `login=<project id>&password=<private key>`."""
        return httpx.Request(
            "POST", self.login_url, data={"login": self.project_id, "password": self.private_key.get()}
        )

    def accept(self, response: httpx.Response, sent_at: float) -> Token:
        """Read a login answer; raises `AuthenticationError` (or another `PartnerAPIError`) when it failed."""
        from partner_api_client.models.login_response import LoginResponse

        answer = LoginResponse.from_dict(read_answer(response, LOGIN, self.secrets))
        if not answer.access_token:
            raise AuthenticationError(
                "login answered OK without an access_token", result="OK", status_code=response.status_code,
                operation=LOGIN,
            )  # fmt: skip
        self.secrets.add(answer.access_token)
        if answer.create_time > 0:
            # The timestamps are whole seconds: a token stamped N may have been issued at N + 0.99 and so expire
            # up to a second sooner than the difference says. Count that second as spent.
            lifetime = float(answer.expire_time - answer.create_time) - _TIMESTAMP_RESOLUTION
        else:  # no creation time: fall back to the wall clock for this one answer
            lifetime = answer.expire_time - time.time()
        lifetime = max(lifetime, 0.0)
        margin = min(self.margin, lifetime / 2)
        token = Token(value=Secret(answer.access_token), renew_at=sent_at + lifetime - margin, lifetime=lifetime)
        self.current = token
        self.logins += 1
        logger.info(
            "partner_api login #%d: token valid for %.0f s, renewed %.0f s early", self.logins, lifetime, margin
        )
        return token


class TokenManager(_TokenState):
    """Token lifecycle for threads: N threads that need a token cause exactly one login."""

    def __init__(self, *args: Any, send: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._send = send
        self._lock = threading.Lock()

    def get(self) -> Token:
        """A usable token, logging in first if there is none (single flight)."""
        token = self.valid()  # fast path: no lock while the token is valid
        if token is not None:
            return token
        with self._lock:
            token = self.valid()
            if token is not None:
                return token
            return self._login()

    def renew(self, rejected: Token) -> Token:
        """After `rejected` was refused: drop it if still current, then a usable token (one login for N callers)."""
        with self._lock:
            self.invalidate(rejected)
            token = self.valid()
            return token if token is not None else self._login()

    def _login(self) -> Token:
        sent_at = self.clock()
        try:
            response = self._send(self.login_request())
        except httpx.TransportError as exc:
            raise APIConnectionError.from_httpx(LOGIN, exc, self.secrets.redact) from exc
        return self.accept(response, sent_at)

    def after_fork(self) -> None:
        super().after_fork()
        self._lock = threading.Lock()


class AsyncTokenManager(_TokenState):
    """Token lifecycle for asyncio tasks: N tasks that need a token cause exactly one login.

    One lock per event loop (asyncio locks belong to the loop they first wait on), so a client reused under a
    new loop keeps working.
    """

    def __init__(self, *args: Any, send: Callable[[httpx.Request], Awaitable[httpx.Response]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._send = send
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()

    def _lock(self) -> asyncio.Lock:
        import asyncio

        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock

    async def get(self) -> Token:
        """A usable token, logging in first if there is none (single flight)."""
        token = self.valid()
        if token is not None:
            return token
        async with self._lock():
            token = self.valid()
            if token is not None:
                return token
            return await self._login()

    async def renew(self, rejected: Token) -> Token:
        """After `rejected` was refused: drop it if still current, then a usable token (one login for N callers)."""
        async with self._lock():
            self.invalidate(rejected)
            token = self.valid()
            return token if token is not None else await self._login()

    async def _login(self) -> Token:
        sent_at = self.clock()
        try:
            response = await self._send(self.login_request())
        except httpx.TransportError as exc:
            raise APIConnectionError.from_httpx(LOGIN, exc, self.secrets.redact) from exc
        return self.accept(response, sent_at)

    def after_fork(self) -> None:
        super().after_fork()
        self._locks = weakref.WeakKeyDictionary()
