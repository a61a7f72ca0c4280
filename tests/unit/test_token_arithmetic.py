"""Token arithmetic: lifetime from the server's own timestamps, the whole-second allowance, the margin capped at
half the lifetime, and when a token is due for renewal on an injected monotonic clock.

`TokenManager` / `AsyncTokenManager` are driven with a scripted login endpoint (no network) and a `FakeClock`;
the end-to-end counterparts (the sandbox's token TTL and clock offset) are in tests/client/test_lifecycle.py
and tests/reliability/test_faults.py.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from partner_api import APIConnectionError, AuthenticationError, ServerError
from partner_api._async._tokens import AsyncTokenManager
from partner_api._secrets import Secret, SecretRegistry
from partner_api._settings import TokenSettings
from partner_api._sync._tokens import TokenManager
from partner_api._tokens import Token

from tests.support.clock import FakeClock

LOGIN_URL = httpx.URL("https://partner.example.com/partner/login")
KEY = "pk-unit-test-private-key"
SERVER_NOW = 1_764_460_800  # the server's clock: any value, the client never compares it with its own


def login_ok(ttl: int, token: str, create_time: int = SERVER_NOW) -> dict[str, Any]:
    return {"result": "OK", "access_token": token, "create_time": create_time, "expire_time": create_time + ttl}


class LoginEndpoint:
    """A scripted `/partner/login`: answers in order, records each request, can move the clock while answering."""

    def __init__(self, clock: FakeClock, *answers: dict[str, Any] | httpx.Response | Exception) -> None:
        self.clock = clock
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.latency = 0.0  # seconds the fake clock moves while a login is answered

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.clock.advance(self.latency)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        return httpx.Response(200, json=answer, request=request)

    async def asend(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0)  # let other tasks run, as a real round trip would
        return self(request)


def settings(clock: FakeClock, margin: float) -> TokenSettings:
    return TokenSettings(login_url=LOGIN_URL, project_id="project", private_key=Secret(KEY), refresh_margin=margin,
                         clock=clock)  # fmt: skip


def manager(clock: FakeClock, endpoint: LoginEndpoint, margin: float = 60.0) -> TokenManager:
    return TokenManager(settings(clock, margin), SecretRegistry(KEY), send=endpoint)


# (ttl = expire_time - create_time, refresh margin, expected lifetime, expected renewal after login)
ARITHMETIC = [
    (3600, 60.0, 3599.0, 3539.0),  # one second counted as spent: stamped N, maybe issued at N + 0.99
    (3600, 0.0, 3599.0, 3599.0),
    (3600, 3000.0, 3599.0, 1799.5),  # margin capped at half the lifetime
    (60, 60.0, 59.0, 29.5),
    (30, 60.0, 29.0, 14.5),
    (4, 1.0, 3.0, 2.0),
    (100, 49.5, 99.0, 49.5),  # margin exactly half
    (100, 49.6, 99.0, 49.5),
    (2, 60.0, 1.0, 0.5),
    (1, 60.0, 0.0, 0.0),  # a token that is due at once
    (0, 60.0, 0.0, 0.0),
    (-30, 60.0, 0.0, 0.0),  # expire before create: never a negative lifetime
]


@pytest.mark.parametrize(("ttl", "margin", "lifetime", "renew_after"), ARITHMETIC)
def test_lifetime_margin_and_renewal_time(ttl: int, margin: float, lifetime: float, renew_after: float) -> None:
    clock = FakeClock(500.0)
    tokens = manager(clock, LoginEndpoint(clock, login_ok(ttl, "token-1")), margin=margin)
    token = tokens.get()
    assert token.lifetime == lifetime
    assert token.renew_at == 500.0 + renew_after
    assert token.value == Secret("token-1")


@pytest.mark.parametrize("create_time", [1, SERVER_NOW - 7200, SERVER_NOW + 7200, 4_000_000_000])
def test_the_servers_clock_does_not_matter(create_time: int) -> None:
    """Only the difference of the two timestamps counts: a server hours ahead or behind gives the same token."""
    clock = FakeClock()
    token = manager(clock, LoginEndpoint(clock, login_ok(3600, "t", create_time))).get()
    assert (token.lifetime, token.renew_at) == (3599.0, 1000.0 + 3539.0)


def test_renewal_is_anchored_when_the_login_was_sent() -> None:
    """A slow login answer eats into the token's life: the clock is read before sending, not after the answer."""
    clock = FakeClock(1000.0)
    endpoint = LoginEndpoint(clock, login_ok(3600, "t"))
    endpoint.latency = 5.0
    token = manager(clock, endpoint).get()
    assert clock() == 1005.0
    assert token.renew_at == 1000.0 + 3539.0


def test_a_token_is_due_at_renew_at_exactly() -> None:
    token = Token(value=Secret("t"), renew_at=100.0, lifetime=50.0)
    assert token.usable(99.999) is True
    assert token.usable(100.0) is False
    assert token.usable(250.0) is False


def test_due_and_renewal_times_on_the_injected_clock() -> None:
    clock = FakeClock(1000.0)
    endpoint = LoginEndpoint(clock, login_ok(60, "first"), login_ok(60, "second"), login_ok(60, "third"))
    tokens = manager(clock, endpoint)
    first = tokens.get()  # 59 s of life, renewed 29.5 s early: due at 1029.5
    clock.advance(29.499)
    assert tokens.get() is first
    assert len(endpoint.requests) == 1
    clock.advance(0.001)
    second = tokens.get()
    assert second.value == Secret("second")
    assert second.renew_at == 1029.5 + 29.5
    assert len(endpoint.requests) == 2
    assert tokens.get() is second
    clock.advance(29.5)
    assert tokens.get().value == Secret("third")
    assert tokens.logins == 3


def test_wall_clock_fallback_without_create_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """No `create_time` in the answer: the lifetime is `expire_time` minus the wall clock, for that answer only."""
    monkeypatch.setattr(time, "time", lambda: 10_000.25)
    clock = FakeClock(1000.0)
    answer = {"result": "OK", "access_token": "t", "expire_time": 11_000}
    token = manager(clock, LoginEndpoint(clock, answer)).get()
    assert token.lifetime == 999.75
    assert token.renew_at == 1000.0 + 999.75 - 60.0


def test_compare_and_invalidate() -> None:
    """A rejected token is dropped only if it is still the current one: N failures with it cause one login."""
    clock = FakeClock()
    endpoint = LoginEndpoint(clock, login_ok(3600, "old"), login_ok(3600, "new"))
    tokens = manager(clock, endpoint)
    old = tokens.get()
    new = tokens.renew(old)
    assert new.value == Secret("new")
    for _ in range(5):  # the other requests that were sent with the old token
        assert tokens.renew(old) is new
    assert len(endpoint.requests) == 2
    assert tokens.logins == 2


def test_the_login_request_and_the_token_registered_as_a_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="partner_api")
    clock = FakeClock()
    endpoint = LoginEndpoint(clock, login_ok(3600, "token-abcdef"))
    tokens = manager(clock, endpoint)
    tokens.get()
    (request,) = endpoint.requests
    assert (request.method, request.url) == ("POST", LOGIN_URL)
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qs(request.content.decode(), strict_parsing=True) == {"login": ["project"], "password": [KEY]}
    assert tokens.secrets.redact("Bearer token-abcdef") == "Bearer ********"
    assert [r.getMessage() for r in caplog.records] == [
        "partner_api login #1: token valid for 3599 s, renewed 60 s early"
    ]


@pytest.mark.parametrize(
    ("answer", "error", "result"),
    [
        (httpx.Response(401, json={"result": "NOT_AUTHORIZED", "error": "wrong key"}), AuthenticationError,
         "NOT_AUTHORIZED"),
        (httpx.Response(200, json={"result": "NOT_AUTHORIZED"}), AuthenticationError, "NOT_AUTHORIZED"),
        (httpx.Response(200, json={"result": "OK", "create_time": 1, "expire_time": 3601}), AuthenticationError, "OK"),
        (httpx.Response(503, content=b""), ServerError, "HTTP_503"),
        (httpx.ConnectError("refused"), APIConnectionError, "CONNECTION_ERROR"),
    ],
)  # fmt: skip
def test_a_failed_login_raises_and_caches_nothing(answer: Any, error: type[Exception], result: str) -> None:
    clock = FakeClock()
    if isinstance(answer, httpx.Response):
        answer.request = httpx.Request("POST", LOGIN_URL)
    endpoint = LoginEndpoint(clock, answer, login_ok(3600, "good"))
    tokens = manager(clock, endpoint)
    with pytest.raises(error) as caught:
        tokens.get()
    assert (caught.value.result, caught.value.operation) == (result, "login")  # type: ignore[attr-defined]
    assert (tokens.current, tokens.logins) == (None, 0)
    assert tokens.get().value == Secret("good")  # the next call simply tries again
    assert len(endpoint.requests) == 2


def test_negative_margin_is_refused() -> None:
    clock = FakeClock()
    with pytest.raises(ValueError, match="refresh_margin must be >= 0"):
        manager(clock, LoginEndpoint(clock), margin=-1.0)


def amanager(clock: FakeClock, endpoint: LoginEndpoint, margin: float = 60.0) -> AsyncTokenManager:
    return AsyncTokenManager(settings(clock, margin), SecretRegistry(KEY), send=endpoint.asend)


async def test_async_single_flight_and_renewal() -> None:
    clock = FakeClock(1000.0)
    endpoint = LoginEndpoint(clock, login_ok(30, "first"), login_ok(30, "second"))
    tokens = amanager(clock, endpoint)
    got = await asyncio.gather(*(tokens.get() for _ in range(50)))
    assert len(endpoint.requests) == 1
    assert all(token is got[0] for token in got)
    assert got[0].renew_at == 1000.0 + 14.5
    clock.advance(14.5)
    renewed = await asyncio.gather(*(tokens.renew(got[0]) for _ in range(50)))
    assert len(endpoint.requests) == 2
    assert all(token.value == Secret("second") for token in renewed)
    assert tokens.logins == 2
