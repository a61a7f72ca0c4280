"""Running the real `partner-api` executable of this environment, with a private HOME and XDG directories, in a
pipe or under a pseudo-terminal; reading a bulk job's summary and journal."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pexpect

EXECUTABLE = Path(sys.executable).with_name("partner-api")
TIMEOUT = 180.0
SUMMARY = re.compile(
    r"bulk (?P<command>[a-z-]+): (?P<done>\d+) done, (?P<failed>\d+) failed, (?P<skipped>\d+) skipped, "
    r"(?P<unknown>\d+) unknown, (?P<pending>\d+) pending; (?P<logins>\d+) login\(s\), (?P<limited>\d+) "
    r"rate-limited \(429\); "
)


def cli_env(home: Path, sandbox: Any = None, **extra: str) -> dict[str, str]:
    """The environment of a CLI run: no inherited PARTNER_API_* variables, HOME and XDG dirs under `home`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PARTNER_API_")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        COLUMNS="200",
    )
    if sandbox is not None:
        env.update(
            PARTNER_API_BASE_URL=sandbox.base_url,
            PARTNER_API_PROJECT_ID=sandbox.project_id,
            PARTNER_API_PRIVATE_KEY=sandbox.private_key,
        )
    env.update(extra)
    return env


def run(
    args: list[str], env: dict[str, str], *, input: str | bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`partner-api ARGS...`, stdout and stderr captured (pipes: not a terminal)."""
    if isinstance(input, bytes):
        done = subprocess.run(
            [str(EXECUTABLE), *args], env=env, input=input, capture_output=True, timeout=TIMEOUT, cwd=cwd,
            check=False,
        )  # fmt: skip
        return subprocess.CompletedProcess(
            done.args, done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
        )
    return subprocess.run(
        [str(EXECUTABLE), *args],
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=cwd,
        check=False,
    )


def start(args: list[str], env: dict[str, str], cwd: Path | None = None) -> subprocess.Popen[str]:
    """`partner-api ARGS...` in the background, in its own process group (see `end`)."""
    return subprocess.Popen(
        [str(EXECUTABLE), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, cwd=cwd,
    )  # fmt: skip


def end(process: subprocess.Popen[str]) -> None:
    """Kill what is left of a process started by `start` (its whole group) and collect it."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)


@contextmanager
def terminal(
    args: list[str], env: dict[str, str], *, columns: int = 160, rows: int = 40, cwd: Path | None = None
) -> Iterator[pexpect.spawn]:
    """`partner-api ARGS...` under a pseudo-terminal (stdin, stdout and stderr are the terminal); always ended."""
    child = pexpect.spawn(
        str(EXECUTABLE), args, env={**env, "COLUMNS": str(columns), "LINES": str(rows)}, encoding="utf-8",
        timeout=120, dimensions=(rows, columns), cwd=str(cwd) if cwd else None,
    )  # fmt: skip
    try:
        yield child
    finally:
        child.close(force=True)


def summary(stderr: str) -> dict[str, int]:
    """The counts of a bulk job's summary line."""
    found = SUMMARY.search(stderr)
    assert found is not None, stderr
    return {key: int(value) for key, value in found.groupdict().items() if key != "command"}


def journal_states(path: Path) -> dict[str, str]:
    """Each row's last state in a bulk journal, read as the job reads it (`Journal.read`)."""
    from partner_api.cli._journal import Journal

    return dict(Journal.read(path).states)


def write_config(home: Path, text: str) -> Path:
    """`text` as the config file (config.toml) of the CLI runs with this `home`."""
    path = home / "config" / "partner-api" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def wait_until(condition: Any, timeout: float = 60.0, what: str = "the condition") -> None:
    """Poll `condition()` until it is true (fail after `timeout` seconds)."""
    import time

    import pytest

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {timeout} s")
        time.sleep(0.05)


def all_done(stderr: str, total: int) -> None:
    """The bulk summary says every row done: none failed, unknown or pending."""
    counts = summary(stderr)
    assert (counts["done"], counts["failed"], counts["unknown"], counts["pending"]) == (total, 0, 0, 0), stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
