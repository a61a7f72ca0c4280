"""The access token's lifecycle, the part without I/O: what a token is, how long it lives, how it is stored.

The lifetime comes from the server's own timestamps (`expire_time - create_time`) and is anchored on a
monotonic clock when the login request was sent, so a client whose wall clock is off neither logs in on
every call nor sends expired tokens. Renewal happens `margin` seconds before expiry, the margin capped at
half the lifetime so that a short-lived token still serves many calls.

The managers (`_async/_tokens.py`, and its generated twin `_sync/_tokens.py`) do the I/O: with a shared
`TokenStore`, a client whose local copy is due reads the store first and logs in only when the store has no
usable token, under the store's login lock (one login for the fleet); a rejected token is dropped from the
store only if the store still holds it. Store failures never fail a call: the client then logs in on its own.
While the local copy is valid, nothing touches the store. Only the managers set `current`.
"""

from __future__ import annotations

import logging
import time
from typing import Generic, NamedTuple, TypeVar

import httpx

from ._answers import STRICT_ANSWERS
from ._envelope import read_answer
from ._exceptions import AuthenticationError
from ._pause import Pause, unwatch, watch
from ._secrets import Secret, SecretRegistry
from ._settings import TokenSettings
from ._twins import FlightLock
from .token_stores._base import StoredEntry
from .token_stores._crypto import PlainCodec, TokenCipher, TokenCodec
from .token_stores._memory import MemoryTokenStore

__all__ = ["LOGIN", "Token", "TokenLifecycle"]

logger = logging.getLogger("partner_api")

LOGIN = "login"
_TIMESTAMP_RESOLUTION = 1.0  # seconds: create_time and expire_time are whole unix seconds
SendT = TypeVar("SendT")


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


class TokenLifecycle(Generic[SendT]):
    """What the sync and async managers share: the current token, the store and its namespace, this client's 429
    pause, and reading tokens from login answers and store entries (which never changes `current`).

    `send` sends the login request (sync or async: `SendT`), past the token lifecycle.
    """

    def __init__(self, settings: TokenSettings, secrets: SecretRegistry, *, send: SendT) -> None:
        self._send = send
        self._lock = FlightLock()
        self.settings = settings
        self.secrets = secrets
        self.clock = settings.clock
        self.current: Token | None = None
        self.logins = 0
        self.store = settings.store if settings.store is not None else MemoryTokenStore(clock=settings.clock)
        self.namespace = settings.namespace
        self.backoff = self.store.backoff
        self.pause = Pause(self.backoff, settings.max_pause, settings.clock)
        self._codec: TokenCodec | None = None
        if self.store.encrypted:  # a shared store: derive the key now, not during the first call
            self._codec = TokenCipher(settings.private_key.get(), self.namespace)
        self._watch()

    def _watch(self) -> None:
        # The pause is polled from a thread, with the store's sync calls (a store on an asyncio-only connection
        # still publishes its pauses, but cannot watch for the others').
        if self.backoff is not None and self.store.serves_sync:
            watch(self.backoff, self.store.health, self.namespace, self.pause)

    def close(self) -> None:
        """The client is closed: no more pause notices from the store's watcher."""
        if self.backoff is not None:
            unwatch(self.backoff, self.namespace, self.pause)

    def after_fork(self) -> None:
        """In a forked child: fresh locks (a parent's thread may have held one), and a watcher of its own."""
        self._lock = FlightLock()
        self.secrets.after_fork()
        self.store.after_fork()
        self._watch()

    @property
    def codec(self) -> TokenCodec:
        if self._codec is None:  # built on the first slow path: `cryptography` is not imported before
            self._codec = (
                TokenCipher(self.settings.private_key.get(), self.namespace) if self.store.encrypted else PlainCodec()
            )
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

    def read_entry(self, entry: StoredEntry | None) -> Token | None:
        """The usable token in a store entry; None for no entry, an expired one, or garbage (later overwritten)."""
        if entry is None or entry.ttl <= 0:
            return None
        value = self.codec.open(entry.blob)
        if value is None:
            return None
        self.secrets.add(value)
        return Token(value=Secret(value), renew_at=self.clock() + entry.ttl, lifetime=entry.ttl, sealed=entry.blob)

    def seal(self, token: Token) -> tuple[Token, float]:
        """`token` with its sealed form, and the seconds the store should keep it."""
        token = token._replace(sealed=self.codec.seal(token.value.get()))
        return token, token.renew_at - self.clock()

    def login_request(self) -> httpx.Request:
        """The documented login: a flat form `login=<project id>&password=<private key>`."""
        settings = self.settings
        return httpx.Request(
            "POST", settings.login_url, data={"login": settings.project_id, "password": settings.private_key.get()}
        )

    def logged_in(self, response: httpx.Response, sent_at: float) -> Token:
        """The token of a login answer, the login counted and logged; raises `AuthenticationError` (or another
        `PartnerAPIError`) when the login failed."""
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
        margin = min(self.settings.refresh_margin, lifetime / 2)
        self.logins += 1
        logger.info(
            "partner_api login #%d: token valid for %.0f s, renewed %.0f s early", self.logins, lifetime, margin
        )
        return Token(value=Secret(answer.access_token), renew_at=sent_at + lifetime - margin, lifetime=lifetime)
