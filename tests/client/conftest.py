"""Fixtures for the client's end-to-end tests: the sandbox, a recording transport, an injected clock."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from partner_api import AsyncPartnerClient, PartnerClient


class Recorder:
    """What went over the wire: each request as (path, headers, body bytes)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.tokens: list[str] = []  # every access token the server issued

    def saw_answer(self, request: httpx.Request, response: httpx.Response) -> None:
        if request.url.path.endswith("/login") and response.status_code == 200:
            token = json.loads(response.content).get("access_token")
            if token:
                self.tokens.append(token)

    def count(self, path_suffix: str) -> int:
        return sum(1 for r in self.requests if r.url.path.endswith(path_suffix))

    def paths(self) -> list[str]:
        return [request.url.path for request in self.requests]

    def bodies(self, path_suffix: str) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.requests if r.url.path.endswith(path_suffix)]


class RecordingTransport(httpx.HTTPTransport):
    """A real HTTP transport that also remembers every request it sends."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.recorder.requests.append(request)
        response = super().handle_request(request)
        response.read()
        self.recorder.saw_answer(request, response)
        return response


class AsyncRecordingTransport(httpx.AsyncHTTPTransport):
    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.recorder.requests.append(request)
        response = await super().handle_async_request(request)
        await response.aread()
        self.recorder.saw_answer(request, response)
        return response


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def sandbox(partner_sandbox: Any) -> Any:
    """The sandbox (the plugin's fixture resets it for each test)."""
    return partner_sandbox


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(sandbox: Any, recorder: Recorder, clock: FakeClock) -> Iterator[PartnerClient]:
    http = httpx.Client(transport=RecordingTransport(recorder))
    with PartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key, http_client=http,
                       clock=clock, sleep=lambda seconds: None) as c:  # fmt: skip
        yield c
    http.close()


@pytest.fixture
async def aclient(sandbox: Any, recorder: Recorder, clock: FakeClock) -> Any:
    http = httpx.AsyncClient(transport=AsyncRecordingTransport(recorder))

    async def no_sleep(seconds: float) -> None:
        return None

    async with AsyncPartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key, http_client=http,
                                  clock=clock, sleep=no_sleep) as c:  # fmt: skip
        yield c
    await http.aclose()
