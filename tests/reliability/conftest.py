"""Fixtures of the reliability suite; the helpers live in `tests.support`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from opentelemetry.trace import SpanKind

from tests.support.harness import Harness, MakeHarness
from tests.support.telemetry import Telemetry, assert_no_secrets
from tests.support.transport import NoNetwork


@pytest.fixture
def no_network() -> NoNetwork:
    return NoNetwork()


@pytest.fixture
def sandbox(partner_sandbox: Any) -> Any:
    """The plugin's sandbox, reset, with three seeded users (ids 1-3) and zeroed counters."""
    partner_sandbox.seed_users(3)
    partner_sandbox.reset_stats()
    return partner_sandbox


@pytest.fixture
async def harness(sandbox: Any, mode: str) -> AsyncIterator[MakeHarness]:
    """`harness(**options)`: a client of the flavour under test against the sandbox (closed afterwards).

    Options: any `PartnerClient` keyword, plus `base_url=` / `private_key=` / `mode=` overrides.

    Every client reports its spans to the OpenTelemetry SDK's in-memory exporter; afterwards every attribute and
    event of every span is scanned: no private key, token, username, request body or query, and no attribute the
    Production page does not list. The scan is not vacuous: each request the clients sent has its CLIENT span (a
    refused one too).
    """
    made: list[Harness] = []
    telemetry = Telemetry()

    def make(**options: Any) -> Harness:
        made.append(Harness(options.pop("mode", mode), sandbox, **{**telemetry.providers, **options}))
        return made[-1]

    try:
        yield make
        for h in made:
            await h.aclose()
        sent = sum(len(h.wire.requests) for h in made)
        assert len([span for span in telemetry.spans if span.kind is SpanKind.CLIENT]) >= sent  # + refused ones
        assert_no_secrets(telemetry, sandbox, made)
    finally:
        telemetry.shutdown()
