"""Retry policy: which failures are retried for reads and for mutations, the waits, and the attempt counts.

The retry loop (`retrying`, sync and async) is driven directly with scripted attempts and a recording sleep; the
end-to-end counterparts (the sandbox's faults through both clients) are in tests/reliability/test_faults.py.
"""

from __future__ import annotations

import datetime
import logging
import random
from collections.abc import Callable

import httpx
import pytest
import time_machine
from partner_api import (
    AlreadyExistsError,
    APIConnectionError,
    AsyncPartnerClient,
    AuthenticationError,
    InvalidParametersError,
    NotFoundError,
    PartnerAPIError,
    PartnerClient,
    RateLimitedError,
    RetryPolicy,
    ServerError,
)
from partner_api._async._retrying import retrying as aretrying
from partner_api._sync._retrying import retrying
from partner_api_client.api import OPERATIONS
from partner_api_client.spec_facts import SAFE_TO_RETRY

from tests.support.clock import Sleeps


def server(status: int, operation: str = "getUser") -> ServerError:
    return ServerError("server", result=f"HTTP_{status}", status_code=status, operation=operation)


def limited(retry_after: float | None, operation: str = "getUser") -> RateLimitedError:
    return RateLimitedError(
        "limited", result="TOO_MANY_REQUESTS", status_code=429, operation=operation, retry_after=retry_after
    )


def connection(request_sent: bool, operation: str = "getUser") -> APIConnectionError:
    return APIConnectionError("connection", operation=operation, request_sent=request_sent)


def api(cls: type[PartnerAPIError], status: int, operation: str = "getUser") -> PartnerAPIError:
    return cls("api", result="X", status_code=status, operation=operation)


# (id, error, retried for a read, retried for a mutation)
DECISIONS: list[tuple[str, BaseException, bool, bool]] = [
    ("connect refused (never sent)", connection(request_sent=False), True, True),
    ("dropped/timeout (may have been sent)", connection(request_sent=True), True, False),
    ("429", limited(3.0), True, False),
    ("429 without Retry-After", limited(None), True, False),
    ("502", server(502), True, False),
    ("503", server(503), True, False),
    ("504", server(504), True, False),
    ("500", server(500), False, False),
    ("501", server(501), False, False),
    ("520 (proxy)", server(520), False, False),
    ("non-JSON 200", server(200), False, False),
    ("NOT_FOUND", api(NotFoundError, 404), False, False),
    ("INVALID_PARAMETERS", api(InvalidParametersError, 400), False, False),
    ("USER_ALREADY_EXISTS", api(AlreadyExistsError, 409), False, False),
    ("NOT_AUTHORIZED", api(AuthenticationError, 401), False, False),
    ("unknown code", api(PartnerAPIError, 418), False, False),
    # a failed login proves the operation itself was never sent: a mutation is retried like a read
    ("login 503", server(503, "login"), True, True),
    ("login dropped", connection(request_sent=True, operation="login"), True, True),
    ("login 429", limited(2.0, "login"), True, True),
    ("login 500", server(500, "login"), False, False),
    ("login NOT_AUTHORIZED", api(AuthenticationError, 401, "login"), False, False),
    ("not an API error", ValueError("bug"), False, False),
]


@pytest.mark.parametrize(("case", "error", "read", "mutation"), DECISIONS, ids=[d[0] for d in DECISIONS])
def test_should_retry(case: str, error: BaseException, read: bool, mutation: bool) -> None:
    policy = RetryPolicy()
    assert policy.should_retry(True, error) is read
    assert policy.should_retry(False, error) is mutation


def test_reads_are_get_and_list_operations() -> None:
    """`safe_to_retry` (generated from `x-safe-to-retry`) is what the client passes; in this spec the reads are
    exactly the get/list operations (a test in tests/pipeline shows the name plays no part)."""
    reads = sorted(name for name, op in OPERATIONS.items() if op.safe_to_retry)
    assert reads == sorted(name for name in OPERATIONS if name.startswith(("get", "list")))
    assert "getUser" in reads and "listUsers" in reads
    assert not OPERATIONS["createUser"].safe_to_retry and not OPERATIONS["resetUserTraffic"].safe_to_retry


def test_a_failed_login_is_retried_by_logins_own_spec_fact(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not by its name: the generated `SAFE_TO_RETRY` entry of the failed request decides."""
    policy = RetryPolicy()
    assert SAFE_TO_RETRY["login"] is True  # the spec's `x-safe-to-retry` of /partner/login
    monkeypatch.setitem(SAFE_TO_RETRY, "login", False)
    assert not policy.should_retry(False, server(503, "login"))
    assert not policy.should_retry(True, server(503, "login"))  # the operation's flag is not the login's
    monkeypatch.setitem(SAFE_TO_RETRY, "refreshToken", True)  # a request the spec marks safe, whatever its name
    assert policy.should_retry(False, server(503, "refreshToken"))
    assert not policy.should_retry(False, server(503, "unknownRequest"))  # no fact: not safe


def test_defaults_and_validation() -> None:
    policy = RetryPolicy()
    assert (policy.max_retries, policy.backoff, policy.max_backoff, policy.max_retry_after) == (2, 0.25, 8.0, 30.0)
    with pytest.raises(ValueError, match="max_retries"):
        RetryPolicy(max_retries=-1)


class Script:
    """An attempt function that raises the scripted errors in order, then returns `result`."""

    def __init__(self, *errors: BaseException, result: str = "done") -> None:
        self.errors = list(errors)
        self.result = result
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return self.result

    async def acall(self) -> str:
        return self()


def run(policy: RetryPolicy, first: PartnerAPIError, script: Script, *, safe: bool = True) -> tuple[object, Sleeps]:
    """`retrying`; returns (the result or the raised exception, the recorded sleeps)."""
    sleeps = Sleeps()
    try:
        return retrying(policy, first, safe, script, sleeps), sleeps
    except PartnerAPIError as error:
        return error, sleeps


@pytest.mark.parametrize("max_retries", [0, 1, 2, 5])
def test_a_failing_read_is_attempted_max_retries_more_times(max_retries: int) -> None:
    first, *errors = [server(503) for _ in range(11)]
    script = Script(*errors)
    outcome, sleeps = run(RetryPolicy(max_retries=max_retries), first, script)
    assert script.calls == max_retries  # the first attempt already failed outside the policy
    assert len(sleeps.waits) == max_retries
    assert outcome is [first, *errors][max_retries]  # the last error is re-raised as it was


def test_no_retries_reraises_the_first_error() -> None:
    first = server(503)
    outcome, sleeps = run(RetryPolicy(max_retries=0), first, Script())
    assert outcome is first
    assert sleeps.waits == []


def test_success_on_a_retry_returns_its_result() -> None:
    script = Script(server(502), result="user")
    outcome, sleeps = run(RetryPolicy(max_retries=4), server(503), script)
    assert outcome == "user"
    assert script.calls == 2
    assert len(sleeps.waits) == 2


def test_a_non_retryable_error_on_a_retry_stops_at_once() -> None:
    missing = api(NotFoundError, 404)
    script = Script(missing, result="never")
    outcome, sleeps = run(RetryPolicy(max_retries=4), server(503), script)
    assert outcome is missing
    assert script.calls == 1
    assert len(sleeps.waits) == 1


def test_a_mutation_stops_once_the_request_may_have_been_sent() -> None:
    sent = connection(request_sent=True, operation="createUser")
    script = Script(connection(request_sent=False, operation="createUser"), sent, result="never")
    outcome, sleeps = run(RetryPolicy(max_retries=4), connection(False, "createUser"), script, safe=False)
    assert outcome is sent
    assert script.calls == 2
    assert len(sleeps.waits) == 2


def test_a_mutation_refused_then_accepted() -> None:
    script = Script(connection(request_sent=False, operation="createUser"), result="created")
    outcome, sleeps = run(RetryPolicy(max_retries=2), connection(False, "createUser"), script, safe=False)
    assert outcome == "created"
    assert script.calls == 2
    assert len(sleeps.waits) == 2


@pytest.mark.parametrize(
    ("retry_after", "cap", "wait"),
    [(7.0, 30.0, 7.0), (0.0, 30.0, 0.0), (30.0, 30.0, 30.0), (120.0, 30.0, 30.0), (120.0, 5.0, 5.0),
     (float("inf"), 30.0, 30.0), (2.5, 1.0, 1.0)],
)  # fmt: skip
def test_retry_after_is_honoured_up_to_the_cap(retry_after: float, cap: float, wait: float) -> None:
    policy = RetryPolicy(max_retries=2, max_retry_after=cap)
    outcome, sleeps = run(policy, limited(retry_after), Script(limited(retry_after), limited(retry_after)))
    assert isinstance(outcome, RateLimitedError)
    assert sleeps.waits == [wait, wait]


def test_backoff_ceilings_double_up_to_max_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Full jitter: each wait is uniform in [0, backoff * 2**(n-1)], the ceiling capped at max_backoff."""
    bounds: list[tuple[float, float]] = []

    def uniform(low: float, high: float) -> float:
        bounds.append((low, high))
        return high

    monkeypatch.setattr(random, "uniform", uniform)
    policy = RetryPolicy(max_retries=7, backoff=0.25, max_backoff=8.0)
    outcome, sleeps = run(policy, server(503), Script(*[server(503) for _ in range(7)]))
    assert isinstance(outcome, ServerError)
    assert sleeps.waits == [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert all(low == 0 for low, _ in bounds)
    assert [high for _, high in bounds] == sleeps.waits


def test_backoff_is_jittered_with_the_global_random() -> None:
    expected = random.Random(20261130)
    ceilings = [0.5, 1.0, 2.0, 3.0]
    policy = RetryPolicy(max_retries=4, backoff=0.5, max_backoff=3.0)
    state = random.getstate()
    random.seed(20261130)
    try:
        _, sleeps = run(policy, connection(False), Script(*[connection(False) for _ in range(4)]))
    finally:
        random.setstate(state)
    assert sleeps.waits == [expected.uniform(0, ceiling) for ceiling in ceilings]
    assert len(set(sleeps.waits)) == 4  # jittered, not fixed


def test_429_without_retry_after_uses_the_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(random, "uniform", lambda low, high: high)
    _, sleeps = run(RetryPolicy(max_retries=2, backoff=1.0), limited(None), Script(limited(None), limited(None)))
    assert sleeps.waits == [1.0, 2.0]


def test_each_retry_is_logged(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(random, "uniform", lambda low, high: high)
    caplog.set_level(logging.WARNING, logger="partner_api")
    outcome, _ = run(RetryPolicy(max_retries=2), limited(7.0), Script(server(504, "getUser"), result="ok"))
    assert outcome == "ok"
    assert [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "partner_api"] == [
        ("WARNING", "partner_api retry 1/2 of getUser in 7.00 s after RateLimitedError"),
        ("WARNING", "partner_api retry 2/2 of getUser in 0.50 s after ServerError"),
    ]


async def test_async_attempt_counts_and_waits() -> None:
    sleeps = Sleeps()
    errors = [limited(2.0), limited(2.0), limited(2.0)]
    script = Script(*errors)
    with pytest.raises(RateLimitedError) as caught:
        await aretrying(RetryPolicy(max_retries=3), limited(2.0), True, script.acall, sleeps.asleep)
    assert caught.value is errors[2]
    assert script.calls == 3
    assert sleeps.waits == [2.0, 2.0, 2.0]


async def test_async_mutation_success_after_refusal() -> None:
    sleeps = Sleeps()
    script = Script(result="created")
    refused = connection(False, "createUser")
    outcome = await aretrying(
        RetryPolicy(max_retries=1, max_retry_after=1.0), refused, False, script.acall, sleeps.asleep
    )
    assert outcome == "created"
    assert script.calls == 1
    assert len(sleeps.waits) == 1


def test_client_options_build_the_policy() -> None:
    from partner_api import PartnerClient

    factories: list[Callable[[], PartnerClient]] = [
        lambda: PartnerClient("https://partner.example.com", "p", "k", max_retries=5),
        lambda: PartnerClient("https://partner.example.com", "p", "k", max_retries=5, retry_policy=RetryPolicy(1)),
    ]
    policies = []
    for make in factories:
        client = make()
        policies.append(client._settings.retry)
        client.close()
    assert policies == [RetryPolicy(max_retries=5), RetryPolicy(max_retries=1)]


def _limited_once(date: str) -> httpx.MockTransport:
    """A server that answers the first listLicenses with a 429 whose Retry-After is an HTTP-date, then OK (a
    mock: the sandbox sends seconds, and the date needs a frozen wall clock)."""
    answers = [httpx.Response(429, json={"result": "TOO_MANY_REQUESTS"}, headers={"Retry-After": date})]

    def respond(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/login"):
            return httpx.Response(200, json={"result": "OK", "access_token": "t", "create_time": 1, "expire_time": 9})
        return answers.pop(0) if answers else httpx.Response(200, json={"result": "OK", "licenses": []})

    return httpx.MockTransport(respond)


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_retry_after_date_is_honoured_by_the_clients(mode: str) -> None:
    sleeps = Sleeps()
    frozen = datetime.datetime(2026, 10, 21, 7, 27, 53, tzinfo=datetime.timezone.utc)
    transport = _limited_once("Wed, 21 Oct 2026 07:28:00 GMT")  # 7 s after the frozen clock
    with time_machine.travel(frozen, tick=False):
        if mode == "sync":
            with PartnerClient("http://127.0.0.1:9", "p", "k", http_client=httpx.Client(transport=transport),
                               sleep=sleeps) as client:  # fmt: skip
                client.list_licenses()
        else:
            async with AsyncPartnerClient("http://127.0.0.1:9", "p", "k", sleep=sleeps.asleep,
                                          http_client=httpx.AsyncClient(transport=transport)) as aclient:  # fmt: skip
                await aclient.list_licenses()
    assert sleeps.waits == [7.0]
