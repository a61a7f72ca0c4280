"""The access token's lifecycle: login, renewal before expiry, single-flight refresh, compare-and-invalidate.

The lifetime comes from the server's own timestamps (`expire_time - create_time`) and is anchored on a
monotonic clock when the login request was sent, so a client whose wall clock is off neither logs in on
every call nor sends expired tokens. Renewal happens `margin` seconds before expiry, the margin capped at
half the lifetime so that a short-lived token still serves many calls.

With a shared `TokenStore`, a client whose local copy is due reads the store first and logs in only when
the store has no usable token, under the store's login lock (one login for the fleet); a rejected token is
dropped from the store only if the store still holds it. Store failures never fail a call: the client then
logs in on its own. While the local copy is valid, nothing here touches the store.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import httpx

from ._answers import STRICT_ANSWERS
from ._envelope import read_answer, retry_after
from ._exceptions import APIConnectionError, AuthenticationError
from ._secrets import Secret, SecretRegistry
from .token_stores._base import StoredEntry, TokenStore
from .token_stores._crypto import PlainCodec, TokenCipher, TokenCodec
from .token_stores._keys import namespace_for
from .token_stores._memory import MemoryTokenStore

if TYPE_CHECKING:
    import asyncio  # imported when first needed: a sync-only program does not pay for it

__all__ = ["AsyncTokenManager", "Clock", "Token", "TokenManager"]

logger = logging.getLogger("partner_api")

Clock = Callable[[], float]
LOGIN = "login"
_TIMESTAMP_RESOLUTION = 1.0  # seconds: create_time and expire_time are whole unix seconds
T = TypeVar("T")


class Token(NamedTuple):
    """An access token and when (on the client's monotonic clock) to stop using it.

    Compared by identity where it matters (compare-and-invalidate); a NamedTuple, not attrs, so that importing
    the client does not load attrs.
    """

    value: Secret
    renew_at: float
    lifetime: float
    sealed: bytes | None = None
    """The token as the store keeps it (what compare-and-invalidate compares), if it went through one."""

    def usable(self, now: float) -> bool:
        return now < self.renew_at

    def __repr__(self) -> str:
        return f"Token(value={self.value!r}, renew_at={self.renew_at!r}, lifetime={self.lifetime!r})"


class _TokenState:
    """What the sync and async managers share: the current token, the credentials, the store, the pause."""

    def __init__(
        self, login_url: httpx.URL, project_id: str, private_key: Secret, margin: float, clock: Clock,
        secrets: SecretRegistry, store: TokenStore | None = None, base_url: str = "", pause_cap: float = 30.0,
    ) -> None:  # fmt: skip
        if margin < 0:
            raise ValueError("refresh_margin must be >= 0")
        if store is not None and not isinstance(store, TokenStore):
            raise TypeError("token_store must be a partner_api.token_stores.TokenStore")
        self.login_url = login_url
        self.project_id = project_id
        self.private_key = private_key
        self.margin = margin
        self.clock = clock
        self.secrets = secrets
        self.current: Token | None = None
        self.logins = 0
        self.store: TokenStore = store if store is not None else MemoryTokenStore(clock=clock)
        self.namespace = namespace_for(base_url or str(login_url), project_id)
        self._codec: TokenCodec | None = None
        if self.store.encrypted:  # a shared store: derive the key now, not during the first call
            self._codec = TokenCipher(private_key.get(), self.namespace)
        self.pause_cap = pause_cap
        self.paused_until = 0.0
        """Monotonic time before which no request is sent (a 429 seen here or, through the store, elsewhere)."""
        self.throttled = self.store.fleet_rate_limit is not None
        """Each request waits for a permit of the fleet's rate limit (a store round trip, by choice)."""
        self.store.watch_pause(self.namespace, self)

    def close(self) -> None:
        """The client is closed: no more pause notices from the store's watcher."""
        self.store.unwatch(self.namespace, self)

    def after_fork(self) -> None:
        """In a forked child: fresh locks (a parent's thread may have held one at the fork)."""
        self.secrets.after_fork()
        self.store.after_fork()
        self.store.watch_pause(self.namespace, self)

    @property
    def codec(self) -> TokenCodec:
        if self._codec is None:  # built on the first slow path: `cryptography` is not imported before
            self._codec = TokenCipher(self.private_key.get(), self.namespace) if self.store.encrypted else PlainCodec()
        return self._codec

    def valid(self) -> Token | None:
        token = self.current
        if token is not None and token.usable(self.clock()):
            return token
        return None

    def invalidate(self, token: Token) -> None:
        """Forget `token` if it is still the current one (a newer token is kept)."""
        if self.current is token:
            self.current = None

    # ---- the 429 pause ----
    def pause_left(self) -> float:
        """Seconds to wait before sending a request (0.0 unless a 429 paused this client or the fleet)."""
        if not self.paused_until:
            return 0.0
        left = self.paused_until - self.clock()
        if left <= 0:
            self.paused_until = 0.0
            return 0.0
        return left

    def fleet_paused(self, seconds: float) -> None:
        """The store reports a pause of the fleet (from the background watcher)."""
        self.paused_until = max(self.paused_until, self.clock() + min(seconds, self.pause_cap))

    def rate_limited(self, retry_after: float | None) -> float:
        """A 429 answered here: pause this client and (shared stores) the fleet; returns the pause to publish."""
        if not self.store.shares_pause:
            return 0.0  # a client without a shared store keeps today's behaviour: its retries wait
        seconds = min(retry_after if retry_after is not None else 1.0, self.pause_cap)
        self.fleet_paused(seconds)
        return seconds

    # ---- the store ----
    def from_entry(self, entry: StoredEntry | None) -> Token | None:
        """The usable token in a store entry; None for no entry, an expired one, or garbage (later overwritten)."""
        if entry is None or entry.ttl <= 0:
            return None
        value = self.codec.open(entry.blob)
        if value is None:
            return None
        self.secrets.add(value)
        now = self.clock()
        token = Token(value=Secret(value), renew_at=now + entry.ttl, lifetime=entry.ttl, sealed=entry.blob)
        self.current = token
        return token

    def sealed(self, token: Token) -> tuple[Token, float]:
        """`token` with its sealed form, and the seconds the store should keep it."""
        token = token._replace(sealed=self.codec.seal(token.value.get()))
        self.current = token
        return token, token.renew_at - self.clock()

    def store_failed(self, error: Exception) -> None:
        self.store.health.failed(error)

    def login_request(self) -> httpx.Request:
        """The documented login: a flat form `login=<project id>&password=<private key>`."""
        return httpx.Request(
            "POST", self.login_url, data={"login": self.project_id, "password": self.private_key.get()}
        )

    def accept(self, response: httpx.Response, sent_at: float) -> Token:
        """Read a login answer; raises `AuthenticationError` (or another `PartnerAPIError`) when it failed."""
        from partner_api_client.models.login_response import LoginResponse

        answer = STRICT_ANSWERS.parse(LOGIN, LoginResponse, read_answer(response, LOGIN, self.secrets),
                                      response.status_code)  # fmt: skip
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
    """Token lifecycle for threads: N threads that need a token cause exactly one login (one per fleet with a
    shared store)."""

    def __init__(self, *args: Any, send: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.store.serves_sync:
            raise TypeError(f"{self.store!r} has only an asyncio connection: use AsyncPartnerClient, or from_url()")
        self._send = send
        self._lock = threading.Lock()

    def get(self) -> Token:
        """A usable token: the local copy, else the store's, else a login (single flight)."""
        token = self.valid()  # fast path: no lock, no store while the token is valid
        if token is not None:
            return token
        with self._lock:
            token = self.valid()
            if token is not None:
                return token
            return self._obtain()

    def renew(self, rejected: Token) -> Token:
        """After `rejected` was refused: drop it here and in the store if still current, then a usable token
        (one login for N callers, and for M processes sharing a store)."""
        with self._lock:
            self.invalidate(rejected)
            token = self.valid()
            if token is not None:
                return token
            if rejected.sealed is not None:
                self._guard(False, self.store.delete_if, self.namespace, rejected.sealed)
            return self._obtain()

    def _guard(self, default: T, operation: Callable[..., T], *args: Any) -> T:
        """`operation(*args)` on the store; on any failure, `default` (the call goes on without the store)."""
        try:
            result = operation(*args)
        except Exception as error:  # whatever the store raises, the call must not fail
            self.store_failed(error)
            return default
        self.store.health.ok()
        return result

    def _obtain(self) -> Token:
        token = self.from_entry(self._guard(None, self.store.get, self.namespace))
        if token is not None:
            return token
        owner = os.urandom(16).hex()
        store, namespace = self.store, self.namespace
        # A lock held past its TTL is not one of ours (a foreign key without expiry): after the current holder's
        # TTL and one more holder's, log in regardless.
        give_up = time.monotonic() + 2 * store.lock_ttl
        while not self._guard(True, store.acquire, namespace, owner, store.lock_ttl):  # down: log in locally
            if time.monotonic() > give_up:
                break
            time.sleep(store.poll_interval)  # another process is logging in: its token will be in the store
            token = self.from_entry(self._guard(None, store.get, namespace))
            if token is not None:
                return token
        try:
            token = self.from_entry(self._guard(None, store.get, namespace))  # stored just before we locked?
            if token is not None:
                return token
            token, ttl = self.sealed(self._login())
            if ttl > 0:
                self._guard(None, store.put, namespace, token.sealed, ttl)
            return token
        finally:
            self._guard(None, store.release, namespace, owner)

    def _login(self) -> Token:
        sent_at = self.clock()
        try:
            response = self._send(self.login_request())
        except httpx.TransportError as exc:
            raise APIConnectionError.from_httpx(LOGIN, exc, self.secrets.redact) from exc
        if response.status_code == 429:
            self.publish_pause(retry_after(response))
        return self.accept(response, sent_at)

    def publish_pause(self, retry_after: float | None) -> None:
        """A 429 answered to this client: pause it, and the fleet through a shared store."""
        seconds = self.rate_limited(retry_after)
        if seconds > 0:
            self._guard(None, self.store.pause, self.namespace, seconds)

    def throttle(self) -> None:
        """Wait for the fleet's rate limit (bounded by the retry cap; a failing store does not hold calls)."""
        self._guard(None, self.store.throttle, self.namespace, self.pause_cap)

    def after_fork(self) -> None:
        super().after_fork()
        self._lock = threading.Lock()


class AsyncTokenManager(_TokenState):
    """Token lifecycle for asyncio tasks: N tasks that need a token cause exactly one login (one per fleet with
    a shared store).

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
        """A usable token: the local copy, else the store's, else a login (single flight)."""
        token = self.valid()
        if token is not None:
            return token
        async with self._lock():
            token = self.valid()
            if token is not None:
                return token
            return await self._obtain()

    async def renew(self, rejected: Token) -> Token:
        """After `rejected` was refused: drop it here and in the store if still current, then a usable token."""
        async with self._lock():
            self.invalidate(rejected)
            token = self.valid()
            if token is not None:
                return token
            if rejected.sealed is not None:
                await self._guard(False, self.store.adelete_if, self.namespace, rejected.sealed)
            return await self._obtain()

    async def _guard(self, default: T, operation: Callable[..., Awaitable[T]], *args: Any) -> T:
        try:
            result = await operation(*args)
        except Exception as error:  # whatever the store raises, the call must not fail
            self.store_failed(error)
            return default
        self.store.health.ok()
        return result

    async def _obtain(self) -> Token:
        import asyncio

        store, namespace = self.store, self.namespace
        token = self.from_entry(await self._guard(None, store.aget, namespace))
        if token is not None:
            return token
        owner = os.urandom(16).hex()
        give_up = time.monotonic() + 2 * store.lock_ttl
        while not await self._guard(True, store.aacquire, namespace, owner, store.lock_ttl):
            if time.monotonic() > give_up:
                break
            await asyncio.sleep(store.poll_interval)
            token = self.from_entry(await self._guard(None, store.aget, namespace))
            if token is not None:
                return token
        try:
            token = self.from_entry(await self._guard(None, store.aget, namespace))
            if token is not None:
                return token
            token, ttl = self.sealed(await self._login())
            if ttl > 0:
                await self._guard(None, store.aput, namespace, token.sealed, ttl)
            return token
        finally:
            await self._guard(None, store.arelease, namespace, owner)

    async def _login(self) -> Token:
        sent_at = self.clock()
        try:
            response = await self._send(self.login_request())
        except httpx.TransportError as exc:
            raise APIConnectionError.from_httpx(LOGIN, exc, self.secrets.redact) from exc
        if response.status_code == 429:
            await self.publish_pause(retry_after(response))
        return self.accept(response, sent_at)

    async def publish_pause(self, retry_after: float | None) -> None:
        """A 429 answered to this client: pause it, and the fleet through a shared store."""
        seconds = self.rate_limited(retry_after)
        if seconds > 0:
            await self._guard(None, self.store.apause, self.namespace, seconds)

    async def throttle(self) -> None:
        """Wait for the fleet's rate limit (bounded by the retry cap; a failing store does not hold calls)."""
        await self._guard(None, self.store.athrottle, self.namespace, self.pause_cap)

    def after_fork(self) -> None:
        super().after_fork()
        self._locks = weakref.WeakKeyDictionary()
