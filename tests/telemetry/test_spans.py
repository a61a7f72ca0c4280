"""Spans and metrics through the OpenTelemetry SDK's in-memory exporters, against the sandbox, with `PartnerClient`
and `AsyncPartnerClient`: a retried 503, a NOT_AUTHORIZED replay, a 429 pause, a wait on the fleet's login lock, a
failed call; each case's spans, their attributes and links, the metrics, and no secret anywhere."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind, StatusCode
from partner_api import APIConnectionError, NotFoundError, RetryPolicy
from partner_api.token_stores import FileTokenStore

from tests.support.harness import MakeHarness
from tests.support.telemetry import Telemetry, assert_no_secrets, leaks

USER = 1
GET_USER = "/partner/v2/getUser"


def only(spans: list[ReadableSpan]) -> ReadableSpan:
    assert len(spans) == 1, [span.name for span in spans]
    return spans[0]


def traceparent(span: ReadableSpan) -> str:
    context = span.context
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


def check_login(telemetry: Telemetry, parent: ReadableSpan) -> ReadableSpan:
    """The `login` span under `parent`, with the CLIENT span of its request."""
    login = only([s for s in telemetry.children(parent) if s.name == "login"])
    assert login.kind is SpanKind.INTERNAL
    assert dict(login.attributes or {}) == {"partner_api.operation": "login", "partner_api.result": "OK"}
    request = only(telemetry.children(login))
    assert request.kind is SpanKind.CLIENT
    assert request.name == "POST /partner/login"
    assert request.attributes is not None
    assert request.attributes["url.template"] == "/partner/login"
    assert request.attributes["http.response.status_code"] == 200
    return login


async def test_a_503_then_ok_is_one_operation_span_with_two_attempts_and_the_login(
    harness: MakeHarness, sandbox: Any, telemetry: Telemetry
) -> None:
    h = harness()
    sandbox.inject_fault("getUser", status=503)
    assert (await h.call("get_user", user_id=USER)).user.id == USER

    operation = only(telemetry.operations("getUser"))
    assert operation.parent is None
    assert dict(operation.attributes or {}) == {
        "partner_api.operation": "getUser", "partner_api.result": "OK", "partner_api.retries": 1,
        "partner_api.token.from_store": False,
    }  # fmt: skip
    assert operation.status.status_code is StatusCode.UNSET
    first, second = telemetry.attempts(operation)
    port = int(sandbox.base_url.rsplit(":", 1)[1])
    assert dict(first.attributes or {}) == {
        "http.request.method": "POST", "url.template": GET_USER, "url.full": sandbox.base_url + GET_USER,
        "server.address": "127.0.0.1", "server.port": port, "http.response.status_code": 503, "error.type": "503",
    }  # fmt: skip
    assert first.name == second.name == f"POST {GET_USER}"
    assert first.status.status_code is StatusCode.ERROR
    assert second.attributes is not None
    assert second.attributes["http.response.status_code"] == 200
    assert second.attributes["http.request.resend_count"] == 1
    assert "error.type" not in second.attributes
    check_login(telemetry, operation)
    assert len({span.context.trace_id for span in telemetry.spans}) == 1
    assert len(telemetry.spans) == 5  # getUser, login, its request, two attempts: nothing else

    # each attempt went out with its own span's W3C traceparent
    sent = [r.headers["traceparent"] for r in h.wire.requests if r.url.path == GET_USER]
    assert sent == [traceparent(first), traceparent(second)]

    assert telemetry.total("partner_api.client.calls", partner_api__operation="getUser", partner_api__result="OK") == 1
    assert telemetry.total("partner_api.client.operation.duration", partner_api__operation="getUser") == 1
    assert telemetry.points("partner_api.client.retries") == [
        ({"partner_api.operation": "getUser", "partner_api.retry.reason": "INTERNAL_ERROR"}, 1)
    ]
    assert telemetry.points("partner_api.client.logins") == [({"partner_api.result": "OK"}, 1)]
    assert telemetry.points("partner_api.client.pauses") == []
    assert_no_secrets(telemetry, sandbox, [h])


async def test_a_not_authorized_replay_shows_the_rejected_attempt_the_login_and_the_replay(
    harness: MakeHarness, sandbox: Any, telemetry: Telemetry
) -> None:
    h = harness()
    await h.call("get_user", user_id=USER)
    assert sandbox.revoke_tokens() == 1
    await h.call("get_user_traffic", user_id=USER)

    operation = only(telemetry.operations("getUserTraffic"))
    rejected, replayed = telemetry.attempts(operation)
    assert rejected.attributes is not None and replayed.attributes is not None
    assert rejected.attributes["http.response.status_code"] == 401
    assert "http.request.resend_count" not in rejected.attributes
    assert replayed.attributes["http.response.status_code"] == 200
    assert replayed.attributes["http.request.resend_count"] == 1
    login = check_login(telemetry, operation)
    assert rejected.end_time is not None and login.start_time is not None and login.end_time is not None
    assert rejected.end_time <= login.start_time and login.end_time <= (replayed.start_time or 0)
    assert operation.attributes is not None
    assert operation.attributes["partner_api.retries"] == 1
    assert operation.attributes["partner_api.result"] == "OK"

    assert telemetry.total("partner_api.client.calls", partner_api__result="OK") == 2
    assert telemetry.points("partner_api.client.retries") == [
        ({"partner_api.operation": "getUserTraffic", "partner_api.retry.reason": "NOT_AUTHORIZED"}, 1)
    ]
    assert telemetry.total("partner_api.client.logins") == 2
    assert_no_secrets(telemetry, sandbox, [h])


async def test_a_429_pause_is_a_span_under_the_call_that_waits(
    harness: MakeHarness, sandbox: Any, telemetry: Telemetry, tmp_path: Path
) -> None:
    """A 429 with Retry-After pauses the client (and its fleet, through the file store): the retry waits it out,
    capped at the policy's max_retry_after (0.2 s here, a real wait)."""
    h = harness(token_store=FileTokenStore(tmp_path / "tokens"), retry_policy=RetryPolicy(max_retry_after=0.2))
    sandbox.inject_fault("getUser", status=429, retry_after=1)
    await h.call("get_user", user_id=USER)

    operation = only(telemetry.operations("getUser"))
    limited, answered = telemetry.attempts(operation)
    assert limited.attributes is not None and limited.attributes["http.response.status_code"] == 429
    pause = only(telemetry.named("partner_api.pause"))
    assert pause.parent is not None and pause.parent.span_id == operation.context.span_id
    assert dict(pause.attributes or {}) == {"partner_api.pause.reason": "rate_limit"}
    assert (limited.end_time or 0) <= (pause.start_time or 0) <= (pause.end_time or 0) <= (answered.start_time or 0)

    assert telemetry.points("partner_api.client.pauses") == [({"partner_api.pause.reason": "rate_limit"}, 1)]
    assert telemetry.points("partner_api.client.retries") == [
        ({"partner_api.operation": "getUser", "partner_api.retry.reason": "TOO_MANY_REQUESTS"}, 1)
    ]
    assert_no_secrets(telemetry, sandbox, [h])


def _wait_for(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


async def test_a_wait_on_the_fleets_login_lock_is_a_span_and_the_token_comes_from_the_store(
    harness: MakeHarness, sandbox: Any, telemetry: Telemetry, tmp_path: Path, mode: str
) -> None:
    """Two clients share a file store; the first one's login is slow: the second finds the login lock taken,
    waits (a `login_lock` pause), and reads the first one's token from the store (no login of its own)."""
    first, second = (harness(token_store=FileTokenStore(tmp_path / "tokens", lock_ttl=5)) for _ in range(2))
    sandbox.inject_fault("login", latency=0.5)

    def login_in_flight() -> bool:
        return int(sandbox.stats().requests.get("login", 0)) == 1

    if mode == "sync":
        background = threading.Thread(target=first.client.get_user, kwargs={"user_id": USER})
        background.start()
        await asyncio.to_thread(_wait_for, login_in_flight)
        await second.call("get_user", user_id=2)
        background.join()
    else:
        task = asyncio.create_task(first.call("get_user", user_id=USER))
        await asyncio.to_thread(_wait_for, login_in_flight)
        await second.call("get_user", user_id=2)
        await task
    assert first.client.login_count == 1
    assert second.client.login_count == 0

    by_source = {(s.attributes or {})["partner_api.token.from_store"]: s for s in telemetry.operations("getUser")}
    waited, logged_in = by_source[True], by_source[False]
    pause = only([span for span in telemetry.children(waited) if span.name == "partner_api.pause"])
    assert dict(pause.attributes or {}) == {"partner_api.pause.reason": "login_lock"}
    assert [span.name for span in telemetry.children(waited)] == ["partner_api.pause", f"POST {GET_USER}"]
    check_login(telemetry, logged_in)
    assert telemetry.points("partner_api.client.pauses") == [({"partner_api.pause.reason": "login_lock"}, 1)]
    assert telemetry.total("partner_api.client.logins") == 1
    assert telemetry.total("partner_api.client.calls", partner_api__result="OK") == 2
    assert_no_secrets(telemetry, sandbox, [first, second])


async def test_a_failed_call_has_its_error_type_and_result_and_counts_as_such(
    harness: MakeHarness, sandbox: Any, telemetry: Telemetry
) -> None:
    h = harness()
    with pytest.raises(NotFoundError):
        await h.call("get_user", user_id=999_999)
    sandbox.inject_fault("getUser", drop=True, count=3)
    with pytest.raises(APIConnectionError):
        await h.call("get_user", user_id=USER)

    not_found, dropped = sorted(telemetry.operations("getUser"), key=lambda span: span.start_time or 0)
    assert not_found.attributes is not None and dropped.attributes is not None
    assert not_found.attributes["partner_api.result"] == "NOT_FOUND"
    assert not_found.attributes["error.type"] == "partner_api.NotFoundError"
    assert not_found.status.status_code is StatusCode.ERROR
    assert not_found.status.description is None  # the message may quote a username: only the type is told
    assert not_found.events == ()
    assert dropped.attributes["partner_api.result"] == "CONNECTION_ERROR"
    assert dropped.attributes["partner_api.retries"] == 2
    attempts = telemetry.attempts(dropped)
    assert len(attempts) == 3
    for attempt in attempts:
        assert attempt.attributes is not None
        assert "http.response.status_code" not in attempt.attributes
        assert attempt.attributes["error.type"] in ("httpx.RemoteProtocolError", "httpx.ReadError")
        assert attempt.status.status_code is StatusCode.ERROR

    assert telemetry.total("partner_api.client.calls", partner_api__result="NOT_FOUND") == 1
    assert telemetry.total(
        "partner_api.client.calls", partner_api__result="CONNECTION_ERROR", error__type="partner_api.APIConnectionError"
    ) == 1  # fmt: skip
    assert telemetry.total("partner_api.client.retries", partner_api__retry__reason="CONNECTION_ERROR") == 2
    assert_no_secrets(telemetry, sandbox, [h])


async def test_metric_names_and_units_follow_the_opentelemetry_conventions(
    harness: MakeHarness, sandbox: Any, telemetry: Telemetry, tmp_path: Path
) -> None:
    h = harness(token_store=FileTokenStore(tmp_path / "tokens"), retry_policy=RetryPolicy(max_retry_after=0.05))
    sandbox.inject_fault("getUser", status=429, retry_after=1)
    await h.call("get_user", user_id=USER)
    assert telemetry.metric_units() == {
        "partner_api.client.calls": "{call}",
        "partner_api.client.operation.duration": "s",
        "partner_api.client.retries": "{retry}",
        "partner_api.client.logins": "{login}",
        "partner_api.client.pauses": "{pause}",
    }
    durations = telemetry.points("partner_api.client.operation.duration")
    assert durations == [({"partner_api.operation": "getUser", "partner_api.result": "OK"}, 1)]


def test_the_secret_scan_finds_what_it_looks_for(telemetry: Telemetry) -> None:
    """The scan the fault suite runs on every span is real: it reports a planted value, key and query."""
    tracer = telemetry.tracer_provider.get_tracer("control")
    with tracer.start_as_current_span("getUser", attributes={"partner_api.operation": "getUser"}) as span:
        span.set_attribute("url.full", "https://api.example/partner/v2/getUser?key=1")
        span.set_attribute("enduser.id", "alice-secret")
        span.add_event("note", {"detail": "token tok-123456"})
    found = leaks(telemetry.spans, {"username": "alice-secret", "token": "tok-123456"})
    assert len(found) == 4, found
    assert leaks(telemetry.spans[:0], {"username": "alice-secret"}) == []
