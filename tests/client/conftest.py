"""Fixtures of the client's end-to-end tests: the sandbox, and clients on the recording transport with the
fake clock (the helpers live in `tests.support`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from partner_api import AsyncPartnerClient, PartnerClient

from tests.support.clock import FakeClock
from tests.support.harness import Harness
from tests.support.transport import Wire


@pytest.fixture
def sandbox(partner_sandbox: Any) -> Any:
    """The sandbox (the plugin's fixture resets it for each test)."""
    return partner_sandbox


@pytest.fixture
def wire() -> Wire:
    return Wire()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_client(sandbox: Any, wire: Wire, clock: FakeClock) -> Iterator[Callable[..., PartnerClient]]:
    """`make_client(**options)`: a `PartnerClient` on the sandbox, recorded into `wire`, on `clock` (closed after)."""
    made: list[Harness] = []

    def make(**options: Any) -> PartnerClient:
        made.append(Harness("sync", sandbox, wire=wire, clock=clock, **options))
        return made[-1].client

    yield make
    for h in made:
        h.close()


@pytest.fixture
def client(make_client: Callable[..., PartnerClient]) -> PartnerClient:
    return make_client()


@pytest.fixture
async def aclient(sandbox: Any, wire: Wire, clock: FakeClock) -> AsyncIterator[AsyncPartnerClient]:
    h = Harness("async", sandbox, wire=wire, clock=clock)
    yield h.client
    await h.aclose()
