"""The contract every shared token store keeps, checked on each, through two views of the same storage (as two
processes see it): compare-and-delete, the owner-only login lock, expiry, and the longest 429 pause winning."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from partner_api.token_stores import FileTokenStore, RedisTokenStore

from .conftest import RedisServer

Views = tuple[FileTokenStore | RedisTokenStore, FileTokenStore | RedisTokenStore]


@pytest.fixture(params=["file", "redis"])
def views(request: pytest.FixtureRequest, tmp_path: Path) -> Views:
    if request.param == "file":
        return FileTokenStore(tmp_path / "tokens", lock_ttl=5), FileTokenStore(tmp_path / "tokens")
    server: RedisServer = request.getfixturevalue("redis_server")
    return RedisTokenStore.from_url(server.url), RedisTokenStore.from_url(server.url)


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
