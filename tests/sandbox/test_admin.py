"""The admin endpoint: off by default, counters, reset, knobs; and no secret in answers or logs."""

from __future__ import annotations

import logging
import threading
import time

import httpx
import pytest
from partner_api.sandbox import SandboxAdminError, SandboxServer

from .conftest import Api


def test_admin_endpoint_is_off_by_default() -> None:
    with SandboxServer() as sandbox:
        with httpx.Client(base_url=sandbox.base_url, trust_env=False) as http:
            for method, path in [("GET", "/_sandbox/stats"), ("POST", "/_sandbox/reset"), ("GET", "/_sandbox/config")]:
                response = http.request(method, path)
                assert response.status_code == 404
                assert response.json()["result"] == "NOT_FOUND"
            login = http.post("/partner/login", data={"login": sandbox.project_id, "password": sandbox.private_key})
            assert login.status_code == 200  # the API itself works
        with pytest.raises(SandboxAdminError, match="admin endpoint is off"):
            sandbox.stats()


def test_stats_count_logins_requests_rejections_and_faults(api: Api, partner_sandbox: SandboxServer) -> None:
    api.create_user("alice")
    api.ok("getUser", {"username": "alice"})
    api.error("getUser", {"username": "bob"}, "NOT_FOUND", 404)
    api.call("getUser", {"username": "alice"}, token="forged")
    api.login(password="wrong")
    partner_sandbox.inject_fault("listLicenses", status=503)
    api.call("listLicenses")
    stats = partner_sandbox.stats()
    assert stats.logins == 1
    assert stats.failed_logins == 1
    assert stats.not_authorized == 2
    assert stats.requests == {"createUser": 1, "getUser": 3, "listLicenses": 1, "login": 2}
    assert stats.total_requests == 7
    assert stats.faults == {"listLicenses": 1}
    assert stats["logins"] == 1  # also readable as a mapping
    partner_sandbox.reset_stats()
    assert partner_sandbox.stats().total_requests == 0


def test_reset_restores_the_start_state(api: Api, partner_sandbox: SandboxServer) -> None:
    token = api.token
    api.create_user("alice")
    partner_sandbox.set_token_ttl(5)
    partner_sandbox.set_clock_offset(100)
    partner_sandbox.set_rate_limit(1000)
    partner_sandbox.inject_fault("getUser", status=500, count=10)
    partner_sandbox.reset()
    config = partner_sandbox.config()
    assert (config["token_ttl"], config["clock_offset"], config["rate_limit"]) == (3600, 0.0, None)
    assert partner_sandbox.faults() == []
    assert partner_sandbox.stats().total_requests == 0
    assert api.call("listLicenses", token=token).status_code == 401  # tokens are gone
    fresh = api.login().json()["access_token"]
    assert api.call("getUser", {"username": "alice"}, token=fresh).status_code == 404  # data re-seeded
    assert api.call("createUser", {"username": "alice"}, token=fresh).json()["user"]["id"] == 1  # ids start over


def test_config_shows_knobs_but_not_the_key(partner_sandbox: SandboxServer) -> None:
    config = partner_sandbox.config()
    assert config["project_id"] == partner_sandbox.project_id
    assert {"token_ttl", "clock_offset", "server_time", "rate_limit", "seed", "db"} <= set(config)
    assert partner_sandbox.private_key not in repr(config)
    assert partner_sandbox.private_key not in repr(partner_sandbox)
    assert partner_sandbox.private_key not in repr(partner_sandbox.settings)


def test_config_rejects_bad_values(partner_sandbox: SandboxServer) -> None:
    for bad in (0, -5, "60", 1.5):
        with pytest.raises(SandboxAdminError, match="HTTP 400"):
            partner_sandbox._admin_call("POST", "/config", {"token_ttl": bad})
    with pytest.raises(SandboxAdminError, match="unknown field 'private_key'"):
        partner_sandbox._admin_call("POST", "/config", {"private_key": "x"})


def test_seed_and_receipts(api: Api, partner_sandbox: SandboxServer) -> None:
    first = partner_sandbox.seed_users(2)
    second = partner_sandbox.seed_users(1)
    names = [api.ok("getUser", {"user_id": uid})["user"]["username"] for uid in first + second]
    assert names == ["seed-user-0001", "seed-user-0002", "seed-user-0003"]
    with pytest.raises(SandboxAdminError, match="no such purchase"):
        partner_sandbox.receipt(999)


def test_neither_key_nor_tokens_reach_the_logs(
    api: Api, partner_sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        token = api.login().json()["access_token"]
        api.call("getUser", {"username": "x"}, token=token)
        api.call("getUser", {"username": "x"}, token=token + "x")
        api.login(password=partner_sandbox.private_key + "x")
        partner_sandbox.revoke_tokens()
    logged = "\n".join(f"{record.name} {record.getMessage()} {record.args}" for record in caplog.records)
    assert partner_sandbox.private_key not in logged
    assert token not in logged
    assert not [record for record in caplog.records if record.name == "uvicorn.access"]


@pytest.mark.parametrize("reset", [False, True], ids=["counted", "reset-while-held"])
def test_a_request_held_across_a_stats_reset_counts_towards_the_old_counters(reset: bool) -> None:
    """A request that arrived before `reset_stats()` and is answered after it (held by a latency fault) leaves the new
    counters at zero: a test's counts start clean even when an earlier test left a request in flight."""

    with SandboxServer(admin=True) as sandbox:
        sandbox.inject_fault("getUser", latency=1.0, count=1)
        answers: list[httpx.Response] = []
        call = threading.Thread(target=lambda: answers.append(httpx.post(
            f"{sandbox.base_url}/partner/v2/getUser", json={"user_id": 1},
            headers={"Authorization": "Bearer revoked-long-ago"}, timeout=30)))  # fmt: skip
        call.start()
        deadline = time.monotonic() + 30
        while sandbox.stats().faults_served < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        if reset:
            sandbox.reset_stats()
        call.join(30)
        assert answers[0].json()["result"] == "NOT_AUTHORIZED"
        assert sandbox.stats().not_authorized == (0 if reset else 1)
