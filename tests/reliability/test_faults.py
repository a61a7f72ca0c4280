"""Fault suite, end to end against the sandbox's fault knobs, with `PartnerClient` and `AsyncPartnerClient`.

Every case asserts the outcome (result or exception class and fields), how many requests the server saw
for the operation and for login, the waits the client asked for (sleep is injected, nothing really
waits), and that the same client still works afterwards. Counts come from the sandbox's own statistics;
the client's recording transport supplies only what a server cannot see (a connection refused before
anything reached it).
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from partner_api import (
    AlreadyExistsError,
    APIConnectionError,
    AuthenticationError,
    InvalidParametersError,
    NotFoundError,
    PartnerAPIError,
    RateLimitedError,
    RetryPolicy,
    ServerError,
)

from tests.support.clock import FakeClock
from tests.support.harness import Harness, MakeHarness
from tests.support.transport import closed_port

RETRIED_STATUSES = (502, 503, 504)
USER = 1  # a seeded user
DROPPED = (httpx.RemoteProtocolError, httpx.ReadError)  # what httpx raises for a closed or reset connection


async def assert_usable(h: Harness) -> None:
    """After the fault is gone the same client works: one request, and no new login if it had a token."""
    h.sandbox.clear_faults()
    logins, requests = h.client.login_count, h.served("getUser")
    assert (await h.call("get_user", user_id=USER)).user.id == USER
    assert h.served("getUser") == requests + 1
    assert h.client.login_count == max(logins, 1)


async def create_user_named(h: Harness, name: str) -> Any:
    return await h.call("create_user", username=name)


async def user_exists(h: Harness, name: str) -> bool:
    try:
        await h.call("get_user", username=name)
    except NotFoundError:
        return False
    return True


# --- the connection: refused, reset, dropped, timeouts -------------------------------------------------------


async def test_connection_refused_nothing_listening(harness: MakeHarness) -> None:
    """A closed port: the login cannot connect; retried (nothing was sent) up to max_retries, then a clear error."""
    h = harness(base_url=f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(APIConnectionError) as caught:
        await h.call("get_user", user_id=USER)
    error = caught.value
    assert isinstance(error.__cause__, httpx.ConnectError)
    assert error.request_sent is False
    assert error.operation == "login"  # the failure is the login's; getUser was never sent
    assert error.status_code is None
    assert h.wire.count("/partner/login") == 3  # 1 + max_retries attempts, none reached a server
    assert h.wire.count("/partner/v2/getUser") == 0
    assert len(h.waits) == 2
    assert h.client.login_count == 0


async def test_connection_refused_mutation_is_retried_nothing_listening(harness: MakeHarness) -> None:
    """A mutation that never reached a server may be repeated: connection refused is retried for it too."""
    h = harness(base_url=f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(APIConnectionError) as caught:
        await create_user_named(h, "never-sent")
    assert caught.value.request_sent is False
    assert h.wire.count("/partner/login") == 3
    assert len(h.waits) == 2


async def test_connection_refused_then_mutation_goes_through(harness: MakeHarness) -> None:
    """createUser's first connect is refused (transport stand-in: a server cannot refuse one request): the
    mutation is retried, reaches the server once, and the user exists once."""
    h = harness()
    await h.call("login")
    h.transport.refusals.refuse("/partner/v2/createUser", times=1)
    created = await create_user_named(h, "refused-once")
    assert created.user.username == "refused-once"
    assert h.wire.refused == ["/partner/v2/createUser"]
    assert h.served("createUser") == 1
    assert h.served("login") == 1
    assert len(h.waits) == 1
    await assert_usable(h)


async def test_connection_refused_every_time_mutation_gives_up(harness: MakeHarness) -> None:
    h = harness()
    await h.call("login")
    h.transport.refusals.refuse("/partner/v2/createUser", times=10)
    with pytest.raises(APIConnectionError) as caught:
        await create_user_named(h, "refused-always")
    assert caught.value.request_sent is False
    assert h.wire.refused == ["/partner/v2/createUser"] * 3
    assert h.served("createUser") == 0
    assert len(h.waits) == 2
    assert not await user_exists(h, "refused-always")
    await assert_usable(h)


async def test_reset_mid_response_read_is_retried(harness: MakeHarness) -> None:
    h = harness()
    h.sandbox.inject_fault("getUser", reset=True, count=1)
    assert (await h.call("get_user", user_id=USER)).user.id == USER
    assert h.served("getUser") == 2
    assert h.served("login") == 1
    assert len(h.waits) == 1
    await assert_usable(h)


async def test_reset_mid_response_read_every_time(harness: MakeHarness) -> None:
    h = harness()
    h.sandbox.inject_fault("getUser", reset=True, count=10)
    with pytest.raises(APIConnectionError) as caught:
        await h.call("get_user", user_id=USER)
    assert isinstance(caught.value.__cause__, DROPPED)
    assert caught.value.request_sent is True
    assert h.served("getUser") == 3
    assert h.served("login") == 1
    assert len(h.waits) == 2
    await assert_usable(h)


async def test_reset_mid_response_mutation_sent_once(harness: MakeHarness) -> None:
    """The server ran createUser and the answer was cut: repeating it would create the user twice."""
    h = harness()
    h.sandbox.inject_fault("createUser", reset=True, count=5)
    with pytest.raises(APIConnectionError) as caught:
        await create_user_named(h, "half-answered")
    assert isinstance(caught.value.__cause__, DROPPED)
    assert caught.value.request_sent is True
    assert h.served("createUser") == 1
    assert h.waits == []
    h.sandbox.clear_faults()
    assert await user_exists(h, "half-answered")  # it did reach the server
    with pytest.raises(AlreadyExistsError):  # and a blind retry by the caller would be refused
        await create_user_named(h, "half-answered")
    await assert_usable(h)


async def test_dropped_connection_read_is_retried(harness: MakeHarness) -> None:
    h = harness()
    h.sandbox.inject_fault("getUser", drop=True, count=1)
    assert (await h.call("get_user", user_id=USER)).user.id == USER
    assert h.served("getUser") == 2
    assert len(h.waits) == 1


async def test_dropped_connection_mutation_sent_once(harness: MakeHarness) -> None:
    """No answer at all after the request was sent: it may have been processed, so it is not repeated."""
    h = harness()
    h.sandbox.inject_fault("createUser", drop=True, count=5)
    with pytest.raises(APIConnectionError) as caught:
        await create_user_named(h, "dropped")
    assert caught.value.request_sent is True
    assert isinstance(caught.value.__cause__, DROPPED)
    assert h.served("createUser") == 1
    assert h.waits == []
    h.sandbox.clear_faults()
    assert not await user_exists(h, "dropped")  # (the sandbox's drop does not run the operation)
    await assert_usable(h)


async def test_read_timeout_read_is_retried_then_gives_up(harness: MakeHarness) -> None:
    h = harness(timeout=0.3)
    await h.call("login")
    h.sandbox.inject_fault("getUser", latency=1.0, count=3)
    with pytest.raises(APIConnectionError) as caught:
        await h.call("get_user", user_id=USER)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert caught.value.request_sent is True
    assert h.served("getUser") == 3
    assert h.served("login") == 1
    assert len(h.waits) == 2
    await assert_usable(h)


async def test_read_timeout_once_then_success(harness: MakeHarness) -> None:
    h = harness(timeout=0.3)
    await h.call("login")
    h.sandbox.inject_fault("getUser", latency=1.0, count=1)
    assert (await h.call("get_user", user_id=USER)).user.id == USER
    assert h.served("getUser") == 2
    assert len(h.waits) == 1


async def test_read_timeout_mutation_sent_once(harness: MakeHarness) -> None:
    """The client gives up after 0.3 s without an answer: the request may have been processed, so it is not
    sent again (whatever the server did with it)."""
    h = harness(timeout=0.3)
    await h.call("login")
    h.sandbox.inject_fault("createUser", latency=0.8, count=5)
    with pytest.raises(APIConnectionError) as caught:
        await create_user_named(h, "slow-create")
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert caught.value.request_sent is True
    assert h.served("createUser") == 1
    assert h.waits == []
    await assert_usable(h)
    assert h.served("createUser") == 1


async def test_slow_responses_under_the_timeout(harness: MakeHarness) -> None:
    h = harness(timeout=2.0)
    h.sandbox.inject_fault("getUser", latency=0.15, count=3)
    for _ in range(3):
        assert (await h.call("get_user", user_id=USER)).user.id == USER
    assert h.served("getUser") == 3
    assert h.sandbox.stats().faults == {"getUser": 3}
    assert h.served("login") == 1
    assert h.waits == []


# --- HTTP statuses, bodies and envelopes ---------------------------------------------------------------------

STATUS_CASES = [(status, body) for status in (500, 502, 503, 504, 520) for body in ("json", "empty", "html")]


@pytest.mark.parametrize(("status", "body"), STATUS_CASES, ids=[f"{s}-{b}" for s, b in STATUS_CASES])
async def test_server_errors_on_a_read(harness: MakeHarness, status: int, body: str) -> None:
    """502/503/504 are retried for reads (then ServerError); 500 and proxies' 520 are not retried."""
    h = harness()
    h.sandbox.inject_fault("getUser", status=status, body=body, count=10)
    with pytest.raises(ServerError) as caught:
        await h.call("get_user", user_id=USER)
    error = caught.value
    assert error.status_code == status
    assert error.operation == "getUser"
    # an unknown status (a proxy's 520) is reported as such, whatever its body; known ones map by `result`
    assert error.result == ("INTERNAL_ERROR" if body == "json" and status != 520 else f"HTTP_{status}")
    expected = 3 if status in RETRIED_STATUSES else 1
    assert h.served("getUser") == expected
    assert h.served("login") == 1
    assert len(h.waits) == expected - 1
    assert all(0 <= wait <= RetryPolicy().max_backoff for wait in h.waits)
    await assert_usable(h)


@pytest.mark.parametrize(("status", "body"), STATUS_CASES, ids=[f"{s}-{b}" for s, b in STATUS_CASES])
async def test_server_errors_on_a_mutation_sent_once(harness: MakeHarness, status: int, body: str) -> None:
    h = harness()
    h.sandbox.inject_fault("createUser", status=status, body=body, count=10)
    with pytest.raises(ServerError) as caught:
        await create_user_named(h, f"e{status}{body}")
    assert caught.value.status_code == status
    assert h.served("createUser") == 1
    assert h.waits == []
    await assert_usable(h)


@pytest.mark.parametrize("status", RETRIED_STATUSES)
async def test_transient_server_error_on_a_read_recovers(harness: MakeHarness, status: int) -> None:
    h = harness()
    h.sandbox.inject_fault("listUsers", status=status, body="empty", count=1)
    page = await h.call("list_users", limit=2)
    assert [user.id for user in page.users] == [1, 2]
    assert h.served("listUsers") == 2
    assert len(h.waits) == 1


@pytest.mark.parametrize("body", ["json", "empty"])
async def test_429_retry_after_honoured(harness: MakeHarness, body: str) -> None:
    h = harness()
    h.sandbox.inject_fault("getUser", status=429, retry_after=7, body=body, count=1)
    assert (await h.call("get_user", user_id=USER)).user.id == USER
    assert h.waits == [7.0]  # the server's Retry-After, exactly
    assert h.served("getUser") == 2


async def test_429_retry_after_capped(harness: MakeHarness) -> None:
    h = harness(retry_policy=RetryPolicy(max_retry_after=5.0))
    h.sandbox.inject_fault("getUser", status=429, retry_after=120, count=1)
    assert (await h.call("get_user", user_id=USER)).user.id == USER
    assert h.waits == [5.0]
    assert h.served("getUser") == 2


async def test_429_every_time(harness: MakeHarness) -> None:
    h = harness()
    h.sandbox.inject_fault("getUser", status=429, retry_after=3, count=10)
    with pytest.raises(RateLimitedError) as caught:
        await h.call("get_user", user_id=USER)
    assert caught.value.retry_after == 3.0
    assert (caught.value.result, caught.value.status_code) == ("TOO_MANY_REQUESTS", 429)
    assert h.waits == [3.0, 3.0]
    assert h.served("getUser") == 3
    await assert_usable(h)


async def test_429_on_a_mutation_is_not_retried(harness: MakeHarness) -> None:
    h = harness()
    h.sandbox.inject_fault("createUser", status=429, retry_after=2, count=10)
    with pytest.raises(RateLimitedError) as caught:
        await create_user_named(h, "limited")
    assert caught.value.retry_after == 2.0  # the caller can decide to wait and retry
    assert h.served("createUser") == 1
    assert h.waits == []
    await assert_usable(h)


async def test_server_rate_limit_knob(harness: MakeHarness) -> None:
    """The sandbox's own rate limiter (not a fault): 429 with Retry-After; the read waits what it is told
    (the injected sleep does not really wait, so every retry is limited too) and gives up after max_retries."""
    h = harness()
    await h.call("login")
    h.sandbox.set_rate_limit(0.05)  # a bucket of one request, refilled every 20 s
    await h.call("get_user", user_id=USER)  # takes the bucket's request
    with pytest.raises(RateLimitedError) as caught:
        await h.call("get_user", user_id=USER)
    assert caught.value.retry_after is not None
    assert caught.value.retry_after >= 1
    assert h.served("getUser") == 4
    assert h.sandbox.stats().rate_limited == 3
    assert len(h.waits) == 2
    assert all(wait >= 1 for wait in h.waits)
    h.sandbox.set_rate_limit(None)
    await assert_usable(h)


@pytest.mark.parametrize("body", ["malformed", "html", "empty"])
async def test_non_json_200_is_a_server_error_not_retried(harness: MakeHarness, body: str) -> None:
    """The API's own answer (a 2xx) is described, never quoted: it may hold data that must not reach a log."""
    h = harness()
    h.sandbox.inject_fault("getUser", status=200, body=body, count=10)
    with pytest.raises(ServerError) as caught:
        await h.call("get_user", user_id=USER)
    assert caught.value.status_code == 200
    assert caught.value.result == "MALFORMED_ANSWER"
    assert caught.value.message == "malformed answer: the answer: expected object, received not JSON"
    assert h.served("getUser") == 1
    assert h.waits == []
    await assert_usable(h)


ERROR_IN_200 = [
    ("NOT_FOUND", NotFoundError, 1),
    ("INVALID_PARAMETERS", InvalidParametersError, 1),
    ("USER_ALREADY_EXISTS", AlreadyExistsError, 1),
    ("INTERNAL_ERROR", ServerError, 1),
    ("NEVER_LISTED", PartnerAPIError, 1),  # a code the spec does not list: an error by its status, never a success
]


@pytest.mark.parametrize(("result", "error", "requests"), ERROR_IN_200, ids=[r[0] for r in ERROR_IN_200])
async def test_200_with_an_error_result(
    harness: MakeHarness, result: str, error: type[PartnerAPIError], requests: int
) -> None:
    """Some deployments answer errors with HTTP 200: `result` decides, not the status."""
    h = harness()
    h.sandbox.inject_fault("getUser", status=200, result=result, count=10)
    with pytest.raises(error) as caught:
        await h.call("get_user", user_id=USER)
    assert type(caught.value) is error
    assert caught.value.result == result
    assert caught.value.status_code == 200
    assert caught.value.message == "injected fault (200)"
    assert h.served("getUser") == requests
    assert h.waits == []
    await assert_usable(h)


async def test_200_with_too_many_requests_result_is_retried_for_reads(harness: MakeHarness) -> None:
    h = harness()
    h.sandbox.inject_fault("getUser", status=200, result="TOO_MANY_REQUESTS", count=1)
    assert (await h.call("get_user", user_id=USER)).user.id == USER
    assert h.served("getUser") == 2
    assert len(h.waits) == 1  # no Retry-After header: the client's own backoff


async def test_200_with_not_authorized_result_renews_and_replays(harness: MakeHarness) -> None:
    h = harness()
    await h.call("get_user", user_id=USER)
    h.sandbox.inject_fault("getUser", status=200, result="NOT_AUTHORIZED", count=1)
    assert (await h.call("get_user", user_id=USER)).user.id == USER
    assert h.served("getUser") == 3
    assert h.served("login") == 2
    assert h.waits == []


# --- login ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["json", "empty"])
async def test_login_endpoint_down_read(harness: MakeHarness, body: str) -> None:
    """A 503 from the login endpoint: the read that needed the token is retried as a whole."""
    h = harness()
    h.sandbox.inject_fault("login", status=503, body=body, count=10)
    with pytest.raises(ServerError) as caught:
        await h.call("get_user", user_id=USER)
    assert caught.value.operation == "login"
    assert caught.value.status_code == 503
    assert h.served("login") == 3
    assert h.served("getUser") == 0
    assert h.sandbox.stats().logins == 0
    assert len(h.waits) == 2
    await assert_usable(h)
    assert h.served("login") == 4


async def test_login_endpoint_down_mutation(harness: MakeHarness) -> None:
    """A failed login proves the mutation was never sent, so the call is retried like a read."""
    h = harness()
    h.sandbox.inject_fault("login", status=503, count=10)
    with pytest.raises(ServerError) as caught:
        await create_user_named(h, "no-login")
    assert caught.value.operation == "login"
    assert h.served("login") == 3  # 1 + max_retries
    assert len(h.waits) == 2
    assert h.served("createUser") == 0
    await assert_usable(h)


async def test_login_connection_dropped(harness: MakeHarness) -> None:
    h = harness()
    h.sandbox.inject_fault("login", drop=True, count=10)
    with pytest.raises(APIConnectionError) as caught:
        await h.call("get_user", user_id=USER)
    assert isinstance(caught.value.__cause__, DROPPED)
    assert h.served("login") == 3
    assert h.served("getUser") == 0
    await assert_usable(h)


async def test_login_unknown_status_520(harness: MakeHarness) -> None:
    h = harness()
    h.sandbox.inject_fault("login", status=520, body="html", count=10)
    with pytest.raises(ServerError) as caught:
        await h.call("get_user", user_id=USER)
    assert caught.value.result == "HTTP_520"
    assert h.served("login") == 1
    assert h.waits == []


async def test_login_wrong_private_key(harness: MakeHarness) -> None:
    """NOT_AUTHORIZED from login: AuthenticationError at once, no retry, no API request; the next call (and an
    explicit `login()`) tries exactly one login again (no loop, no cached failure)."""
    h = harness(private_key="not-the-key")
    calls: list[tuple[str, dict[str, Any]]] = [("get_user", {"user_id": USER}), ("get_user", {"user_id": USER}),
                                               ("login", {})]  # fmt: skip
    for attempt, (method, arguments) in enumerate(calls):
        with pytest.raises(AuthenticationError) as caught:
            await h.call(method, **arguments)
        assert caught.value.result == "NOT_AUTHORIZED"
        assert caught.value.status_code == 401
        assert caught.value.operation == "login"
        assert "not-the-key" not in str(caught.value)
        assert h.served("login") == attempt + 1
    assert h.wire.paths == ["/partner/login"] * 3
    stats = h.sandbox.stats()
    assert stats.failed_logins == 3
    assert stats.logins == 0
    assert h.served("getUser") == 0
    assert h.waits == []


async def test_login_not_authorized_in_a_200(harness: MakeHarness) -> None:
    h = harness()
    h.sandbox.inject_fault("login", status=200, result="NOT_AUTHORIZED", count=1)
    with pytest.raises(AuthenticationError) as caught:
        await h.call("get_user", user_id=USER)
    assert caught.value.status_code == 200
    assert h.served("login") == 1
    assert h.served("getUser") == 0
    await assert_usable(h)


# --- the token lifecycle under faults -------------------------------------------------------------------------


async def test_token_revoked_mid_batch(harness: MakeHarness) -> None:
    """Ten calls, tokens revoked after five: one NOT_AUTHORIZED, one re-login, that request replayed."""
    h = harness()
    for index in range(10):
        if index == 5:
            assert h.sandbox.revoke_tokens() == 1
        assert (await h.call("get_user", user_id=USER)).user.id == USER
    stats = h.sandbox.stats()
    assert stats.logins == 2
    assert stats.not_authorized == 1
    assert h.served("getUser") == 11
    assert h.waits == []


async def test_token_revoked_under_concurrency_one_login(harness: MakeHarness, mode: str) -> None:
    """50 calls in flight when the token is revoked: compare-and-invalidate makes it one re-login."""
    h = harness()
    await h.call("get_user", user_id=USER)
    h.sandbox.revoke_tokens()
    if mode == "async":
        users = await asyncio.gather(*(h.client.get_user(user_id=USER) for _ in range(50)))
    else:
        users = await asyncio.gather(*(asyncio.to_thread(h.client.get_user, user_id=USER) for _ in range(50)))
    assert len(users) == 50
    assert all(answer.user.id == USER for answer in users)
    stats = h.sandbox.stats()
    assert stats.logins == 2
    assert h.client.login_count == 2
    assert 1 <= stats.not_authorized <= 50
    assert h.served("getUser") == 1 + 50 + stats.not_authorized  # each rejected request replayed once
    assert h.wire.count("/partner/v2/getUser") == 1 + 50 + stats.not_authorized


async def test_token_rejected_right_after_login_is_not_a_loop(harness: MakeHarness) -> None:
    h = harness()
    h.sandbox.inject_fault("getUser", status=401, result="NOT_AUTHORIZED", count=10)
    with pytest.raises(AuthenticationError) as caught:
        await h.call("get_user", user_id=USER)
    assert caught.value.operation == "getUser"
    assert caught.value.result == "NOT_AUTHORIZED"
    assert h.served("getUser") == 2
    assert h.served("login") == 2
    assert h.waits == []
    await assert_usable(h)


@pytest.mark.parametrize("offset_hours", [2, -2])
async def test_server_clock_skew(harness: MakeHarness, offset_hours: int) -> None:
    """Server clock 2 h ahead or behind: the lifetime comes from the server's own two timestamps, so the
    token serves every call until the client's monotonic clock says renew (3600 - 60 s)."""
    clock = FakeClock()
    h = harness(clock=clock)
    h.sandbox.set_clock_offset(offset_hours * 3600)
    for _ in range(20):
        await h.call("get_user", user_id=USER)
        clock.advance(60)  # 19 x 60 s = 1140 s: well inside the token's hour
    assert h.sandbox.stats().logins == 1
    clock.advance(3540 - 1200 + 1)  # just past renew time
    await h.call("get_user", user_id=USER)
    stats = h.sandbox.stats()
    assert stats.logins == 2  # renewed before expiry ...
    assert stats.not_authorized == 0  # ... so an expired token was never sent
    assert h.served("getUser") == 21


async def test_token_lifetime_shorter_than_refresh_margin(harness: MakeHarness) -> None:
    """A 30 s token with a 60 s margin: the margin is capped at half the lifetime (29 s once the whole-second
    timestamps are accounted for: renew at 14.5 s), so it is not a login before every call."""
    clock = FakeClock()
    h = harness(clock=clock, refresh_margin=60.0)
    h.sandbox.set_token_ttl(30)
    for _ in range(10):
        await h.call("get_user", user_id=USER)
    assert h.sandbox.stats().logins == 1
    clock.advance(14.4)
    await h.call("get_user", user_id=USER)
    assert h.sandbox.stats().logins == 1
    clock.advance(0.2)
    await h.call("get_user", user_id=USER)
    stats = h.sandbox.stats()
    assert stats.logins == 2
    assert stats.not_authorized == 0


# --- retry bounds and mutations -------------------------------------------------------------------------------

RETRY_FAULTS: dict[str, dict[str, Any]] = {
    "503": {"status": 503},
    "502-empty": {"status": 502, "body": "empty"},
    "reset": {"reset": True},
    "drop": {"drop": True},
    "429": {"status": 429, "retry_after": 4},
}


@pytest.mark.parametrize("max_retries", [0, 1, 4])
@pytest.mark.parametrize("fault", list(RETRY_FAULTS))
async def test_retries_never_exceed_max_retries(harness: MakeHarness, max_retries: int, fault: str) -> None:
    policy = RetryPolicy(max_retries=max_retries, backoff=0.5, max_backoff=2.0)
    h = harness(retry_policy=policy)
    h.sandbox.inject_fault("getUser", count=50, **RETRY_FAULTS[fault])
    with pytest.raises(PartnerAPIError):
        await h.call("get_user", user_id=USER)
    assert h.served("getUser") == max_retries + 1
    assert h.served("login") == 1
    assert len(h.waits) == max_retries
    if fault == "429":
        assert h.waits == [4.0] * max_retries
    else:
        assert all(0 <= wait <= policy.max_backoff for wait in h.waits)
    await assert_usable(h)


async def test_max_retries_option(harness: MakeHarness) -> None:
    h = harness(max_retries=5)
    h.sandbox.inject_fault("getUser", status=504, count=50)
    with pytest.raises(ServerError):
        await h.call("get_user", user_id=USER)
    assert h.served("getUser") == 6
    assert len(h.waits) == 5


MUTATIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "createUser": ("create_user", {"username": "mut-new"}),
    "updateUser": ("update_user", {"user_id": USER, "enabled": False}),
    "deleteUser": ("delete_user", {"user_id": USER}),
    "setUserTrafficLimit": ("set_user_traffic_limit", {"user_id": USER, "traffic_limit": 10**9}),
    "resetUserTraffic": ("reset_user_traffic", {"user_id": USER}),
    "addUserPurchase": ("add_user_purchase", {"user_id": USER, "type": "apple", "receipt": {"n": 0}}),
}
MUTATION_FAULTS: dict[str, dict[str, Any]] = {
    "reset": {"reset": True},
    "drop": {"drop": True},
    "503": {"status": 503},
    "502-html": {"status": 502, "body": "html"},
    "504-empty": {"status": 504, "body": "empty"},
}


@pytest.mark.parametrize("fault", list(MUTATION_FAULTS))
@pytest.mark.parametrize("operation", list(MUTATIONS))
async def test_mutation_never_sent_twice(harness: MakeHarness, operation: str, fault: str) -> None:
    h = harness(max_retries=4)
    h.sandbox.inject_fault(operation, count=10, **MUTATION_FAULTS[fault])
    method, arguments = MUTATIONS[operation]
    with pytest.raises(PartnerAPIError):
        await h.call(method, **arguments)
    assert h.served(operation) == 1
    assert h.waits == []
    h.sandbox.clear_faults()
    assert h.served("login") == 1


async def test_a_series_of_faults_one_client(harness: MakeHarness) -> None:
    """One client through a run of different failures: each fails cleanly, the next call works, one login."""
    h = harness(timeout=0.5)
    faults: list[tuple[dict[str, Any], type[Exception]]] = [
        ({"status": 500}, ServerError),
        ({"status": 520, "body": "html"}, ServerError),
        ({"status": 200, "body": "malformed"}, ServerError),
        ({"status": 404, "result": "NOT_FOUND"}, NotFoundError),
        ({"reset": True, "count": 3}, APIConnectionError),
        ({"latency": 1.0, "count": 3}, APIConnectionError),
        ({"status": 429, "retry_after": 1, "count": 3}, RateLimitedError),
    ]
    for spec, error in faults:
        h.sandbox.inject_fault("getUser", **spec)
        with pytest.raises(error):
            await h.call("get_user", user_id=USER)
        await assert_usable(h)
    assert h.sandbox.stats().logins == 1
    assert h.client.login_count == 1
