"""Fixtures of the release tests; the helpers themselves live in `_support`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from ._support import Index, load_release, pypiserver


@pytest.fixture(scope="session")
def release() -> ModuleType:
    """generator/release.py as a module."""
    return load_release()


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    """A fresh pypiserver on loopback, stopped after the test."""
    with pypiserver(tmp_path / "index") as running:
        yield running
