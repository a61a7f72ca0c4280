"""Running the real `partner-api` executable of this environment, with a private HOME and XDG directories."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

EXECUTABLE = Path(sys.executable).with_name("partner-api")
TIMEOUT = 180.0


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
    args: list[str], env: dict[str, str], *, input: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`partner-api ARGS...`, stdout and stderr captured (pipes: not a terminal)."""
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
