"""The contract every shared token store keeps, checked on each, through separate views of the same storage (as
separate processes see it): compare-and-delete, the owner-only login lock, expiry, the longest 429 pause winning,
and one login for every client sharing the store after a revocation."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from partner_api.sandbox import SandboxServer
from partner_api.token_stores import FileTokenStore, RedisTokenStore

from .conftest import RedisServer

Views = tuple[FileTokenStore | RedisTokenStore, FileTokenStore | RedisTokenStore]


@pytest.fixture(params=["file", "redis"])
def new_view(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], FileTokenStore | RedisTokenStore]:
    """Makes another view of one shared storage: a file, or a Redis server."""
    if request.param == "file":
        return lambda: FileTokenStore(tmp_path / "tokens", lock_ttl=5)
    server: RedisServer = request.getfixturevalue("redis_server")
    return lambda: RedisTokenStore.from_url(server.url)


@pytest.fixture
def views(new_view: Callable[[], FileTokenStore | RedisTokenStore]) -> Views:
    return new_view(), new_view()


def _eventually(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_compare_and_delete(views: Views) -> None:
    store, other = views
    store.put("ns", b"old", 60)
    assert not other.delete_if("ns", b"other")
    assert other.get("ns") is not None
    assert other.delete_if("ns", b"old")
    assert store.get("ns") is None


def test_only_the_owner_releases_the_login_lock_and_an_expired_lock_is_anybodys(views: Views) -> None:
    store, other = views
    assert store.acquire("ns", "me", 5)
    assert not other.acquire("ns", "you", 5)
    other.release("ns", "you")  # not the owner: nothing happens
    assert not other.acquire("ns", "you", 5)
    store.release("ns", "me")
    assert other.acquire("ns", "you", 5)
    assert store.acquire("expiring", "me", 0.05)
    assert _eventually(lambda: other.acquire("expiring", "you", 5))


def test_entries_expire_and_the_longest_pause_wins(views: Views) -> None:
    store, other = views
    store.put("short", b"x", 0.05)
    assert _eventually(lambda: other.get("short") is None)
    store.pause("ns", 3)
    other.pause("ns", 1)  # a shorter pause does not shorten the running one
    assert 2 < store.paused_for("ns") <= 3


def test_a_revocation_costs_one_login_for_the_clients_sharing_a_store(
    new_view: Callable[[], FileTokenStore | RedisTokenStore], sandbox: SandboxServer
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
