"""Across the wire and beside other instrumentation: the sandbox's SERVER spans continue the client's CLIENT spans
through W3C `traceparent`; with `opentelemetry-instrumentation-httpx` on, still one CLIENT span per request."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.trace import SpanKind
from partner_api import AsyncPartnerClient, PartnerClient
from partner_api.sandbox import SandboxServer

from tests.support.telemetry import Telemetry


@pytest.fixture
def traced_sandbox(telemetry: Telemetry) -> Iterator[SandboxServer]:
    """A sandbox of its own whose SERVER spans go to the test's exporter too."""
    with SandboxServer(admin=True, seed=2, tracer_provider=telemetry.tracer_provider) as server:
        yield server


async def call_twice(mode: str, sandbox: SandboxServer, telemetry: Telemetry, **options: Any) -> None:
    """Two getUser calls, the first answered 503 once: a login and three getUser requests."""
    sandbox.inject_fault("getUser", status=503)
    arguments = (sandbox.base_url, sandbox.project_id, sandbox.private_key)
    if mode == "sync":
        with PartnerClient(*arguments, **telemetry.providers, **options) as client:
            client.get_user(user_id=1)
            client.get_user(user_id=2)
    else:
        async with AsyncPartnerClient(*arguments, **telemetry.providers, **options) as aclient:
            await aclient.get_user(user_id=1)
            await aclient.get_user(user_id=2)


def server_spans(telemetry: Telemetry, count: int) -> list[Any]:
    """The SERVER spans, once `count` have ended: the sandbox ends one just after its answer is sent, which the
    client may have read before."""
    deadline = time.monotonic() + 10
    while True:
        served = [span for span in telemetry.spans if span.kind is SpanKind.SERVER]
        if len(served) >= count or time.monotonic() > deadline:
            return served
        time.sleep(0.01)


async def test_server_spans_continue_the_clients_request_spans(
    traced_sandbox: SandboxServer, telemetry: Telemetry, mode: str
) -> None:
    await call_twice(mode, traced_sandbox, telemetry)
    served = server_spans(telemetry, 4)
    requests = [span for span in telemetry.spans if span.kind is SpanKind.CLIENT]
    assert len(requests) == len(served) == 4  # a login, three getUser
    by_id = {span.context.span_id: span for span in requests}
    for server_span in served:
        assert server_span.parent is not None and server_span.parent.is_remote
        client_span = by_id[server_span.parent.span_id]
        assert server_span.context.trace_id == client_span.context.trace_id
        assert client_span.attributes is not None and server_span.attributes is not None
        assert (
            server_span.attributes["http.response.status_code"] == client_span.attributes["http.response.status_code"]
        )
    routes = sorted(str((span.attributes or {})["http.route"]) for span in served)
    assert routes == ["/partner/login"] + ["/partner/v2/{operation}"] * 3
    # the two calls are two traces; the login belongs to the first
    assert len({span.context.trace_id for span in telemetry.spans}) == 2


def is_admin(span: Any) -> bool:
    """A request of the test to the sandbox's admin endpoint (through its own httpx client, instrumented too)."""
    return any("/_sandbox/" in str(value) for value in (span.attributes or {}).values())


@pytest.fixture(params=["httpx instrumentation on", "httpx instrumentation off"])
def httpx_instrumentation(request: pytest.FixtureRequest, telemetry: Telemetry) -> Iterator[bool]:
    """`opentelemetry-instrumentation-httpx` as an application turns it on: every httpx client of the process."""
    on = request.param.endswith("on")
    instrumentor = HTTPXClientInstrumentor()
    if on:
        instrumentor.instrument(tracer_provider=telemetry.tracer_provider)
    try:
        yield on
    finally:
        if on:
            instrumentor.uninstrument()


async def test_one_client_span_per_request_with_the_httpx_instrumentation_on_or_off(
    traced_sandbox: SandboxServer, telemetry: Telemetry, mode: str, httpx_instrumentation: bool
) -> None:
    await call_twice(mode, traced_sandbox, telemetry)
    server_spans(telemetry, 4)
    requests = [span for span in telemetry.spans if span.kind is SpanKind.CLIENT and not is_admin(span)]
    assert len(requests) == 4 == traced_sandbox.stats().total_requests
    assert {span.instrumentation_scope.name for span in requests if span.instrumentation_scope} == {"partner_api"}
    # and each SERVER span's parent is one of them: the traceparent sent is the client's own
    parents = {span.parent.span_id for span in telemetry.spans if span.kind is SpanKind.SERVER and span.parent}
    assert parents == {span.context.span_id for span in requests}


async def test_the_httpx_instrumentation_is_really_on(traced_sandbox: SandboxServer, telemetry: Telemetry) -> None:
    """The control: a plain httpx request (not the client's) gets the instrumentation's CLIENT span."""
    import httpx

    HTTPXClientInstrumentor().instrument(tracer_provider=telemetry.tracer_provider)
    try:
        async with httpx.AsyncClient() as plain:
            await plain.post(traced_sandbox.base_url + "/partner/v2/getUser", json={})
    finally:
        HTTPXClientInstrumentor().uninstrument()
    scopes = [span.instrumentation_scope.name for span in telemetry.spans if span.kind is SpanKind.CLIENT]
    assert scopes == ["opentelemetry.instrumentation.httpx"]
