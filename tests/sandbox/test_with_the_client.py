"""The sandbox through `partner_sandbox.client()` (the real PartnerClient), and the demo program."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from partner_api import DefaultValueError, NotFoundError
from partner_api.sandbox import SandboxServer

DEMO = Path(__file__).resolve().parents[2] / "overlays" / "examples" / "demo.py"


def test_client_round_trip(partner_sandbox: SandboxServer) -> None:
    partner_sandbox.seed_users(4)
    with partner_sandbox.client() as client:
        alice = client.create_user(username="alice").user
        assert client.get_user(username="alice").user.id == alice.id
        assert [user.username for user in client.iter_users(limit=2)][-1] == "alice"
        assert client.get_user_traffic(user_id=alice.id).traffic.traffic_used == 0  # absent on the wire
        assert client.list_user_devices(user_id=alice.id).devices == []  # absent on the wire
        with pytest.raises(NotFoundError):
            client.get_user(username="nobody")
        with pytest.raises(DefaultValueError):
            client.get_user(user_id=0)
        assert client.login_count == 1
    stats = partner_sandbox.stats()
    assert stats.logins == 1
    assert stats.requests["listUsers"] == 3  # 5 users, pages of 2
    assert stats.requests["getUser"] == 2  # user_id=0 never left the client


def test_client_logs_in_again_after_revocation(partner_sandbox: SandboxServer) -> None:
    with partner_sandbox.client() as client:
        client.list_licenses()
        partner_sandbox.revoke_tokens()
        assert len(client.list_licenses().licenses) == 3
    stats = partner_sandbox.stats()
    assert (stats.logins, stats.not_authorized, stats.requests["listLicenses"]) == (2, 1, 3)


@pytest.mark.slow
def test_demo_program_runs_to_the_end() -> None:
    result = subprocess.run([sys.executable, str(DEMO)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All steps behaved as described." in result.stdout
    assert "DefaultValueError" in result.stdout
    assert "logins (client / server)             3 / 3" in result.stdout
    assert "step 9: commands + clients / logins  3 + 1 / 1" in result.stdout  # the CLI and a FileTokenStore
