"""pytest plugin of partner-api-client (registered through the `pytest11` entry point).

Fixtures:
- `partner_sandbox`: a running `partner_api.sandbox.SandboxServer` (admin endpoint on), reset before each
  test: no tokens, no faults, zero counters, fresh data. `partner_sandbox.client()` is a ready
  `PartnerClient`; `.base_url`, `.project_id`, `.private_key` point any other code at it.
- `partner_sandbox_server`: the same server without the reset (one per test session).
- `partner_sandbox_options`: keyword arguments for `SandboxServer` (session scope); override it in a
  conftest.py, e.g. `return {"seed": 5, "token_ttl": 30}`.

Needs the `sandbox` extra (`pip install 'partner-api-client[sandbox]'`); nothing is imported until a
fixture is used, so the plugin costs nothing in other test suites.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from partner_api.sandbox import SandboxServer


@pytest.fixture(scope="session")
def partner_sandbox_options() -> dict[str, Any]:
    """Keyword arguments for the session's `SandboxServer` (override to change them)."""
    return {}


@pytest.fixture(scope="session")
def partner_sandbox_server(partner_sandbox_options: dict[str, Any]) -> Iterator[SandboxServer]:
    """One sandbox for the test session, on a free loopback port, with its admin endpoint on."""
    try:
        from partner_api.sandbox import SandboxServer
    except ImportError as exc:
        pytest.fail(f"partner_sandbox needs: pip install 'partner-api-client[sandbox]' ({exc})", pytrace=False)
    with SandboxServer(**{**partner_sandbox_options, "admin": True}) as server:
        yield server


@pytest.fixture
def partner_sandbox(partner_sandbox_server: SandboxServer) -> SandboxServer:
    """The session's sandbox, reset to its start-up state for this test."""
    partner_sandbox_server.reset()
    return partner_sandbox_server
