"""Profiles and key sources; the private key never on a command line (`ps`) nor in any output."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from partner_api.sandbox import SandboxServer

from ._support import EXECUTABLE, cli_env, run, write_config


def _profile(sandbox: SandboxServer, source: str) -> str:
    return f'[profiles.sandbox]\nbase_url = "{sandbox.base_url}"\nproject_id = "{sandbox.project_id}"\n{source}\n'


def _key_sources(sandbox: SandboxServer, tmp_path: Path) -> dict[str, tuple[str, dict[str, str]]]:
    key_file = tmp_path / "key.txt"
    key_file.write_text(sandbox.private_key + "\n")
    key_file.chmod(0o600)
    script = tmp_path / "print-key.py"
    script.write_text(f"print(open({str(key_file)!r}).read().strip())\n")
    return {
        "env": ('private_key_env = "MY_SANDBOX_KEY"', {"MY_SANDBOX_KEY": sandbox.private_key}),
        "file": (f'private_key_file = "{key_file}"', {}),
        "command": (f'private_key_command = "{sys.executable} {script}"', {}),
    }


@pytest.mark.parametrize("source", ["env", "file", "command"])
def test_profile_key_sources(partner_sandbox: SandboxServer, home: Path, tmp_path: Path, source: str) -> None:
    (user_id,) = partner_sandbox.seed_users(1)
    setting, extra_env = _key_sources(partner_sandbox, tmp_path)[source]
    write_config(home, _profile(partner_sandbox, setting))
    env = cli_env(home, **extra_env)  # no PARTNER_API_* variables: the profile is the only source
    result = run(["get-user", "--user-id", str(user_id), "--profile", "sandbox"], env)
    assert result.returncode == 0, result.stderr
    assert partner_sandbox.private_key not in result.stdout + result.stderr
    assert partner_sandbox.stats().logins == 1
    # PARTNER_API_PROFILE selects it as well
    assert run(["get-user", "--user-id", str(user_id)], {**env, "PARTNER_API_PROFILE": "sandbox"}).returncode == 0


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (None, "no config file"),
        ('[profiles.other]\nbase_url = "u"\nproject_id = "p"\nprivate_key_env = "X"\n', "known: other"),
        ('[profiles.sandbox]\nbase_url = "u"\nproject_id = "p"\nprivate_key = "k"\n', "private_key is not read"),
        ('[profiles.sandbox]\nbase_url = "u"\nproject_id = "p"\n', "exactly one of"),
        ('[profiles.sandbox]\nbase_url = "u"\nproject_id = "p"\nprivate_key_env = "UNSET_VAR_X"\n', "is not set"),
        ('[profiles.sandbox]\nbase_url = "u"\nproject_id = "p"\nprivate_key_file = "/nonexistent"\n', "cannot read"),
        ('[profiles.sandbox]\nbase_url = "u"\nproject_id = "p"\nprivate_key_command = "false"\n', "exited 1"),
        ("not toml [", "cannot read"),
    ],
)
def test_profile_problems_exit_2_before_sending(
    partner_sandbox: SandboxServer, home: Path, config: str | None, message: str
) -> None:
    if config is not None:
        write_config(home, config)
    result = run(["get-user", "--user-id", "1", "--profile", "sandbox"], cli_env(home))
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert partner_sandbox.stats().total_requests == 0


def test_the_key_is_not_in_ps_nor_in_output(partner_sandbox: SandboxServer, home: Path, tmp_path: Path) -> None:
    """While a command runs (its request held by the sandbox), no process's command line holds the key."""
    (user_id,) = partner_sandbox.seed_users(1)
    partner_sandbox.inject_fault("getUser", latency=3.0, count=1)
    setting, _ = _key_sources(partner_sandbox, tmp_path)["command"]
    write_config(home, _profile(partner_sandbox, setting))
    process = subprocess.Popen(
        [str(EXECUTABLE), "get-user", "--user-id", str(user_id), "--profile", "sandbox"],
        env=cli_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while partner_sandbox.stats().requests.get("getUser", 0) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        listing = subprocess.run(["ps", "-eww", "-o", "args"], capture_output=True, text=True, check=True).stdout
        assert "get-user --user-id" in listing  # the command is running and visible
        assert partner_sandbox.private_key not in listing
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 0, stderr
    assert partner_sandbox.private_key not in stdout + stderr


def test_the_key_is_not_in_error_output(partner_sandbox: SandboxServer, home: Path) -> None:
    partner_sandbox.inject_fault("login", status=502, body="html")
    env = cli_env(home, partner_sandbox)
    result = run(["get-user", "--user-id", "1"], env)
    assert result.returncode != 0
    assert partner_sandbox.private_key not in result.stdout + result.stderr


def test_the_config_file_is_read_not_written(partner_sandbox: SandboxServer, home: Path, tmp_path: Path) -> None:
    setting, extra = _key_sources(partner_sandbox, tmp_path)["env"]
    path = write_config(home, _profile(partner_sandbox, setting))
    before = path.stat()
    run(["list-licenses", "--profile", "sandbox"], cli_env(home, **extra))
    assert stat.S_IMODE(path.stat().st_mode) == stat.S_IMODE(before.st_mode)
    assert path.stat().st_mtime_ns == before.st_mtime_ns


def test_ten_commands_one_login_through_the_token_cache(partner_sandbox: SandboxServer, home: Path) -> None:
    (user_id,) = partner_sandbox.seed_users(1)
    env = cli_env(home, partner_sandbox)
    for _ in range(5):
        assert run(["get-user", "--user-id", str(user_id)], env).returncode == 0
        assert run(["get-user-traffic", "--user-id", str(user_id)], env).returncode == 0
    stats = partner_sandbox.stats()
    assert stats.logins == 1
    assert stats.requests["getUser"] == 5
    cache = home / "cache" / "partner-api" / "tokens"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert partner_sandbox.private_key.encode() not in cache.read_bytes()
    # a revoked token costs one more login, then the cache holds the new one
    partner_sandbox.revoke_tokens()
    for _ in range(3):
        assert run(["get-user", "--user-id", str(user_id)], env).returncode == 0
    assert partner_sandbox.stats().logins == 2


def test_an_unreachable_token_store_is_one_warning_not_silence(partner_sandbox: SandboxServer, home: Path) -> None:
    """PARTNER_API_TOKEN_STORE names a Redis that is down: the command works (its own login) and says, on one
    stderr line, that the token is not shared; the URL (it may hold a password) is not repeated."""
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"redis://:secret-password@127.0.0.1:{port}/0"
    result = run(["list-licenses"], cli_env(home, partner_sandbox, PARTNER_API_TOKEN_STORE=url))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)
    [line] = result.stderr.splitlines()
    assert line.startswith("partner-api: warning: partner_api token store RedisTokenStore unavailable")
    assert "secret-password" not in result.stderr
    assert partner_sandbox.stats().logins == 1


def test_a_redis_token_store_without_the_redis_extra_names_it(home: Path) -> None:
    """redis:// without the `redis` package: exit 2 naming the extra, no traceback, the URL not repeated."""
    env = cli_env(home, PARTNER_API_TOKEN_STORE="redis://:secret-password@127.0.0.1:6379/0")
    env.update(PARTNER_API_BASE_URL="http://127.0.0.1:9", PARTNER_API_PROJECT_ID="p", PARTNER_API_PRIVATE_KEY="k")
    code = (
        "import sys\nsys.modules['redis'] = None\nfrom partner_api.cli import main\nsys.exit(main(['list-licenses']))"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "pip install 'partner-api-client[redis]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert "secret-password" not in result.stderr
