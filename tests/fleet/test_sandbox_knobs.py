"""The sandbox's fleet knobs: `max_active_tokens` and `login_rate_limit` (constructor, admin API, command line)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from partner_api.sandbox import SandboxAdminError, SandboxServer


def _login(http: httpx.Client, sandbox: SandboxServer) -> httpx.Response:
    return http.post("/partner/login", data={"login": sandbox.project_id, "password": sandbox.private_key})


def _licenses(http: httpx.Client, token: str) -> httpx.Response:
    return http.post("/partner/v2/listLicenses", json={}, headers={"Authorization": f"Bearer {token}"})


def test_a_login_beyond_max_active_tokens_revokes_the_oldest() -> None:
    with SandboxServer(admin=True, max_active_tokens=2) as sandbox, httpx.Client(base_url=sandbox.base_url) as http:
        tokens = [_login(http, sandbox).json()["access_token"] for _ in range(3)]
        answers = [_licenses(http, token).json()["result"] for token in tokens]
        assert answers == ["NOT_AUTHORIZED", "OK", "OK"]
        stats = sandbox.stats()
        assert (stats.logins, stats.failed_logins, stats.not_authorized) == (3, 0, 1)
        assert sandbox.config()["max_active_tokens"] == 2
        sandbox.set_max_active_tokens(1)
        fourth = _login(http, sandbox).json()["access_token"]
        assert [_licenses(http, t).json()["result"] for t in (tokens[2], fourth)] == ["NOT_AUTHORIZED", "OK"]
        sandbox.set_max_active_tokens(None)
        fifth = _login(http, sandbox).json()["access_token"]
        assert [_licenses(http, t).json()["result"] for t in (fourth, fifth)] == ["OK", "OK"]
        sandbox.reset()
        assert sandbox.config()["max_active_tokens"] == 2
        with pytest.raises(SandboxAdminError, match="HTTP 400"):
            sandbox.set_max_active_tokens(0)


def test_login_rate_limit_answers_429_to_logins_only() -> None:
    with SandboxServer(admin=True, login_rate_limit=1) as sandbox, httpx.Client(base_url=sandbox.base_url) as http:
        first, second = _login(http, sandbox), _login(http, sandbox)
        assert first.status_code == 200
        assert second.status_code == 429
        assert second.json()["result"] == "TOO_MANY_REQUESTS"
        assert int(second.headers["Retry-After"]) >= 1
        token = first.json()["access_token"]
        assert all(_licenses(http, token).status_code == 200 for _ in range(5))  # operations are not limited
        stats = sandbox.stats()
        assert (stats.logins, stats.rate_limited, stats.failed_logins) == (1, 1, 0)
        sandbox.set_login_rate_limit(None)
        assert [_login(http, sandbox).status_code for _ in range(3)] == [200, 200, 200]
        sandbox.set_login_rate_limit(1000)
        assert sandbox.config()["login_rate_limit"] == 1000.0


def test_failed_logins_and_not_authorized_are_still_counted() -> None:
    with SandboxServer(admin=True, max_active_tokens=1) as sandbox, httpx.Client(base_url=sandbox.base_url) as http:
        assert http.post("/partner/login", data={"login": sandbox.project_id, "password": "wrong"}).status_code == 401
        stats = sandbox.stats()
        assert (stats.logins, stats.failed_logins, stats.not_authorized) == (0, 1, 1)


def test_the_command_line_options(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("partner-api")
    help_text = subprocess.run([str(script), "sandbox", "--help"], capture_output=True, text=True, timeout=60).stdout
    assert "--max-active-tokens" in help_text
    assert "--login-rate-limit" in help_text
    argv = [str(script), "sandbox", "--port", "0", "--admin", "--max-active-tokens", "1", "--login-rate-limit", "50"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 60
        base_url = ""
        while not base_url and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            if "http://" in line:
                base_url = "http://" + line.split("http://", 1)[1].split()[0]
        assert base_url, "the sandbox did not print its URL"
        with httpx.Client(base_url=base_url) as http:
            config = http.get("/_sandbox/config").json()
            assert (config["max_active_tokens"], config["login_rate_limit"]) == (1, 50.0)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)
        if process.stdout is not None:
            process.stdout.close()
    result = subprocess.run([str(script), "sandbox", "--max-active-tokens", "0"], capture_output=True, text=True,
                            timeout=60)  # fmt: skip
    assert result.returncode == 2
    assert "--max-active-tokens must be at least 1 (or left out)" in result.stderr  # in the command's own terms
