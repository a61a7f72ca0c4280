"""What the command line says when something is wrong: the URL and a reason for a connection, `--timeout`, the
Retry-After of a 429, help where help was asked for, and operator words instead of Python's (with "did you mean").
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from partner_api.sandbox import SandboxServer

from ._support import cli_env, free_port, run, write_config

_PYTHON_WORDS = re.compile(
    r"\b[A-Z][A-Za-z]*(Error|Exception)\b|Errno|got bool|a mapping|keyword argument|<=x<=|integer range|Traceback"
)


def _one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("partner-api: error: ")
    assert not _PYTHON_WORDS.search(lines[0]), lines[0]
    return lines[0]


def test_connection_refused_names_the_url_and_the_reason(home: Path) -> None:
    """Defect 10: `ConnectError: [Errno 111] Connection refused`, without the URL."""
    port = free_port()
    env = cli_env(home, PARTNER_API_BASE_URL=f"http://127.0.0.1:{port}", PARTNER_API_PROJECT_ID="p",
                  PARTNER_API_PRIVATE_KEY="k" * 16)  # fmt: skip
    result = run(["get-user", "--user-id", "1"], env)
    assert result.returncode == 7
    line = _one_error_line(result.stderr)
    assert (
        line
        == f"partner-api: error: login: cannot connect to http://127.0.0.1:{port}/partner/login: connection refused"
    )


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never answers (the kernel completes the handshake; nobody reads)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield int(server.getsockname()[1])


def test_a_server_that_never_answers_is_named_with_the_timeout(home: Path, silent_server: int) -> None:
    """Defect 10: 31 s of silence, then `ReadTimeout: timed out`. Now `--timeout` (global, before or after the
    command, or a profile key) and a message with the URL and the limit."""
    env = cli_env(home, PARTNER_API_BASE_URL=f"http://127.0.0.1:{silent_server}", PARTNER_API_PROJECT_ID="p",
                  PARTNER_API_PRIVATE_KEY="k" * 16)  # fmt: skip
    for args in (
        ["--timeout", "0.5", "get-user", "--user-id", "1"],
        ["get-user", "--user-id", "1", "--timeout", "0.5"],
    ):
        result = run(args, env)
        assert result.returncode == 7
        line = _one_error_line(result.stderr)
        assert f"no answer from http://127.0.0.1:{silent_server}/partner/login within 0.5 s" in line
        assert "--timeout SECONDS sets the limit" in line
    write_config(home, f'[profiles.slow]\nbase_url = "http://127.0.0.1:{silent_server}"\nproject_id = "p"\n'
                  'private_key_env = "SLOW_KEY"\ntimeout = 0.5\n')  # fmt: skip
    profiled = run(["get-user", "--user-id", "1", "--profile", "slow"], cli_env(home, SLOW_KEY="k" * 16))
    assert profiled.returncode == 7
    assert "within 0.5 s" in _one_error_line(profiled.stderr)
    bad = run(["--timeout", "0", "list-licenses"], env)
    assert bad.returncode == 2
    assert "0 is not a number of seconds above 0" in _one_error_line(bad.stderr)


def test_a_429_says_when_to_retry(partner_sandbox: SandboxServer, home: Path) -> None:
    """Defect 11: the Retry-After of a 429 was not shown."""
    (user_id,) = partner_sandbox.seed_users(1)
    partner_sandbox.inject_fault("setUserTrafficLimit", status=429, result="TOO_MANY_REQUESTS", retry_after=7)
    result = run(["set-user-traffic-limit", "--user-id", str(user_id), "--traffic-limit", "5"],
                 cli_env(home, partner_sandbox))  # fmt: skip
    assert result.returncode == 6
    assert _one_error_line(result.stderr).endswith("(retry after 7 s)")


def test_a_group_without_its_subcommand_shows_its_help(home: Path) -> None:
    """Defect 13: `export` alone squashed its help into one error line."""
    for group, entry in (("export", "sessions"), ("bulk", "set-user-traffic-limit")):
        result = run([group], cli_env(home))
        assert result.returncode == 2
        assert result.stderr.startswith(f"Usage: partner-api {group} ")
        assert len(result.stderr.splitlines()) > 8
        assert re.search(rf"^  {entry} ", result.stderr, re.MULTILINE)


def test_no_python_words_in_messages(partner_sandbox: SandboxServer, home: Path, tmp_path: Path) -> None:
    """Defect 16: FileNotFoundError, `got bool True`, `must be a mapping, got list`, `[0<=x<=...]` in help,
    `is not a valid integer range`, a CSV row error naming `--user-id`, and `set project_id` for `projectid`."""
    (user_id,) = partner_sandbox.seed_users(1)
    env = cli_env(home, partner_sandbox)
    uid = str(user_id)
    cases = {
        "not JSON object": (["update-user", "--user-id", uid, "--extra", "[1]"], "a list is not a JSON object"),
        "nested type": (["update-user", "--user-id", uid, "--extra", '{"country": true}'], "country: true is not text"),
        "nested key": (["update-user", "--user-id", uid, "--extra", '{"countri": "DE"}'], "did you mean country?"),
        "date": (["get-traffic-report", "--start-time", "2026-13-01", "--end-time", "now"], "is not a time: give"),
        "option": (["get-user", "--user-idd", "1"], "did you mean"),
        "command": (["get-usr", "--user-id", "1"], "no command get-usr (did you mean get-user?)"),
        "operation": (["bulk", "delete-usr"], "no operation delete-usr (did you mean delete-user?)"),
        "export": (["export", "session"], "did you mean sessions?"),
        "no input file": (
            ["bulk", "set-user-traffic-limit", "--input", str(tmp_path / "none.csv")],
            f"--input {tmp_path / 'none.csv'}: no such file",
        ),
        "no @file": (
            ["add-user-purchase", "--user-id", uid, "--type", "googleplay", "--receipt", f"@{tmp_path / 'none.json'}"],
            f"cannot read {tmp_path / 'none.json'}: no such file",
        ),
    }
    for name, (args, expected) in cases.items():
        result = run(args, env)
        assert result.returncode == 2, (name, result.stderr)
        assert expected in _one_error_line(result.stderr), name
    helps = run(["list-users", "--help"], env).stdout + run(["get-user", "--help"], env).stdout
    assert "<=x<=" not in helps and "[at most 1000]" in helps
    assert partner_sandbox.stats().total_requests == 0
    # a bulk row: its column's name, and JSON's words
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        json.dumps({"user_id": True, "traffic_limit": 5}) + "\n" + json.dumps({"user_id": 0, "traffic_limit": 5}) + "\n"
    )
    output = tmp_path / "out.jsonl"
    run(["bulk", "set-user-traffic-limit", "--input", str(rows), "--output", str(output)], env)
    errors = [json.loads(line)["error"] for line in output.read_text().splitlines()]
    assert errors[0] == "bad input: user_id: true is not a whole number"
    assert 'user_id: 0 and "" are the default value' in errors[1] and "--user-id" not in errors[1]
    assert not any(_PYTHON_WORDS.search(error) for error in errors)


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ('projectid = "p"\nbase_url = "u"\nprivate_key_env = "K"\n',
         "unknown key projectid (did you mean project_id?)"),
        ('project_id = "p"\nbase_url = "u"\nprivate_key_command = "no-such-program-x1"\n',
         "private_key_command: no program no-such-program-x1 found"),
        ('project_id = "p"\nbase_url = "u"\nprivate_key_env = "K"\ntimeout = "soon"\n', "timeout must be a number"),
    ],
    ids=["misspelled key", "missing program", "timeout"],
)  # fmt: skip
def test_profile_problems_in_words(home: Path, profile: str, expected: str) -> None:
    write_config(home, f"[profiles.prod]\n{profile}")
    result = run(["list-licenses", "--profile", "prod"], cli_env(home, K="k" * 16))
    assert result.returncode == 2
    assert expected in _one_error_line(result.stderr)
    wrong_name = run(["list-licenses", "--profile", "prd"], cli_env(home))
    assert "no [profiles.prd]" in wrong_name.stderr and "(did you mean prod?)" in wrong_name.stderr


def test_a_short_key_masks_no_words(partner_sandbox: SandboxServer, home: Path) -> None:
    """Defect 20: a key "wrong" turned the server's message into `******** login or password`."""
    result = run(["list-licenses"], cli_env(home, partner_sandbox, PARTNER_API_PRIVATE_KEY="wrong"))
    assert result.returncode == 4
    assert "wrong login or password" in _one_error_line(result.stderr)
    long_key = "wrong-but-long-key"
    result = run(["list-licenses", "-v"], cli_env(home, partner_sandbox, PARTNER_API_PRIVATE_KEY=long_key))
    assert result.returncode == 4
    assert long_key not in result.stderr


def test_python_m_partner_api_is_the_command_line(partner_sandbox: SandboxServer, home: Path) -> None:
    """Defect 20: `python -m partner_api` did nothing."""
    (user_id,) = partner_sandbox.seed_users(1)
    env = cli_env(home, partner_sandbox)
    version = subprocess.run([sys.executable, "-m", "partner_api", "--version"], env=env, capture_output=True,
                             text=True, timeout=60, check=False)  # fmt: skip
    assert version.returncode == 0 and version.stdout.startswith("partner-api ")
    user = subprocess.run([sys.executable, "-m", "partner_api", "get-user", "--user-id", str(user_id)], env=env,
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert user.returncode == 0, user.stderr
    assert json.loads(user.stdout)["id"] == user_id
    helped = subprocess.run([sys.executable, "-m", "partner_api", "--help"], env=env, capture_output=True, text=True,
                            timeout=60, check=False)  # fmt: skip
    assert helped.stdout.startswith("Usage: python -m partner_api [OPTIONS] COMMAND")


def test_the_sandbox_help_reads_like_the_other_commands(home: Path) -> None:
    """Defect 20: the sandbox's help was argparse's (`usage:`, `options:`)."""
    result = run(["sandbox", "--help"], cli_env(home))
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: partner-api sandbox [OPTIONS]\n")
    assert "\nOptions:\n" in result.stdout and "--seed N" in result.stdout
    bad = run(["sandbox", "--port", "x"], cli_env(home))
    assert bad.returncode == 2
    [line] = bad.stderr.splitlines()
    assert line.startswith("partner-api sandbox: error: ") and "--port" in line


def test_the_pytest_plugin_does_not_import_httpx(tmp_path: Path) -> None:
    """Defect 20: the plugin (loaded in every pytest run of the environment) imported httpx (~100 ms)."""
    probe = "def test_probe():\n    assert 'httpx' not in sys.modules\n    assert 'partner_api' in sys.modules\n"
    (tmp_path / "test_probe.py").write_text(f"import sys\n\n{probe}")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    env = {key: value for key, value in __import__("os").environ.items() if not key.startswith("PYTEST_")}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # only this plugin: others (schemathesis) bring httpx themselves
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "partner_api.pytest_plugin", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), "-c", str(tmp_path / "pytest.ini"), str(tmp_path / "test_probe.py")],
        capture_output=True, text=True, timeout=120, check=False, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
