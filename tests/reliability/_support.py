"""Transports, recorders and fakes shared by the reliability suite (faults, hostile input, secrets, fuzzing).

Everything here observes or perturbs the client at the httpx transport boundary; what a server can show
(faults, counts, logins) is asked of the sandbox, a transport stands in only for what a server cannot show
(a connection refused for one request, a request that must never be made).
"""

from __future__ import annotations

import functools
import json
import socket
import ssl
import threading
from typing import Any

import httpx
from partner_api import AsyncPartnerClient, PartnerClient

LOGIN_PATH = "/partner/login"


class Wire:
    """What went over one client's transport: every request path and every login answer's body."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.paths: list[str] = []
        self.login_answers: list[dict[str, Any]] = []
        self.refused: list[str] = []

    def record(self, request: httpx.Request) -> None:
        with self._lock:
            self.paths.append(request.url.path)

    def count(self, path_suffix: str) -> int:
        return sum(1 for path in self.paths if path.endswith(path_suffix))

    @property
    def logins(self) -> int:
        return self.count(LOGIN_PATH)

    @property
    def tokens(self) -> list[str]:
        """Every access token the server issued to this client."""
        return [answer["access_token"] for answer in self.login_answers if answer.get("access_token")]

    def remember_login(self, content: bytes) -> None:
        try:
            data = json.loads(content)
        except ValueError:
            return
        if isinstance(data, dict):
            with self._lock:
                self.login_answers.append(data)


def _copy(response: httpx.Response, request: httpx.Request, content: bytes) -> httpx.Response:
    # `content` is decoded: drop the headers that described the encoded stream.
    headers = [
        (k, v) for k, v in response.headers.multi_items() if k.lower() not in ("content-encoding", "content-length")
    ]
    return httpx.Response(response.status_code, headers=headers, content=content, request=request)


class _Refusals:
    """Which requests to intercept (refuse as if nothing listened, or echo): `refuse(path_suffix, times)`."""

    def __init__(self) -> None:
        self._pending: dict[str, int] = {}
        self._lock = threading.Lock()

    def refuse(self, path_suffix: str, times: int = 1) -> None:
        with self._lock:
            self._pending[path_suffix] = times

    def take(self, request: httpx.Request) -> bool:
        with self._lock:
            for suffix, left in self._pending.items():
                if left > 0 and request.url.path.endswith(suffix):
                    self._pending[suffix] = left - 1
                    return True
        return False


def echo_response(request: httpx.Request, padding: int = 0) -> httpx.Response:
    """A careless server's error: it quotes the request's Authorization header and body back (after `padding`
    characters of noise, to place the quoted secret where the client cuts long messages)."""
    quoted = "~" * padding
    quoted += f"rejected Authorization={request.headers.get('authorization')!s} body={request.content.decode()}"
    return httpx.Response(400, json={"result": "INVALID_PARAMETERS", "error": quoted}, request=request)


class RecordingTransport(httpx.BaseTransport):
    """Wraps a real transport: records each request and login answer, and can refuse chosen connects.

    A refused request raises `httpx.ConnectError` without touching the network, exactly what httpx raises
    when nothing listens on the port: the one fault a server cannot inject for a single request.
    """

    def __init__(self, inner: httpx.BaseTransport, wire: Wire) -> None:
        self.inner = inner
        self.wire = wire
        self.refusals = _Refusals()
        self.echoes = _Refusals()  # requests answered by `echo_response` instead of the server
        self.echo_padding = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.refusals.take(request):
            self.wire.refused.append(request.url.path)
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        if self.echoes.take(request):
            return echo_response(request, self.echo_padding)
        self.wire.record(request)
        response = self.inner.handle_request(request)
        if request.url.path.endswith(LOGIN_PATH):
            content = response.read()
            response.close()
            self.wire.remember_login(content)
            return _copy(response, request, content)
        return response

    def close(self) -> None:
        self.inner.close()


class AsyncRecordingTransport(httpx.AsyncBaseTransport):
    """`RecordingTransport` for `httpx.AsyncClient`."""

    def __init__(self, inner: httpx.AsyncBaseTransport, wire: Wire) -> None:
        self.inner = inner
        self.wire = wire
        self.refusals = _Refusals()
        self.echoes = _Refusals()
        self.echo_padding = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.refusals.take(request):
            self.wire.refused.append(request.url.path)
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        if self.echoes.take(request):
            await request.aread()
            return echo_response(request, self.echo_padding)
        self.wire.record(request)
        response = await self.inner.handle_async_request(request)
        if request.url.path.endswith(LOGIN_PATH):
            content = await response.aread()
            await response.aclose()
            self.wire.remember_login(content)
            return _copy(response, request, content)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class NoNetwork(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """A transport that must never be used: it records the attempt and raises `AssertionError`.

    `AssertionError` is not an `httpx.TransportError`, so the client cannot turn it into an API error or
    retry it: a test expecting `ValueError`/`TypeError` fails loudly if a request was attempted.
    """

    def __init__(self) -> None:
        self.calls: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(str(request.url))
        raise AssertionError(f"no request may be sent, but one was: {request.method} {request.url}")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self.handle_request(request)


class Sleeps:
    """Injected `sleep=`: records each requested wait and returns at once (sync and async flavours)."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.waits.append(seconds)


class FakeClock:
    """Injected monotonic `clock=` that only moves when told to."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def closed_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@functools.cache
def _tls() -> ssl.SSLContext:
    """One verifying TLS context for every test transport (building one per client costs ~20 ms)."""
    return httpx.create_ssl_context()


class Harness:
    """One client (sync or async) on a recording transport, with an injected sleep, and its sandbox.

    `await h.call("get_user", user_id=1)` runs either flavour, so a fault case is written once and run twice.
    """

    def __init__(self, mode: str, sandbox: Any, base_url: str, private_key: str, **options: Any) -> None:
        self.mode = mode
        self.sandbox = sandbox
        self.wire = Wire()
        self.sleeps = Sleeps()
        project_id = options.pop("project_id", sandbox.project_id if sandbox is not None else "demo")
        timeout = options.setdefault("timeout", 5.0)
        self.client: Any
        if mode == "sync":
            self.transport: Any = RecordingTransport(httpx.HTTPTransport(verify=_tls()), self.wire)
            self.http: Any = httpx.Client(transport=self.transport, timeout=timeout, trust_env=False, verify=_tls())
            self.client = PartnerClient(
                base_url, project_id, private_key, http_client=self.http, sleep=self.sleeps, **options
            )
        else:
            self.transport = AsyncRecordingTransport(httpx.AsyncHTTPTransport(verify=_tls()), self.wire)
            self.http = httpx.AsyncClient(transport=self.transport, timeout=timeout, trust_env=False, verify=_tls())
            self.client = AsyncPartnerClient(
                base_url, project_id, private_key, http_client=self.http, sleep=self.sleeps.asleep, **options
            )

    async def call(self, method: str, **arguments: Any) -> Any:
        result = getattr(self.client, method)(**arguments)
        return await result if self.mode == "async" else result

    async def close(self) -> None:
        if self.mode == "sync":
            self.http.close()
        else:
            await self.http.aclose()

    @property
    def waits(self) -> list[float]:
        return self.sleeps.waits

    def served(self, operation: str) -> int:
        """Requests the sandbox received for `operation` (`login`, `getUser`, ...), faulted or not."""
        return int(self.sandbox.stats().requests.get(operation, 0))
