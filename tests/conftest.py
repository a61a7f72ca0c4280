"""Session-wide set-up: the suite runs without the release settings, and SIGTERM lets tests clean up.

- make's recursion variables (MAKEFLAGS, ...), INDEX_URL, TWINE_* and the like leave the environment before any test
  runs (release/environment.py RELEASE_SETTINGS; `make test` / `make publish` already drop them), so whatever a test
  starts, `make publish` included, gets only what the test passes.
- SIGTERM (what a runner sends to the process group of a `make test` it gives up on) becomes KeyboardInterrupt: the
  running test's `finally` blocks and fixture teardowns still end the processes and process groups it started,
  instead of leaving them to run on.
"""

from __future__ import annotations

import os
import signal
from types import FrameType

import pytest

from release.environment import is_release_setting


def _terminate(signum: int, frame: FrameType | None) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut the clean-up short
    raise KeyboardInterrupt(f"signal {signum}: ending the test run")


def pytest_configure(config: pytest.Config) -> None:
    for name in [name for name in os.environ if is_release_setting(name)]:
        del os.environ[name]
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)
