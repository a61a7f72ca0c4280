"""RedisTokenStore against a real redis-server: sharing, TTL from the server's timestamps, atomic
compare-and-delete, garbage entries, encryption at rest, namespaces, outages, asyncio."""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx
import pytest
import redis
from partner_api import AsyncPartnerClient, PartnerClient, RateLimitedError
from partner_api.sandbox import SandboxServer
from partner_api.token_stores import RedisTokenStore
from partner_api.token_stores._crypto import TokenCipher
from partner_api.token_stores._keys import namespace_for

from .conftest import RedisServer, free_port


def _token_key(sandbox: SandboxServer) -> str:
    return f"partner_api:{{{namespace_for(sandbox.base_url, sandbox.project_id)}}}:token"


def test_clients_share_one_login_and_the_key_lives_as_long_as_the_token(redis_server: RedisServer) -> None:
    tokens: list[str] = []

    def saw(response: httpx.Response) -> None:
        if response.url.path.endswith("/login"):
            response.read()
            tokens.append(response.json()["access_token"])

    with SandboxServer(admin=True, token_ttl=600) as sandbox:
        store = RedisTokenStore.from_url(redis_server.url)
        http = httpx.Client(event_hooks={"response": [saw]})
        with sandbox.client(token_store=store, http_client=http, refresh_margin=60) as first:
            first.list_licenses()
            with sandbox.client(token_store=RedisTokenStore.from_url(redis_server.url)) as second:
                second.list_licenses()
                assert (first.login_count, second.login_count) == (1, 0)
        http.close()
        assert sandbox.stats().logins == 1
        raw = redis_server.client()
        pttl = raw.pttl(_token_key(sandbox))
        assert (600 - 1 - 60 - 5) * 1000 < pttl <= (600 - 1 - 60) * 1000  # lifetime from the server, minus margin
        dump = b"".join(raw.dump(key) or b"" for key in raw.keys("*"))  # a Redis dump grants nothing
        assert tokens and tokens[0].encode() not in dump
        assert sandbox.private_key.encode() not in dump
        assert raw.keys("*") == [_token_key(sandbox).encode()]  # the lock was released
        assert "redis://" not in repr(store)


@pytest.mark.parametrize("garbage", [b"garbage", b"\x01" + b"\x00" * 40, None])
def test_garbage_or_foreign_entries_are_ignored_and_overwritten(
    redis_server: RedisServer, sandbox: SandboxServer, garbage: bytes | None
) -> None:
    raw = redis_server.client()
    namespace = namespace_for(sandbox.base_url, sandbox.project_id)
    value = garbage if garbage is not None else TokenCipher("another-key", namespace).seal("stolen")
    raw.set(_token_key(sandbox), value)  # no TTL: not one of ours either
    with sandbox.client(token_store=RedisTokenStore.from_url(redis_server.url)) as client:
        client.list_licenses()
        assert client.login_count == 1
    assert raw.get(_token_key(sandbox)) != value
    assert raw.pttl(_token_key(sandbox)) > 0
    with sandbox.client(token_store=RedisTokenStore.from_url(redis_server.url)) as again:
        again.list_licenses()
        assert again.login_count == 0
    stats = sandbox.stats()
    assert (stats.logins, stats.not_authorized) == (1, 0)


def test_two_projects_share_one_redis_without_mixing_tokens(redis_server: RedisServer) -> None:
    with SandboxServer(admin=True, project_id="alpha") as alpha, SandboxServer(admin=True, project_id="beta") as beta:
        for sandbox in (alpha, beta, alpha, beta):
            with sandbox.client(token_store=RedisTokenStore.from_url(redis_server.url)) as client:
                client.list_licenses()
        for sandbox in (alpha, beta):
            stats = sandbox.stats()
            assert (stats.logins, stats.not_authorized) == (1, 0)
    assert len(redis_server.client().keys("partner_api:*:token")) == 2


async def test_async_clients_share_redis_with_sync_ones(redis_server: RedisServer, sandbox: SandboxServer) -> None:
    store = RedisTokenStore.from_url(redis_server.url)
    async with AsyncPartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key, token_store=store) as aio:
        await aio.list_licenses()
        sandbox.revoke_tokens()
        await aio.list_licenses()  # rejected, compare-and-invalidate in Redis, one login
        assert aio.login_count == 2
    with sandbox.client(token_store=store) as sync:
        sync.list_licenses()
        assert sync.login_count == 0
    assert sandbox.stats().logins == 2


async def test_a_store_on_a_given_asyncio_client(redis_server: RedisServer, sandbox: SandboxServer) -> None:
    import redis.asyncio

    given = redis.asyncio.Redis.from_url(redis_server.url)
    store = RedisTokenStore(given)
    async with AsyncPartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key, token_store=store) as aio:
        await aio.list_licenses()
    await given.aclose()
    sync_store = RedisTokenStore(redis_server.client())
    with sandbox.client(token_store=sync_store) as sync:
        sync.list_licenses()
        assert sync.login_count == 0
    with pytest.raises(TypeError, match=r"redis\.asyncio"):
        store.get("ns")
    with pytest.raises(TypeError, match="AsyncPartnerClient"):
        sandbox.client(token_store=store)
    with pytest.raises(TypeError, match="redis_client"):
        RedisTokenStore("redis://localhost")  # type: ignore[arg-type]


def test_redis_down_then_back(sandbox: SandboxServer, tmp_path: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="partner_api")
    server = RedisServer(tmp_path)
    server.port = free_port()
    server.url = f"redis://127.0.0.1:{server.port}/0"
    clients = [sandbox.client(token_store=RedisTokenStore.from_url(server.url)) for _ in range(3)]
    try:
        for client in clients:
            for _ in range(3):
                client.list_licenses()  # Redis is down: local logins, no failure
        assert sandbox.stats().logins == 3
        down = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(down) == 3  # one WARNING per store object, not one per call
        assert all("unavailable (ConnectionError)" in r.getMessage() for r in down)
        assert all("redis://" not in r.getMessage() for r in caplog.records)
        server.start()
        sandbox.revoke_tokens()
        sandbox.reset_stats()
        for client in clients:
            client.list_licenses()
        assert sandbox.stats().logins == 1  # sharing resumed
        assert len([r for r in caplog.records if "shared again" in r.getMessage()]) == 3
        assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 3
    finally:
        server.kill()
        for client in clients:
            client.close()


def test_a_shared_store_costs_no_round_trip_while_the_token_is_valid(
    redis_server: RedisServer, sandbox: SandboxServer
) -> None:
    raw = redis_server.client()
    with sandbox.client(token_store=RedisTokenStore.from_url(redis_server.url)) as client:
        client.list_licenses()
        before = int(raw.info("stats")["total_commands_processed"])
        for _ in range(50):
            client.list_licenses()
        after = int(raw.info("stats")["total_commands_processed"])
    # only the INFO itself, and the background pause watcher (at most a few polls in the meantime)
    assert after - before <= 1 + 10
    assert isinstance(client, PartnerClient)


def test_a_slow_redis_costs_a_short_timeout_not_a_failure(
    redis_server: RedisServer, sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    import threading

    caplog.set_level(logging.WARNING, logger="partner_api")
    blocker = threading.Thread(target=lambda: redis_server.client().execute_command("DEBUG", "SLEEP", "3"))
    store = RedisTokenStore.from_url(redis_server.url, socket_timeout=0.3)
    blocker.start()
    try:
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        probe = redis.Redis(port=redis_server.port, socket_timeout=0.1, retry=Retry(NoBackoff(), 0))
        for _ in range(200):  # until the server is really asleep
            try:
                probe.ping()
            except redis.TimeoutError:
                break
            time.sleep(0.01)
        else:
            pytest.fail("redis-server never went to sleep")
        with sandbox.client(token_store=store) as client:
            for _ in range(3):
                client.list_licenses()
            assert client.login_count == 1
    finally:
        blocker.join()
    # (stores of earlier tests whose Redis is gone may log too: count this outage's warning)
    warnings = [r.getMessage() for r in caplog.records if "unavailable (TimeoutError)" in r.getMessage()]
    assert len(warnings) == 1
    assert sandbox.stats().logins == 1


def test_the_shared_pause_is_bounded_by_the_retry_cap(redis_server: RedisServer, sandbox: SandboxServer) -> None:
    from partner_api import RetryPolicy

    store = RedisTokenStore.from_url(redis_server.url)
    sandbox.inject_fault("listLicenses", status=429, retry_after=3600, count=1)
    policy = RetryPolicy(max_retries=1, max_retry_after=1.0)
    with sandbox.client(token_store=store, retry_policy=policy) as client:
        client.list_licenses()  # 429, a 1 s wait (not an hour), then OK
    namespace = namespace_for(sandbox.base_url, sandbox.project_id)
    assert store.paused_for(namespace) <= 1.0
    assert sandbox.stats().faults == {"listLicenses": 1}


def test_a_forked_child_keeps_sharing(redis_server: RedisServer, sandbox: SandboxServer) -> None:
    import multiprocessing

    store = RedisTokenStore.from_url(redis_server.url)
    with sandbox.client(token_store=store) as client:
        client.list_licenses()
        sandbox.revoke_tokens()
        results: multiprocessing.Queue[tuple[int, int]] = multiprocessing.get_context("fork").Queue()

        def child() -> None:
            client.list_licenses()  # rejected, one login, stored for the parent
            results.put((client.login_count, 0))

        process = multiprocessing.get_context("fork").Process(target=child)
        process.start()
        try:
            child_logins, _ = results.get(timeout=60)
        finally:
            process.join(30)
            if process.is_alive():
                process.kill()
        client.list_licenses()  # the parent's token was revoked too: the child's login serves it
        assert (child_logins, client.login_count) == (2, 1)
    stats = sandbox.stats()
    assert stats.logins == 2


def test_url_forms_through_from_env(redis_server: RedisServer, sandbox: SandboxServer, monkeypatch: Any) -> None:
    monkeypatch.setenv("PARTNER_API_BASE_URL", sandbox.base_url)
    monkeypatch.setenv("PARTNER_API_PROJECT_ID", sandbox.project_id)
    monkeypatch.setenv("PARTNER_API_PRIVATE_KEY", sandbox.private_key)
    for url in (redis_server.url, f"unix://{redis_server.socket}?db=0", "memory:"):
        monkeypatch.setenv("PARTNER_API_TOKEN_STORE", url)
        with PartnerClient.from_env() as first, PartnerClient.from_env() as second:
            first.list_licenses()
            second.list_licenses()
    assert sandbox.stats().logins == 1 + 0 + 2  # Redis over TCP, the same Redis over its socket, then memory stores


def test_a_foreign_lock_without_ttl_delays_a_login_by_lock_ttl_only(
    redis_server: RedisServer, sandbox: SandboxServer
) -> None:
    raw = redis_server.client()
    lock = f"partner_api:{{{namespace_for(sandbox.base_url, sandbox.project_id)}}}:lock"
    raw.set(lock, "not-ours")  # no TTL: would block forever if trusted
    with sandbox.client(token_store=RedisTokenStore.from_url(redis_server.url, lock_ttl=0.5)) as client:
        client.list_licenses()
        assert client.login_count == 1
    assert raw.pttl(_token_key(sandbox)) > 0  # the token is shared all the same
    assert raw.get(lock) == b"not-ours"  # not ours to delete


def test_the_scripts_are_registered_once_per_connection(
    redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Registering hashes the script on the client side, so the server cannot show it: counted by wrapping
    redis-py's own `register_script`. The login lock is redis-py's `Lock`: its scripts are its own."""
    from partner_api.token_stores._redis_shared import COMPARE_AND_DELETE, EXTEND_PAUSE

    registered: list[str] = []
    register = redis.Redis.register_script

    def counting(self: redis.Redis, script: Any) -> Any:
        registered.append(script)
        return register(self, script)

    monkeypatch.setattr(redis.Redis, "register_script", counting)
    store = RedisTokenStore.from_url(redis_server.url)
    for turn in range(5):
        store.put("ns", b"x", 60)
        assert store.delete_if("ns", b"x")
        store.pause("ns", 1)
        assert store.acquire("ns", f"owner-{turn}", 5)
        store.release("ns", f"owner-{turn}")
    assert registered.count(COMPARE_AND_DELETE) == 1
    assert registered.count(EXTEND_PAUSE) == 1
    assert redis_server.client().keys("partner_api:*:lock") == []


def test_the_login_lock_is_redis_pys_lock_with_the_owner_as_its_token(redis_server: RedisServer) -> None:
    store = RedisTokenStore.from_url(redis_server.url)
    raw = redis_server.client()
    assert store.acquire("ns", "owner-1", 5)
    assert raw.get("partner_api:{ns}:lock") == b"owner-1"
    assert 4000 < raw.pttl("partner_api:{ns}:lock") <= 5000
    theirs = redis.lock.Lock(raw, "partner_api:{ns}:lock", timeout=5)
    assert not theirs.acquire(blocking=False)  # one lock, whoever asks
    store.release("ns", "owner-1")
    assert theirs.acquire(blocking=False)
    assert not store.acquire("ns", "owner-2", 5)
    theirs.release()


async def test_a_store_on_an_asyncio_client_does_not_report_its_watcher_failing(
    redis_server: RedisServer, sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    """The fleet's pause is polled from a thread, which an asyncio-only connection cannot serve: no watcher (it
    used to fail every poll with a TypeError and report the store unavailable). Pauses are still published."""
    import asyncio

    import redis.asyncio

    caplog.set_level(logging.INFO, logger="partner_api")
    given = redis.asyncio.Redis.from_url(redis_server.url)
    store = RedisTokenStore(given)
    store.pause_poll_interval = 0.01
    sandbox.inject_fault("createUser", status=429, retry_after=5, count=1)
    async with AsyncPartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key, token_store=store) as aio:
        with pytest.raises(RateLimitedError):
            await aio.create_user(username="limited")  # a mutation: not retried; the pause is published
        await asyncio.sleep(0.2)  # twenty watcher polls, had there been a watcher
    await given.aclose()
    namespace = namespace_for(sandbox.base_url, sandbox.project_id)
    assert redis_server.client().pttl(f"partner_api:{{{namespace}}}:pause") > 0
    assert [r.getMessage() for r in caplog.records if "unavailable" in r.getMessage()] == []
    assert not store.health.failing
