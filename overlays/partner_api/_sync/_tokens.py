"""The token lifecycle's I/O (`_sync/_tokens.py` is generated from `_async/`: edit that one); the rest is in
`.._tokens`. Logins, waits for the login lock and 429 pauses each happen in one method here."""

from __future__ import annotations

import os
import time
from typing import Any, TypeVar

import httpx

from .._envelope import retry_after
from .._exceptions import APIConnectionError
from .._tokens import LOGIN, Token, TokenLifecycle
from .._twins import SyncOperation, SyncSend, sync_sleep

__all__ = ["TokenManager"]
T = TypeVar("T")


class TokenManager(TokenLifecycle[SyncSend]):
    """N callers needing a token cause one login (one per fleet with a shared store); store failures fail no call."""

    def get(self) -> Token:
        """A usable token: the local copy, else the store's, else a login (single flight)."""
        token = self.valid()  # fast path: no lock, no store while the token is valid
        if token is not None:
            return token
        with self._lock:
            token = self.valid() or self._obtain()
            self.current = token
            return token

    def renew(self, rejected: Token) -> Token:
        """After `rejected` was refused: drop it here and in the store if still current, then a usable token
        (one login for N callers, and for M processes sharing a store)."""
        with self._lock:
            self.invalidate(rejected)
            token = self.valid()
            if token is None and rejected.sealed is not None:
                self._guard(False, self.store.delete_if, self.namespace, rejected.sealed)
            token = token or self._obtain()
            self.current = token
            return token

    def _obtain(self) -> Token:
        """The store's token, else a login under the store's login lock."""
        token = self._stored()
        if token is not None:
            return token
        owner = os.urandom(16).hex()
        held, token = self._wait_for_lock(owner)
        if token is not None:
            return token  # the holder's login, read from the store
        try:
            return self._stored() or self._login_and_share()  # (stored just before we locked?)
        finally:
            if held:
                self._guard(None, self.store.release, self.namespace, owner)

    def _wait_for_lock(self, owner: str) -> tuple[bool, Token | None]:
        """The store's login lock, polling for the holder's token meanwhile: (the lock is ours, the holder's token).
        Neither: log in without it (the store failed, or a lock outlived two TTLs: not one of ours)."""
        store = self.store
        give_up = time.monotonic() + 2 * store.lock_ttl
        while True:
            held = self._guard(None, store.acquire, self.namespace, owner, store.lock_ttl)  # None: failed
            if held is not False or time.monotonic() > give_up:
                return bool(held), None
            sync_sleep(store.poll_interval)
            token = self._stored()
            if token is not None:
                return False, token

    def _stored(self) -> Token | None:
        return self.read_entry(self._guard(None, self.store.get, self.namespace))

    def _login_and_share(self) -> Token:
        token, ttl = self.seal(self._login())
        if ttl > 0:
            self._guard(None, self.store.put, self.namespace, token.sealed, ttl)
        return token

    def _login(self) -> Token:
        sent_at = self.clock()
        try:
            response = self._send(self.login_request())
        except httpx.TransportError as exc:
            raise APIConnectionError.from_httpx(LOGIN, exc, self.secrets.redact) from exc
        if response.status_code == 429:
            self.rate_limited(retry_after(response))
        return self.logged_in(response, sent_at)

    # ---- the 429 back-off (the state is `self.pause`) ----
    def wait_turn(self) -> None:
        """Before a request: wait out this client's (or the fleet's) pause, then for the fleet's rate limit (a
        failing store does not hold calls)."""
        left = self.pause.left()
        if left > 0:
            sync_sleep(left)
        if self.pause.throttled and self.backoff is not None:
            self._guard(None, self.backoff.throttle, self.namespace, self.pause.cap)

    def rate_limited(self, retry_after: float | None) -> None:
        """A 429 answered to this client: pause it, and the fleet through a shared back-off."""
        seconds = self.pause.rate_limited(retry_after)
        if seconds > 0 and self.backoff is not None:
            self._guard(None, self.backoff.pause, self.namespace, seconds)

    def _guard(self, default: T, operation: SyncOperation[T], *args: Any) -> T:
        """`operation(*args)` on the store; on any failure, `default` (the call goes on without the store)."""
        try:
            result = operation(*args)
        except Exception as error:  # whatever the store raises, the call must not fail
            self.store.health.failed(error)
            return default
        self.store.health.ok()
        return result
