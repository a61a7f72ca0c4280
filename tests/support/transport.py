"""The one recording transport (sync and async), the record it keeps (`Wire`), and `NoNetwork`.

`RecordingTransport` wraps a real httpx transport: every request that goes to the server is kept whole (path,
headers, body) and every login answer's body is kept (the issued tokens). It can also stand in for what a
server cannot show for one chosen request: a refused connection (`refusals`) or a careless server that quotes
the request back (`echoes`). Answers other than the login's are passed through untouched (streamed, so a reset
or a timeout reaches the client as it happened).
"""

from __future__ import annotations

import functools
import json
import socket
import ssl
import threading
from typing import Any

import httpx

LOGIN_PATH = "/partner/login"


class Wire:
    """What went over one client's transport: every request sent, every login answer, every refused connect."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: list[httpx.Request] = []
        self.login_answers: list[dict[str, Any]] = []
        self.refused: list[str] = []

    def record(self, request: httpx.Request) -> None:
        with self._lock:
            self.requests.append(request)

    @property
    def paths(self) -> list[str]:
        """The path of every request sent, in order."""
        return [request.url.path for request in self.requests]

    def count(self, path_suffix: str) -> int:
        return sum(1 for path in self.paths if path.endswith(path_suffix))

    def bodies(self, path_suffix: str) -> list[dict[str, Any]]:
        """The decoded JSON bodies of the requests whose path ends with `path_suffix`."""
        return [json.loads(r.content) for r in self.requests if r.url.path.endswith(path_suffix)]

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


class Interceptions:
    """Which requests to intercept instead of sending them: `take(path_suffix, times)`."""

    def __init__(self) -> None:
        self._pending: dict[str, int] = {}
        self._lock = threading.Lock()

    def refuse(self, path_suffix: str, times: int = 1) -> None:
        """Intercept the next `times` requests whose path ends with `path_suffix`."""
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


def _copy(response: httpx.Response, request: httpx.Request, content: bytes) -> httpx.Response:
    # `content` is decoded: drop the headers that described the encoded stream.
    headers = [
        (k, v) for k, v in response.headers.multi_items() if k.lower() not in ("content-encoding", "content-length")
    ]
    return httpx.Response(response.status_code, headers=headers, content=content, request=request)


def _refused(request: httpx.Request) -> httpx.ConnectError:
    # Exactly what httpx raises when nothing listens on the port.
    return httpx.ConnectError("[Errno 111] Connection refused", request=request)


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One verifying TLS context for every test transport (building one per client is slow)."""
    return httpx.create_ssl_context()


class RecordingTransport(httpx.BaseTransport):
    """Wraps a real transport (by default a new `httpx.HTTPTransport`): records into `wire`, intercepts on demand."""

    def __init__(self, wire: Wire, inner: httpx.BaseTransport | None = None) -> None:
        self.inner = inner if inner is not None else httpx.HTTPTransport(verify=tls_context())
        self.wire = wire
        self.refusals = Interceptions()  # raise httpx.ConnectError without touching the network
        self.echoes = Interceptions()  # answered by `echo_response` instead of the server
        self.echo_padding = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        if self.refusals.take(request):
            self.wire.refused.append(request.url.path)
            raise _refused(request)
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

    def __init__(self, wire: Wire, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.inner = inner if inner is not None else httpx.AsyncHTTPTransport(verify=tls_context())
        self.wire = wire
        self.refusals = Interceptions()
        self.echoes = Interceptions()
        self.echo_padding = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        if self.refusals.take(request):
            self.wire.refused.append(request.url.path)
            raise _refused(request)
        if self.echoes.take(request):
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


def closed_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
