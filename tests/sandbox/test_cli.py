"""`partner-api sandbox` / `python -m partner_api.sandbox` as a process: start, serve, stop on signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from partner_api.cli import main
from partner_api.sandbox import SandboxProcess

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX signals")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_process_serves_and_exits_cleanly_on_signals(sig: signal.Signals, tmp_path: Path) -> None:
    sandbox = SandboxProcess(admin=True, seed=2, token_ttl=120, db=tmp_path / "s.db", log_level="info")
    with sandbox:
        assert sandbox.base_url.startswith("http://127.0.0.1:")  # loopback by default
        assert sandbox.private_key not in " ".join(sandbox.argv)  # the key travels in the environment
        with httpx.Client(base_url=sandbox.base_url, trust_env=False) as http:
            form = {"login": sandbox.project_id, "password": sandbox.private_key}
            login = http.post("/partner/login", data=form).json()
            assert login["expire_time"] - login["create_time"] == 120
            headers = {"Authorization": f"Bearer {login['access_token']}"}
            user = http.post("/partner/v2/getUser", json={"username": "seed-user-0002"}, headers=headers).json()
            assert user["user"]["id"] == 2
        assert sandbox.stats().requests == {"getUser": 1, "login": 1}
        assert sandbox.process is not None
        sandbox.process.send_signal(sig)
        assert sandbox.process.wait(timeout=15) == 0
    assert all(sandbox.private_key not in line for line in sandbox.output)
    assert (tmp_path / "s.db").exists()


def test_console_script_help_and_version() -> None:
    script = Path(sys.executable).with_name("partner-api")
    result = subprocess.run([str(script), "sandbox", "--help"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    for option in ("--host", "--port", "--project-id", "--private-key", "--token-ttl", "--db", "--seed", "--admin"):
        assert option in result.stdout
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    assert result.stdout.startswith("partner-api ")


def test_bad_arguments_exit_with_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sandbox", "--token-ttl", "0"]) == 2
    assert "--token-ttl must be at least 1 second" in capsys.readouterr().err
    assert main([]) == 2


def test_faults_and_knobs_given_on_the_command_line() -> None:
    fault = {"operation": "login", "status": 502, "body": "empty"}
    with SandboxProcess(admin=True, clock_offset=-3600, rate_limit=100, faults=[fault]) as sandbox:
        with httpx.Client(base_url=sandbox.base_url, trust_env=False) as http:
            form = {"login": sandbox.project_id, "password": sandbox.private_key}
            assert http.post("/partner/login", data=form).status_code == 502
            assert http.post("/partner/login", data=form).status_code == 200
        config = sandbox.config()
        assert (config["clock_offset"], config["rate_limit"]) == (-3600.0, 100.0)
        assert sandbox.stats().faults == {"login": 1}


def test_a_bad_fault_option_exits_with_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sandbox", "--fault", '{"operation": "nope", "status": 500}']) == 2
    assert "unknown operation 'nope'" in capsys.readouterr().err


def test_a_taken_port_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    with SandboxProcess() as running:
        port = int(running.base_url.rsplit(":", 1)[1])
        assert main(["sandbox", "--port", str(port)]) == 1
    assert "cannot listen on 127.0.0.1" in capsys.readouterr().err


def test_process_settings_are_checked_before_spawning() -> None:
    with pytest.raises(ValueError, match="token_ttl must be at least 1 second"):
        SandboxProcess(token_ttl=0)
    sandbox = SandboxProcess(private_key="k", admin=True, rate_limit=5, faults=[{"operation": "login", "drop": True}])
    assert sandbox.argv[sandbox.argv.index("--rate-limit") + 1] == "5"
    assert "--admin" in sandbox.argv
    assert "k" not in sandbox.argv
    assert repr(sandbox) == "SandboxProcess(not started, project_id='demo', admin=True)"
