"""Fixtures of the CLI tests: a private home directory and a sandbox in a child process for the bulk jobs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from partner_api.sandbox import SandboxProcess


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """HOME, XDG_CONFIG_HOME and XDG_CACHE_HOME of the CLI runs of one test."""
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture(scope="module")
def sandbox_process() -> Iterator[SandboxProcess]:
    """A sandbox in its own process (its own GIL, like a real server), admin on; reset by `bulk_sandbox`."""
    with SandboxProcess(admin=True, token_ttl=3600) as sandbox:
        yield sandbox


@pytest.fixture
def bulk_sandbox(sandbox_process: SandboxProcess) -> SandboxProcess:
    sandbox_process.reset()
    return sandbox_process
