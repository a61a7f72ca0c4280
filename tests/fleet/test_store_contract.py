"""The contract every token store keeps, checked on each through separate views of the same storage (as separate
processes see it), with its sync methods and with its async ones: compare-and-delete, the owner-only login lock,
expiry, the longest 429 pause winning (stores that keep a `FleetBackoff`), and one login for every client sharing
the store after a revocation. A new backend needs only the five `TokenStore` methods (two more to share the 429
back-off), and its async methods then run off the event loop."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from partner_api import AsyncPartnerClient
from partner_api.sandbox import SandboxServer
from partner_api.token_stores import FileTokenStore, FleetBackoff, MemoryTokenStore, RedisTokenStore, TokenStore

from .conftest import RedisServer

Views = tuple[TokenStore, TokenStore]
Call = Callable[..., Awaitable[Any]]


@pytest.fixture(params=["memory", "file", "redis"])
def new_view(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], TokenStore]:
    """Makes another view of one shared storage: a memory store (one instance is its storage), a file, a Redis."""
    if request.param == "memory":
        shared = MemoryTokenStore()
        return lambda: shared
    if request.param == "file":
        return lambda: FileTokenStore(tmp_path / "tokens", lock_ttl=5)
    server: RedisServer = request.getfixturevalue("redis_server")
    return lambda: RedisTokenStore.from_url(server.url)


@pytest.fixture
def views(new_view: Callable[[], TokenStore]) -> Views:
    return new_view(), new_view()


@pytest.fixture(params=["sync", "async"])
def call(request: pytest.FixtureRequest) -> Call:
    """`await call(store, "get", namespace)`: the store's sync method, or its async one (`aget`)."""

    async def through(store: Any, method: str, *args: Any) -> Any:
        if request.param == "sync":
            return getattr(store, method)(*args)
        return await getattr(store, "a" + method)(*args)

    return through


async def _eventually(condition: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not await condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


async def test_compare_and_delete(views: Views, call: Call) -> None:
    store, other = views
    await call(store, "put", "ns", b"old", 60)
    assert not await call(other, "delete_if", "ns", b"other")
    assert await call(other, "get", "ns") is not None
    assert await call(other, "delete_if", "ns", b"old")
    assert await call(store, "get", "ns") is None


async def test_only_the_owner_releases_the_login_lock_and_an_expired_lock_is_anybodys(views: Views, call: Call) -> None:
    store, other = views
    assert await call(store, "acquire", "ns", "me", 5)
    assert not await call(other, "acquire", "ns", "you", 5)
    await call(other, "release", "ns", "you")  # not the owner: nothing happens
    assert not await call(other, "acquire", "ns", "you", 5)
    await call(store, "release", "ns", "me")
    assert await call(other, "acquire", "ns", "you", 5)
    assert await call(store, "acquire", "expiring", "me", 0.05)
    assert await _eventually(lambda: call(other, "acquire", "expiring", "you", 5))


async def test_entries_expire(views: Views, call: Call) -> None:
    store, other = views
    await call(store, "put", "short", b"x", 0.05)
    assert await _eventually(lambda: _is_none(call(other, "get", "short")))


async def _is_none(value: Awaitable[Any]) -> bool:
    return await value is None


async def test_the_longest_pause_wins(views: Views, call: Call) -> None:
    store, other = views
    if not isinstance(store, FleetBackoff) or not isinstance(other, FleetBackoff):
        assert store.backoff is None  # the memory store: each client backs off alone
        return
    await call(store, "pause", "ns", 3)
    await call(other, "pause", "ns", 1)  # a shorter pause does not shorten the running one
    assert 2 < store.paused_for("ns") <= 3


def test_a_revocation_costs_one_login_for_the_clients_sharing_a_store(
    new_view: Callable[[], TokenStore], sandbox: SandboxServer
) -> None:
    clients = [sandbox.client(token_store=new_view()) for _ in range(4)]
    try:
        for client in clients:
            client.list_licenses()
        sandbox.revoke_tokens()
        sandbox.reset_stats()
        for client in clients:
            client.list_licenses()  # each is rejected once (or reads the new token first), replayed, succeeds
        stats = sandbox.stats()
        assert stats.logins == 1
        assert stats.not_authorized >= 1
    finally:
        for client in clients:
            client.close()


async def test_a_revocation_costs_one_login_for_the_async_clients_sharing_a_store(
    new_view: Callable[[], TokenStore], sandbox: SandboxServer
) -> None:
    clients = [
        AsyncPartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key, token_store=new_view())
        for _ in range(4)
    ]
    try:
        await asyncio.gather(*(client.list_licenses() for client in clients))
        sandbox.revoke_tokens()
        sandbox.reset_stats()
        await asyncio.gather(*(client.list_licenses() for client in clients))
        stats = sandbox.stats()
        assert stats.logins == 1
        assert stats.not_authorized >= 1
    finally:
        for client in clients:
            await client.aclose()


class WaitsForTheLoop(TokenStore, FleetBackoff):
    """A new backend: only the five `TokenStore` methods and the two of `FleetBackoff`, each of which waits until a
    task on the event loop has run (a blocking call: a disk, a network). Run on the loop itself, it never returns."""

    def __init__(self) -> None:
        super().__init__()
        self.loop_ran = threading.Event()
        self.calls: list[str] = []

    def _block(self, method: str) -> None:
        assert self.loop_ran.wait(10), f"{method} blocked the event loop"
        self.calls.append(method)

    def get(self, namespace: str) -> None:
        self._block("get")

    def put(self, namespace: str, blob: bytes, ttl: float) -> None:
        self._block("put")

    def delete_if(self, namespace: str, blob: bytes) -> bool:
        self._block("delete_if")
        return True

    def acquire(self, namespace: str, owner: str, ttl: float) -> bool:
        self._block("acquire")
        return True

    def release(self, namespace: str, owner: str) -> None:
        self._block("release")

    def pause(self, namespace: str, seconds: float) -> None:
        self._block("pause")

    def paused_for(self, namespace: str) -> float:
        return 0.0


@pytest.mark.parametrize(
    ("method", "args"),
    [("aget", ()), ("aput", (b"x", 1.0)), ("adelete_if", (b"x",)), ("aacquire", ("me", 1.0)),
     ("arelease", ("me",)), ("apause", (1.0,))],
)  # fmt: skip
async def test_a_new_backends_async_methods_do_not_block_the_event_loop(method: str, args: tuple[Any, ...]) -> None:
    store = WaitsForTheLoop()

    async def another_task() -> None:
        store.loop_ran.set()

    await asyncio.gather(getattr(store, method)("ns", *args), another_task())
    assert store.calls == [method.removeprefix("a")]
