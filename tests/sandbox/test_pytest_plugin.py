"""The `partner_sandbox` fixture as a user's test suite sees it (a separate pytest run)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

USER_CONFTEST = """
import pytest

@pytest.fixture(scope="session")
def partner_sandbox_options():
    return {"seed": 2, "token_ttl": 120, "project_id": "my-project"}
"""

USER_TESTS = """
import httpx

def test_fixture_gives_a_running_sandbox(partner_sandbox):
    assert partner_sandbox.project_id == "my-project"
    form = {"login": partner_sandbox.project_id, "password": partner_sandbox.private_key}
    answer = httpx.post(partner_sandbox.base_url + "/partner/login", data=form).json()
    assert answer["expire_time"] - answer["create_time"] == 120
    partner_sandbox.inject_fault("getUser", status=503, count=5)
    assert partner_sandbox.stats().logins == 1

def test_each_test_starts_from_a_reset_sandbox(partner_sandbox):
    assert partner_sandbox.faults() == []
    assert partner_sandbox.stats().logins == 0
    with partner_sandbox.client() as client:
        assert client.get_user(username="seed-user-0002").user.id == 2
        assert [u.username for u in client.iter_users(limit=1)] == ["seed-user-0001", "seed-user-0002"]
    assert partner_sandbox.stats().logins == 1
"""


@pytest.mark.slow
def test_users_get_the_fixture_from_the_installed_plugin(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(USER_CONFTEST)
    (tmp_path / "test_user_code.py").write_text(USER_TESTS)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
