"""`TokenStore`: where clients share the access token and the login lock.

A store keeps opaque entries (sealed tokens) with a time to live that the store itself measures, so hosts
whose clocks disagree still agree on when a token is due, and a login lock that expires by itself. Every
method takes the namespace of one (base URL, project id). The client calls a store only on its slow path
(a token due, a login, a rejection); a failing store never fails a call: the client logs in locally and
says so once per outage. The fleet's 429 back-off is another protocol (`FleetBackoff`), which a store may
also implement.
"""

from __future__ import annotations

import abc
import logging
import os
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ClassVar, NamedTuple, ParamSpec, Protocol, TypeVar

if TYPE_CHECKING:
    from ._backoff import FleetBackoff

__all__ = ["AsyncCommands", "StoreHealth", "StoredEntry", "TokenStore", "off_the_loop"]

logger = logging.getLogger("partner_api.token_stores")  # a child of `partner_api`: the CLI shows its warnings alone
P = ParamSpec("P")
T = TypeVar("T")


class StoredEntry(NamedTuple):
    """A sealed token and the seconds it stays usable (until its renewal time)."""

    blob: bytes
    ttl: float


class StoreHealth:
    """One WARNING when a store starts failing, one INFO when it answers again: never a log flood."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._lock = threading.Lock()
        self.failing = False
        self.failures = 0

    def failed(self, error: BaseException) -> None:
        with self._lock:
            self.failures += 1
            first = not self.failing
            self.failing = True
        if first:  # the type only: a driver's message may quote a URL with its password
            logger.warning(
                "partner_api token store %s unavailable (%s): calls go on with local logins until it is back",
                self._name, type(error).__name__,
            )  # fmt: skip

    def ok(self) -> None:
        if self.failing:
            with self._lock:
                back, self.failing = self.failing, False
            if back:
                logger.info("partner_api token store %s is back: the token is shared again", self._name)

    def after_fork(self) -> None:
        self._lock = threading.Lock()


async def off_the_loop(blocking: bool, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`function(*args)` from a coroutine: in a worker thread when it may block, so the event loop keeps running."""
    if not blocking:
        return function(*args, **kwargs)
    import asyncio  # here, not at the top: a program without asyncio does not load it

    return await asyncio.to_thread(function, *args, **kwargs)


class AsyncCommands(Protocol):
    """A backend's own asyncio calls for the store's methods (see `TokenStore.async_commands`)."""

    def get(self, namespace: str) -> Awaitable[StoredEntry | None]: ...

    def put(self, namespace: str, blob: bytes, ttl: float) -> Awaitable[None]: ...

    def delete_if(self, namespace: str, blob: bytes) -> Awaitable[bool]: ...

    def acquire(self, namespace: str, owner: str, ttl: float) -> Awaitable[bool]: ...

    def release(self, namespace: str, owner: str) -> Awaitable[None]: ...


class TokenStore(abc.ABC):
    """What a client needs from a shared store: a backend implements the five sync methods.

    The async methods run them in a worker thread (they may wait on a disk or a network), unless the backend says
    they never block (`blocking = False`) or brings its own asyncio calls (`async_commands`).
    """

    encrypted: ClassVar[bool] = True
    """Entries leave this process: the client seals tokens (AES-GCM) before storing them."""
    blocking: ClassVar[bool] = True
    """The sync methods may wait (disk, network): async callers run them in a worker thread."""

    lock_ttl: float = 15.0
    """Seconds a login lock lives: how long the holder's death can delay the others."""
    poll_interval: float = 0.05
    """Seconds between checks of the store while another process logs in."""
    serves_sync: bool = True
    """False for a store that only has an asyncio connection (a `PartnerClient` refuses it)."""

    def __init__(self) -> None:
        self.health = StoreHealth(type(self).__name__)
        self._pid = os.getpid()

    @property
    def backoff(self) -> FleetBackoff | None:
        """The fleet's 429 back-off this store also keeps (None: each client backs off alone)."""
        from ._backoff import FleetBackoff

        return self if isinstance(self, FleetBackoff) else None

    # ---- the entry of a namespace ----
    @abc.abstractmethod
    def get(self, namespace: str) -> StoredEntry | None:
        """The entry and its remaining lifetime, or None."""

    @abc.abstractmethod
    def put(self, namespace: str, blob: bytes, ttl: float) -> None:
        """Store `blob` for `ttl` seconds (replacing any entry)."""

    @abc.abstractmethod
    def delete_if(self, namespace: str, blob: bytes) -> bool:
        """Delete the entry only if it is still `blob` (compare-and-invalidate, atomic)."""

    # ---- the login lock ----
    @abc.abstractmethod
    def acquire(self, namespace: str, owner: str, ttl: float) -> bool:
        """Take the login lock for `ttl` seconds if nobody holds it (never waits)."""

    @abc.abstractmethod
    def release(self, namespace: str, owner: str) -> None:
        """Release the login lock if `owner` still holds it (compare-and-delete; otherwise nothing happens)."""

    # ---- asyncio ----
    def async_commands(self) -> AsyncCommands | None:
        """The backend's own asyncio calls for the running event loop, if it has any (None: worker threads)."""
        return None

    async def aget(self, namespace: str) -> StoredEntry | None:
        commands = self.async_commands()
        if commands is not None:
            return await commands.get(namespace)
        return await off_the_loop(self.blocking, self.get, namespace)

    async def aput(self, namespace: str, blob: bytes, ttl: float) -> None:
        commands = self.async_commands()
        if commands is not None:
            return await commands.put(namespace, blob, ttl)
        return await off_the_loop(self.blocking, self.put, namespace, blob, ttl)

    async def aacquire(self, namespace: str, owner: str, ttl: float) -> bool:
        commands = self.async_commands()
        if commands is not None:
            return await commands.acquire(namespace, owner, ttl)
        return await off_the_loop(self.blocking, self.acquire, namespace, owner, ttl)

    async def adelete_if(self, namespace: str, blob: bytes) -> bool:
        commands = self.async_commands()
        if commands is not None:
            return await commands.delete_if(namespace, blob)
        return await off_the_loop(self.blocking, self.delete_if, namespace, blob)

    async def arelease(self, namespace: str, owner: str) -> None:
        commands = self.async_commands()
        if commands is not None:
            return await commands.release(namespace, owner)
        return await off_the_loop(self.blocking, self.release, namespace, owner)

    # ---- processes ----
    def after_fork(self) -> None:
        """In a forked child (once, however many clients share the store): fresh locks and connections."""
        if self._pid == os.getpid():
            return
        self._pid = os.getpid()
        self.health.after_fork()
        self._reset_after_fork()

    def _reset_after_fork(self) -> None:  # noqa: B027 - optional: a store with nothing to renew skips it
        """What a subclass renews in a forked child (its locks: a parent's thread may have held one)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
