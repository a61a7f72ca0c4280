"""`strict_answers = false` in a CLI profile: the real `partner-api` executable reads a mistyped answer field as
absent (one warning line on stderr) instead of exiting 7 with MALFORMED_ANSWER."""

from __future__ import annotations

import json
from pathlib import Path

from partner_api.sandbox import SandboxServer

from tests.cli._support import cli_env, run

ANSWER = {"result": "OK", "user": {"id": 7, "username": "alice", "create_time": "1700000000"}}


def profile(home: Path, sandbox: SandboxServer, line: str) -> dict[str, str]:
    config = home / "config" / "partner-api"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(
        f'[profiles.p]\nbase_url = "{sandbox.base_url}"\nproject_id = "{sandbox.project_id}"\n'
        f'private_key_env = "SANDBOX_KEY"\n{line}\n'
    )
    return cli_env(home, None, SANDBOX_KEY=sandbox.private_key)


def test_the_profile_key_makes_the_command_lenient(partner_sandbox: SandboxServer, tmp_path: Path) -> None:
    partner_sandbox.inject_fault("getUser", answer=ANSWER, count=2)
    strict = run(["get-user", "--profile", "p", "--user-id", "7"], profile(tmp_path, partner_sandbox, ""))
    assert strict.returncode == 7
    assert strict.stderr == (
        "partner-api: error: getUser: MALFORMED_ANSWER (HTTP 200): malformed answer: user.create_time: "
        "expected integer, received string\n"
    )
    lenient_env = profile(tmp_path, partner_sandbox, "strict_answers = false")
    lenient = run(["get-user", "--profile", "p", "--user-id", "7"], lenient_env)
    assert lenient.returncode == 0, lenient.stderr
    assert json.loads(lenient.stdout) == {"id": 7, "username": "alice", "auth_method": "", "enabled": False,
                                          "license_id": 0, "create_time": 0}  # fmt: skip
    assert lenient.stderr == (
        "partner-api: warning: partner_api getUser: answer field user.create_time: expected integer, received "
        "string; read as absent (strict_answers=False)\n"
    )


def test_a_profile_key_that_is_not_a_boolean_is_a_usage_error(partner_sandbox: SandboxServer, tmp_path: Path) -> None:
    done = run(["get-user", "--profile", "p", "--user-id", "7"], profile(tmp_path, partner_sandbox,
                                                                         'strict_answers = "no"'))  # fmt: skip
    assert done.returncode == 2
    assert "strict_answers must be true or false" in done.stderr
    assert partner_sandbox.stats().total_requests == 0
