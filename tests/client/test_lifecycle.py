"""The token lifecycle, end to end against the sandbox, with an injected monotonic clock."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from partner_api import AsyncPartnerClient, PartnerClient

from tests.support.clock import FakeClock
from tests.support.transport import Wire


def test_login_is_lazy_and_happens_once(client: PartnerClient, wire: Wire) -> None:
    assert wire.requests == []
    client.create_user(username="lazy")
    for _ in range(5):
        client.get_user(username="lazy")
    assert wire.count("/partner/login") == 1
    assert client.login_count == 1


def test_explicit_login(client: PartnerClient, wire: Wire) -> None:
    client.login()
    assert wire.paths == ["/partner/login"]
    client.login()  # a valid token: nothing to do
    assert wire.paths == ["/partner/login"]


def test_renewal_at_the_margin(client: PartnerClient, wire: Wire, clock: FakeClock) -> None:
    client.create_user(username="renew")  # sandbox tokens live 3600 s; margin 60 s
    # Whole-second timestamps: the client counts 3599 s, so it renews 3539 s after logging in.
    clock.advance(3539 - 0.5)
    client.get_user(username="renew")
    assert wire.count("/partner/login") == 1
    clock.advance(1)
    client.get_user(username="renew")
    assert wire.count("/partner/login") == 2
    assert wire.tokens[0] != wire.tokens[1]


def test_64_threads_from_cold_start_cause_one_login(sandbox: Any) -> None:
    with PartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key) as client:
        client_owner = PartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key)
        client_owner.create_user(username="threads")
        client_owner.close()
        logins_before = sandbox.stats()["logins"]
        barrier = threading.Barrier(64)

        def work(_: int) -> str:
            barrier.wait()
            user = client.get_user(username="threads").user
            return user.username if user else ""

        with ThreadPoolExecutor(64) as pool:
            names = list(pool.map(work, range(64)))
    assert names == ["threads"] * 64
    assert client.login_count == 1
    assert sandbox.stats()["logins"] - logins_before == 1


async def test_500_tasks_from_cold_start_cause_one_login(sandbox: Any) -> None:
    async with AsyncPartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key) as client:
        results = await asyncio.gather(*(client.list_licenses() for _ in range(500)))
    assert len(results) == 500
    assert client.login_count == 1
    assert sandbox.stats()["logins"] == 1


def test_async_client_survives_a_new_event_loop(sandbox: Any) -> None:
    client = AsyncPartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key)

    async def call(name: str) -> str:
        user = (await client.create_user(username=name)).user
        return user.username if user else ""

    assert asyncio.run(call("loop-one")) == "loop-one"
    assert asyncio.run(call("loop-two")) == "loop-two"  # the first loop is closed by now
    assert client.login_count == 1
    asyncio.run(client.aclose())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_gets_fresh_connections_and_locks(sandbox: Any) -> None:
    client = PartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key)
    client.create_user(username="parent")
    parent_http = client._http
    pid = os.fork()
    if pid == 0:  # child: must not reuse the parent's pool; a failure exits non-zero
        code = 1
        try:
            ok = client._http is not parent_http and client.get_user(username="parent").user is not None
            code = 0 if ok else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert client.get_user(username="parent").user is not None  # the parent is unaffected
    client.close()


def _exit_code_of_child(pid: int, timeout: float = 10.0) -> int:
    """The exit code of a forked child; a child still running after `timeout` s is killed and counts as hung."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return -1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_does_not_inherit_a_held_secret_registry_lock(sandbox: Any) -> None:
    # Another thread of the parent may be recording a new token at the moment of the fork: the child's first
    # login must not wait forever for a lock no thread of the child will release.
    client = PartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key, timeout=5.0)
    with client._secrets._lock:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                client.login()
                code = 0
            finally:
                os._exit(code)
    assert _exit_code_of_child(pid) == 0  # -1: the child hung on the lock
    client.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_low_level_async_client_gets_fresh_connections(sandbox: Any) -> None:
    client = AsyncPartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key)
    parent_http = client.low_level.get_async_httpx_client()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            child_http = client.low_level.get_async_httpx_client()
            code = 0 if child_http is client._http and child_http is not parent_http else 2
        finally:
            os._exit(code)
    assert _exit_code_of_child(pid) == 0
    asyncio.run(client.aclose())
