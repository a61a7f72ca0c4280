"""Injected faults (each kind, counts, probability, targeting) and the rate limit, seen from raw httpx."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from partner_api.sandbox import SandboxAdminError, SandboxServer

from .conftest import Api


@pytest.mark.parametrize(
    ("fault", "status", "content_type", "body", "retry_after"),
    [
        ({"status": 503}, 503, "application/json", {"result": "INTERNAL_ERROR", "error": "injected fault (503)"}, None),
        ({"status": 500, "body": "json"}, 500, "application/json", {"result": "INTERNAL_ERROR"}, None),
        ({"status": 429}, 429, "application/json", {"result": "TOO_MANY_REQUESTS"}, "1"),
        ({"status": 429, "retry_after": 7}, 429, "application/json", {"result": "TOO_MANY_REQUESTS"}, "7"),
        ({"status": 429, "retry_after": 0}, 429, "application/json", {"result": "TOO_MANY_REQUESTS"}, "0"),
        ({"status": 401}, 401, "application/json", {"result": "NOT_AUTHORIZED"}, None),
        ({"status": 502, "body": "empty"}, 502, None, b"", None),
        ({"status": 504, "body": "empty"}, 504, None, b"", None),
        ({"status": 520, "body": "html"}, 520, "text/html; charset=utf-8", b"<html>", None),
        ({"status": 503, "body": "html", "retry_after": 2}, 503, "text/html; charset=utf-8", b"<html>", "2"),
        ({"body": "malformed"}, 200, "application/json", b'{"result":"OK"', None),
        ({"result": "INTERNAL_ERROR"}, 200, "application/json", {"result": "INTERNAL_ERROR"}, None),
        ({"status": 200, "result": "NOT_FOUND"}, 200, "application/json", {"result": "NOT_FOUND"}, None),
    ],
    ids=lambda value: repr(value) if isinstance(value, dict) else None,
)
def test_canned_responses(
    api: Api,
    partner_sandbox: SandboxServer,
    fault: dict[str, Any],
    status: int,
    content_type: str | None,
    body: Any,
    retry_after: str | None,
) -> None:
    api.create_user("alice")
    partner_sandbox.inject_fault("getUser", **fault)
    response = api.call("getUser", {"username": "alice"})
    assert response.status_code == status
    assert response.headers.get("content-type") == content_type
    assert response.headers.get("retry-after") == retry_after
    if isinstance(body, dict):
        assert body.items() <= response.json().items()
    else:
        assert response.content.startswith(body)
        if body == b'{"result":"OK"':
            with pytest.raises(ValueError, match=r"Unterminated|Expecting"):
                response.json()
    assert api.ok("getUser", {"username": "alice"})["user"]["username"] == "alice"  # one use only
    assert partner_sandbox.stats().faults == {"getUser": 1}


def test_drop_closes_without_an_answer_and_skips_the_operation(api: Api, partner_sandbox: SandboxServer) -> None:
    token = api.token
    partner_sandbox.inject_fault("createUser", drop=True)
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        api.call("createUser", {"username": "dropped"}, token=token)
    api.error("getUser", {"username": "dropped"}, "NOT_FOUND", 404)
    assert partner_sandbox.stats().requests["createUser"] == 1


def test_reset_mid_response_runs_the_operation(api: Api, partner_sandbox: SandboxServer) -> None:
    token = api.token
    partner_sandbox.inject_fault("createUser", reset=True)
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        api.call("createUser", {"username": "reset"}, token=token)
    assert api.ok("getUser", {"username": "reset"})["user"]["username"] == "reset"


def test_latency_delays_then_answers(api: Api, partner_sandbox: SandboxServer) -> None:
    token = api.token
    partner_sandbox.inject_fault("listLicenses", latency=5.0)
    with pytest.raises(httpx.ReadTimeout):
        api.http.post("/partner/v2/listLicenses", json={}, headers={"Authorization": f"Bearer {token}"}, timeout=0.2)
    partner_sandbox.inject_fault("listLicenses", latency=0.05)
    assert api.call("listLicenses", token=token).status_code == 200  # delayed, then normal
    assert partner_sandbox.stats().faults == {"listLicenses": 2}


def _eventually(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.WARNING]


def test_latency_holds_the_request_first_so_a_client_timeout_does_not_cancel_it(
    api: Api, partner_sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    token = api.token
    partner_sandbox.inject_fault("createUser", latency=0.5)
    with caplog.at_level(logging.DEBUG), pytest.raises(httpx.ReadTimeout):
        api.http.post(
            "/partner/v2/createUser",
            json={"username": "slow"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=0.1,
        )
    assert _eventually(lambda: api.call("getUser", {"username": "slow"}, token=token).status_code == 200)
    assert _errors_logged(caplog) == []


@pytest.mark.parametrize(
    ("operation", "fault"),
    [
        ("login", {"latency": 0.4}),
        ("createUser", {"latency": 0.4, "drop": True}),
        ("createUser", {"latency": 0.4, "reset": True}),
    ],
    ids=["login-latency", "latency-then-drop", "latency-then-reset"],
)
def test_a_client_leaving_during_a_latency_is_not_an_error(
    api: Api, partner_sandbox: SandboxServer, caplog: pytest.LogCaptureFixture, operation: str, fault: dict[str, Any]
) -> None:
    request: dict[str, Any] = {"data": {"login": "demo", "password": "x"}}
    path = "/partner/login"
    if operation != "login":
        path = f"/partner/v2/{operation}"
        request = {"json": {"username": "gone"}, "headers": {"Authorization": f"Bearer {api.token}"}}
    partner_sandbox.inject_fault(operation, **fault)
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(httpx.ReadTimeout):
            api.http.post(path, **request, timeout=0.1)
        time.sleep(0.8)  # the fault plays out after the client left
    assert _errors_logged(caplog) == []


def test_a_client_leaving_before_its_body_arrives_is_noted_at_debug(
    partner_sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    address = urlsplit(partner_sandbox.base_url)
    assert address.hostname is not None and address.port is not None
    with caplog.at_level(logging.DEBUG):
        with socket.create_connection((address.hostname, address.port), timeout=5) as sock:
            head = b"POST /partner/v2/getUser HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n"
            sock.sendall(head + b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user_id"')
            time.sleep(0.1)
        noted = _eventually(lambda: any("disconnected" in r.getMessage() for r in caplog.records))
    assert noted
    assert _errors_logged(caplog) == []


def test_latency_combines_with_a_status(api: Api, partner_sandbox: SandboxServer) -> None:
    partner_sandbox.inject_fault("listLicenses", latency=0.05, status=503)
    assert api.call("listLicenses").status_code == 503


def test_count_after_and_star(api: Api, partner_sandbox: SandboxServer) -> None:
    token = api.token
    partner_sandbox.inject_fault("listLicenses", status=503, count=2, after=1)
    statuses = [api.call("listLicenses", token=token).status_code for _ in range(5)]
    assert statuses == [200, 503, 503, 200, 200]
    partner_sandbox.inject_fault("*", status=502, body="empty", count=2)
    assert api.login().status_code == 502
    assert api.call("getUser", {"user_id": 1}, token=token).status_code == 502
    assert api.call("getUser", {"user_id": 1}, token=token).status_code == 404
    stats = partner_sandbox.stats()
    assert stats.faults == {"listLicenses": 2, "login": 1, "getUser": 1}
    assert stats.faults_served == 4


def test_probability_is_seeded_and_repeatable(api: Api, partner_sandbox: SandboxServer) -> None:
    def run() -> list[int]:
        token = api.login().json()["access_token"]
        partner_sandbox.inject_fault("listLicenses", status=503, probability=0.3, seed=42)
        return [api.call("listLicenses", token=token).status_code for _ in range(40)]

    first = run()
    partner_sandbox.reset()
    second = run()
    assert first == second
    assert 0 < first.count(503) < 40
    assert set(first) == {200, 503}
    assert partner_sandbox.faults()[0]["served"] == first.count(503)


def test_probability_with_a_count_stops_after_count(api: Api, partner_sandbox: SandboxServer) -> None:
    partner_sandbox.inject_fault("listLicenses", status=503, probability=1.0, count=3)
    token = api.token
    assert [api.call("listLicenses", token=token).status_code for _ in range(5)] == [503, 503, 503, 200, 200]


def test_faults_are_listed_and_cleared(partner_sandbox: SandboxServer) -> None:
    fault = partner_sandbox.inject_fault("getUser", status=503, count=3)
    assert fault["remaining"] == 3
    assert fault["operation"] == "getUser"
    partner_sandbox.inject_fault("login", drop=True, probability=0.5)
    assert [f["id"] for f in partner_sandbox.faults()] == [fault["id"], fault["id"] + 1]
    assert partner_sandbox.clear_faults() == 2
    assert partner_sandbox.faults() == []


@pytest.mark.parametrize(
    "spec",
    [
        {"operation": "getUsers", "status": 500},
        {"status": 500, "drop": True},
        {"drop": True, "reset": True},
        {},
        {"status": 99},
        {"status": 600},
        {"probability": 0.0, "status": 500},
        {"count": 0, "status": 500},
        {"drop": True, "retry_after": 1},
        {"body": "xml"},
    ],
    ids=repr,
)
def test_invalid_faults_are_refused(partner_sandbox: SandboxServer, spec: dict[str, Any]) -> None:
    with pytest.raises(SandboxAdminError, match="HTTP 400"):
        partner_sandbox.inject_fault(**spec)


def test_faults_apply_before_authentication(api: Api, partner_sandbox: SandboxServer) -> None:
    partner_sandbox.inject_fault("getUser", status=503)
    assert api.call("getUser", {"user_id": 1}, token="not-a-token").status_code == 503
    assert partner_sandbox.stats().not_authorized == 0


def test_rate_limit(api: Api, partner_sandbox: SandboxServer) -> None:
    token = api.token
    partner_sandbox.set_rate_limit(0.01)  # one request, then one per 100 s
    assert api.call("listLicenses", token=token).status_code == 200
    limited = api.call("listLicenses", token=token)
    assert limited.status_code == 429
    assert limited.json() == {"result": "TOO_MANY_REQUESTS", "error": "rate limit exceeded"}
    assert 1 <= int(limited.headers["Retry-After"]) <= 100
    assert api.login().status_code == 429  # login counts too
    assert partner_sandbox.stats().rate_limited == 2
    assert partner_sandbox.config()["rate_limit"] == 0.01
    partner_sandbox.set_rate_limit(None)
    assert api.call("listLicenses", token=token).status_code == 200


def test_rate_limit_allows_bursts_up_to_the_rate(api: Api, partner_sandbox: SandboxServer) -> None:
    token = api.token
    partner_sandbox.set_rate_limit(5)
    statuses = [api.call("listLicenses", token=token).status_code for _ in range(30)]
    assert statuses[:5] == [200] * 5
    assert 429 in statuses


def test_faults_given_at_start_come_back_after_reset() -> None:
    with SandboxServer(admin=True, faults=[{"operation": "listLicenses", "status": 503, "count": 1}]) as sandbox:
        api = Api(sandbox)
        token = api.token
        assert [api.call("listLicenses", token=token).status_code for _ in range(2)] == [503, 200]
        sandbox.reset()
        token = api.login().json()["access_token"]
        assert [api.call("listLicenses", token=token).status_code for _ in range(2)] == [503, 200]
        api.close()
