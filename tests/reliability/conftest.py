"""Fixtures of the reliability suite; the helpers themselves live in `_support`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from ._support import Harness, NoNetwork, Sleeps

MakeHarness = Callable[..., Harness]


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def no_network() -> NoNetwork:
    return NoNetwork()


@pytest.fixture
def sandbox(partner_sandbox: Any) -> Any:
    """The plugin's sandbox, reset, with three seeded users (ids 1-3) and zeroed counters."""
    partner_sandbox.seed_users(3)
    partner_sandbox.reset_stats()
    return partner_sandbox


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    """Run the test with `PartnerClient` and with `AsyncPartnerClient`."""
    return str(request.param)


@pytest.fixture
async def harness(sandbox: Any, mode: str) -> AsyncIterator[MakeHarness]:
    """`harness(**client_options)`: a client of the flavour under test against the sandbox (closed afterwards).

    Options: any `PartnerClient` keyword, plus `base_url=` / `private_key=` / `mode=` overrides.
    """
    made: list[Harness] = []

    def make(**options: Any) -> Harness:
        base_url = options.pop("base_url", sandbox.base_url)
        private_key = options.pop("private_key", sandbox.private_key)
        flavour = options.pop("mode", mode)
        made.append(Harness(flavour, sandbox, base_url, private_key, **options))
        return made[-1]

    yield make
    for h in made:
        await h.close()
