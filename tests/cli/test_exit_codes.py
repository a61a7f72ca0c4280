"""Each exit code of the docs' table (guide/cli.md), errors as one line on stderr, and bad input that sends nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from partner_api.sandbox import SandboxServer

from ._support import cli_env, run


def _one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("partner-api: error: ")
    return lines[0]


@pytest.mark.parametrize(
    "arguments",
    [
        ["get-user"],  # neither --user-id nor --username
        ["get-user", "--user-id", "0"],  # out of the spec's range (0 means "absent" to the API)
        ["get-user", "--username", ""],  # the default-value rule
        ["get-user", "--user-id", "abc"],
        ["get-user", "--user-id", "9007199254740992"],
        ["get-user", "--no-such-option", "1"],
        ["get-user", "--private-key", "k"],  # the key is never a command-line value
        ["set-user-traffic-limit", "--user-id", "1"],  # --traffic-limit is required
        ["get-traffic-report", "--start-time", "1", "--end-time", "2", "--group-by", "week"],  # not in the enum
        ["create-user", "--username", "x", "--extra", '{"country": "Germany"}'],  # the spec's pattern
        ["create-user", "--username", "x", "--extra", "{not json"],
        ["add-user-purchase", "--user-id", "1", "--type", "x", "--receipt", "@/nonexistent/receipt.json"],
        ["update-user", "--user-id", "1", "--extra", '{"colour": "red"}'],  # unknown nested field
        ["no-such-command"],
    ],
    ids=lambda arguments: " ".join(arguments)[:60],
)
def test_bad_input_exits_2_and_sends_nothing(partner_sandbox: SandboxServer, home: Path, arguments: list[str]) -> None:
    result = run(arguments, cli_env(home, partner_sandbox))
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    _one_error_line(result.stderr)
    stats = partner_sandbox.stats()
    assert stats.total_requests == 0  # not even a login
    assert stats.logins == 0


def test_the_default_value_rule_speaks_of_options(partner_sandbox: SandboxServer, home: Path) -> None:
    """The command line has no client settings to change: the error names the option, not `default_values=`."""
    result = run(["get-user", "--username", ""], cli_env(home, partner_sandbox))
    assert result.returncode == 2
    line = _one_error_line(result.stderr)
    assert "--username" in line
    assert "default value" in line
    assert "default_values" not in line
    assert "client" not in line


def test_no_arguments_prints_help_and_exits_2(home: Path) -> None:
    result = run([], cli_env(home))
    assert result.returncode == 2
    assert "Usage: partner-api" in result.stderr


def test_missing_credentials_exit_2(home: Path) -> None:
    result = run(["get-user", "--user-id", "1"], cli_env(home))
    assert result.returncode == 2
    line = _one_error_line(result.stderr)
    assert "PARTNER_API_BASE_URL" in line


def test_not_found_3(partner_sandbox: SandboxServer, home: Path) -> None:
    result = run(["get-user", "--username", "nobody"], cli_env(home, partner_sandbox))
    assert result.returncode == 3
    assert "NOT_FOUND" in _one_error_line(result.stderr)
    assert result.stdout == ""


def test_authentication_4(partner_sandbox: SandboxServer, home: Path) -> None:
    env = cli_env(home, partner_sandbox, PARTNER_API_PRIVATE_KEY="wrong-key-0123456789")
    result = run(["get-user", "--user-id", "1"], env)
    assert result.returncode == 4
    line = _one_error_line(result.stderr)
    assert "NOT_AUTHORIZED" in line
    assert "wrong-key-0123456789" not in result.stderr + result.stdout
    assert partner_sandbox.stats().failed_logins == 1


def test_invalid_parameters_5(partner_sandbox: SandboxServer, home: Path) -> None:
    partner_sandbox.seed_users(1)
    partner_sandbox.inject_fault("getUser", status=400, result="INVALID_PARAMETERS", count=1)
    result = run(["get-user", "--user-id", "1"], cli_env(home, partner_sandbox))
    assert result.returncode == 5
    assert "INVALID_PARAMETERS" in _one_error_line(result.stderr)


def test_rate_limited_6(partner_sandbox: SandboxServer, home: Path) -> None:
    partner_sandbox.seed_users(1)
    partner_sandbox.inject_fault("setUserTrafficLimit", status=429, result="TOO_MANY_REQUESTS", retry_after=1)
    result = run(["set-user-traffic-limit", "--user-id", "1", "--traffic-limit", "5"], cli_env(home, partner_sandbox))
    assert result.returncode == 6
    assert "TOO_MANY_REQUESTS" in _one_error_line(result.stderr)
    assert partner_sandbox.stats().requests["setUserTrafficLimit"] == 1  # a mutation is not repeated


@pytest.mark.parametrize("kind", ["server", "connection"])
def test_server_or_connection_7(partner_sandbox: SandboxServer, home: Path, kind: str) -> None:
    partner_sandbox.seed_users(1)
    env = cli_env(home, partner_sandbox)
    if kind == "server":
        partner_sandbox.inject_fault("deleteUser", status=500, result="INTERNAL_ERROR")
        arguments = ["delete-user", "--user-id", "1", "--yes"]
    else:
        env["PARTNER_API_BASE_URL"] = "http://127.0.0.1:9"  # nothing listens on the discard port
        arguments = ["get-user", "--user-id", "1"]
    result = run(arguments, env)
    assert result.returncode == 7
    _one_error_line(result.stderr)


def test_other_error_1(partner_sandbox: SandboxServer, home: Path) -> None:
    (user_id,) = partner_sandbox.seed_users(1)
    result = run(["create-user", "--username", f"seed-user-{user_id:04d}"], cli_env(home, partner_sandbox))
    assert result.returncode == 1
    assert "USER_ALREADY_EXISTS" in _one_error_line(result.stderr)
