"""Fixtures of the release tests; the helpers themselves live in `_support`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ._support import Index, pypiserver


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    """A fresh pypiserver on loopback, stopped after the test."""
    with pypiserver(tmp_path / "index") as running:
        yield running
