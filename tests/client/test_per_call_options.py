"""Per-call control: `with_options` views (one login, one connection pool, no leaked descriptors), `timeout` as a
number or an `httpx.Timeout`, `with_raw_response`, and the request id on errors; both clients."""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from partner_api import (
    APIConnectionError,
    AsyncPartnerClient,
    NotFoundError,
    PartnerClient,
    RetryPolicy,
    ServerError,
)
from partner_api.models import UserResponse

VIEWS = 1000


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture
def seeded(sandbox: Any) -> Any:
    sandbox.seed_users(3)
    return sandbox


class Client:
    """A client of either flavour that owns its connection pool (the path a user types), called alike."""

    def __init__(self, mode: str, sandbox: Any, **options: Any) -> None:
        cls = PartnerClient if mode == "sync" else AsyncPartnerClient
        self.mode = mode
        self.client: Any = cls(sandbox.base_url, sandbox.project_id, sandbox.private_key, **options)

    async def call(self, target: Any, method: str, **arguments: Any) -> Any:
        result = getattr(target, method)(**arguments)
        return await result if self.mode == "async" else result

    async def close(self) -> None:
        if self.mode == "sync":
            self.client.close()
        else:
            await self.client.aclose()


@pytest.fixture
async def make(seeded: Any, mode: str) -> AsyncIterator[Any]:
    made: list[Client] = []

    def build(**options: Any) -> Client:
        made.append(Client(mode, seeded, **options))
        return made[-1]

    yield build
    for c in made:
        await c.close()


async def test_a_thousand_views_share_one_login_and_one_pool_and_leak_no_descriptor(make: Any, seeded: Any) -> None:
    c = make()
    await c.call(c.client, "get_user", user_id=1)  # the pool's connection and the token exist before the views
    gc.collect()  # what earlier tests of this process left is closed now, not during the count below
    pool, descriptors = c.client._pool(), open_descriptors()
    for number in range(VIEWS):
        view = c.client.with_options(timeout=5.0 + number % 3, max_retries=number % 3)
        if number % 100 == 0:
            view = view.with_options(retry=RetryPolicy(max_retries=1))  # nested
        assert (await c.call(view, "get_user", user_id=1 + number % 3)).user.id == 1 + number % 3
        assert view._pool() is pool
    del view
    gc.collect()
    assert seeded.stats().logins == 1
    assert c.client.login_count == 1
    assert c.client._pool() is pool
    assert open_descriptors() <= descriptors  # no view opened one (fewer: another test's socket closed meanwhile)
    stats = seeded.stats()
    assert stats.requests["getUser"] == VIEWS + 1


async def test_views_nest_and_each_keeps_its_own_settings(make: Any, seeded: Any) -> None:
    c = make(max_retries=2)
    quick = c.client.with_options(timeout=httpx.Timeout(3.0, connect=1.0), max_retries=0)
    patient = quick.with_options(retry=RetryPolicy(max_retries=3, backoff=0.001))
    assert quick._settings.timeout == httpx.Timeout(3.0, connect=1.0)
    assert patient._settings.timeout == quick._settings.timeout  # inherited from the view it came from
    assert patient._settings.retry.max_retries == 3
    assert c.client._settings.retry.max_retries == 2  # the client itself is untouched
    both = c.client.with_options(retry=RetryPolicy(max_retries=3), max_retries=1)
    assert both._settings.retry.max_retries == 1  # max_retries replaces the given policy's own

    seeded.inject_fault("getUser", status=503, count=1)
    with pytest.raises(ServerError):
        await c.call(quick, "get_user", user_id=1)  # no retry
    assert seeded.stats().requests["getUser"] == 1
    seeded.inject_fault("getUser", status=503, count=3)
    assert (await c.call(patient, "get_user", user_id=1)).user.id == 1  # three retries
    assert seeded.stats().requests["getUser"] == 5
    assert seeded.stats().logins == 1


async def test_a_views_timeout_applies_to_its_calls_only(make: Any, seeded: Any) -> None:
    c = make(timeout=10.0, max_retries=0)
    await c.call(c.client, "get_user", user_id=1)
    seeded.inject_fault("getUser", latency=0.5, count=2)
    hurried = c.client.with_options(timeout=0.1)
    with pytest.raises(APIConnectionError) as caught:
        await c.call(hurried, "get_user", user_id=1)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert (await c.call(c.client, "get_user", user_id=1)).user.id == 1  # the client's own 10 s
    seeded.inject_fault("getUser", latency=0.5)
    with pytest.raises(APIConnectionError):
        await c.call(c.client.with_options(timeout=httpx.Timeout(5.0, read=0.1)), "get_user", user_id=2)


@pytest.mark.parametrize(
    ("timeout", "error"),
    [
        (0, ValueError),
        (-1.0, ValueError),
        (True, TypeError),
        ("5", TypeError),
        (httpx.Timeout(5.0, read=0), ValueError),
    ],
)
async def test_a_bad_timeout_is_refused_before_anything_is_sent(
    make: Any, seeded: Any, mode: str, timeout: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match="timeout"):
        make(timeout=timeout)
    c = make()
    with pytest.raises(error, match="timeout"):
        c.client.with_options(timeout=timeout)
    assert seeded.stats().total_requests == 0


async def test_closing_the_client_closes_its_views_and_closing_a_view_closes_nothing(make: Any, mode: str) -> None:
    c = make()
    view = c.client.with_options(timeout=3.0)
    inner = view.with_options(max_retries=0)
    if mode == "sync":
        inner.close()
    else:
        await inner.aclose()
    assert (await c.call(view, "get_user", user_id=1)).user.id == 1  # still open
    await c.close()
    for closed in (view, inner, c.client):
        with pytest.raises(RuntimeError, match="closed"):
            await c.call(closed, "get_user", user_id=1)


async def test_an_async_view_follows_its_client_to_a_new_event_loop(seeded: Any) -> None:
    """The pool lives on the client: a view used under another loop reopens the client's pool, not one of its own."""
    client = AsyncPartnerClient(seeded.base_url, seeded.project_id, seeded.private_key)
    view = client.with_options(timeout=3.0)
    await view.get_user(user_id=1)

    def elsewhere() -> int:
        async def run() -> int:
            return (await view.get_user(user_id=2)).user.id

        return asyncio.run(run())

    assert await asyncio.to_thread(elsewhere) == 2
    assert (await client.get_user(user_id=3)).user.id == 3
    assert client.login_count == 1
    assert "_http" not in vars(view)
    await client.aclose()


async def test_raw_response_gives_the_status_headers_elapsed_time_and_the_typed_answer(make: Any) -> None:
    c = make()
    raw = await c.call(c.client.with_raw_response, "get_user", user_id=2)
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.elapsed.total_seconds() > 0
    assert raw.request_id is not None and len(raw.request_id) == 32
    assert raw.request_id == raw.headers["x-request-id"]
    answer = raw.parse()
    assert isinstance(answer, UserResponse)
    assert answer == await c.call(c.client, "get_user", user_id=2)
    assert raw.parse() is answer
    view_raw = await c.call(c.client.with_options(max_retries=0).with_raw_response, "list_licenses")
    assert view_raw.parse().licenses


async def test_the_request_id_shows_on_errors(make: Any, seeded: Any) -> None:
    c = make(max_retries=0)
    with pytest.raises(NotFoundError) as caught:
        await c.call(c.client, "get_user", user_id=999_999)
    request_id = caught.value.request_id
    assert request_id is not None and len(request_id) == 32
    assert request_id not in str(caught.value)  # the error's text stays what it was: the id is an attribute
    with pytest.raises(NotFoundError) as raw_caught:
        await c.call(c.client.with_raw_response, "get_user", user_id=999_999)
    assert raw_caught.value.request_id not in (None, request_id)
    seeded.inject_fault("getUser", status=502, body="html")  # a proxy's page: the header still names the request
    with pytest.raises(ServerError) as proxied:
        await c.call(c.client, "get_user", user_id=1)
    assert proxied.value.request_id is not None


def test_the_request_id_header_is_named_once() -> None:
    root = Path(__file__).resolve().parents[2] / "overlays"
    named = [path for path in root.rglob("*.py") if "x-request-id" in path.read_text().lower()]
    assert [path.name for path in named] == ["_exceptions.py"]
