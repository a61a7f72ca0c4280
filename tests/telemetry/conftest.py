"""Fixtures of the observability tests: the sandbox, in-memory OpenTelemetry providers per test, and clients of the
flavour under test reporting to them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from tests.support.harness import Harness, MakeHarness
from tests.support.telemetry import Telemetry


@pytest.fixture
def sandbox(partner_sandbox: Any) -> Any:
    """The plugin's sandbox, reset, with three seeded users (ids 1-3)."""
    partner_sandbox.seed_users(3)
    return partner_sandbox


@pytest.fixture
def telemetry() -> Iterator[Telemetry]:
    t = Telemetry()
    yield t
    t.shutdown()


@pytest.fixture
async def harness(sandbox: Any, mode: str, telemetry: Telemetry) -> AsyncIterator[MakeHarness]:
    """`harness(**options)`: a client of the flavour under test reporting to `telemetry` (closed afterwards)."""
    made: list[Harness] = []

    def make(**options: Any) -> Harness:
        made.append(Harness(options.pop("mode", mode), sandbox, **{**telemetry.providers, **options}))
        return made[-1]

    yield make
    for h in made:
        await h.aclose()
