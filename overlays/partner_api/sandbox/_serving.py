"""Serving the app with uvicorn: socket binding, the server object, and the CLI's blocking `serve()`."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from typing import TextIO

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from ._app import SandboxApp, create_app
from ._config import SandboxConfig
from ._connections import SandboxH11Protocol
from ._state import SandboxState

READY_PREFIX = "Partner API sandbox listening on "
"""The CLI prints this followed by the base URL once it accepts connections (SandboxProcess waits for it)."""
GRACEFUL_SHUTDOWN_SECONDS = 3


class _Server(uvicorn.Server):
    """uvicorn's server; SIGINT/SIGTERM stop it gracefully and the process then exits 0 (no re-raise)."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None] | None = None) -> None:
        super().__init__(config)
        self._on_ready = on_ready

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and self._on_ready is not None:
            self._on_ready()


def make_server(
    app: SandboxApp,
    *,
    log_level: str = "warning",
    access_log: bool = False,
    configure_logging: bool = False,
    on_ready: Callable[[], None] | None = None,
) -> uvicorn.Server:
    """A uvicorn server for the app: h11 with connection aborts, no lifespan, no websockets, no access log.

    `configure_logging=False` (in-process use) leaves the host program's logging setup alone.
    """
    config = uvicorn.Config(
        app,
        http=SandboxH11Protocol,
        ws="none",
        lifespan="off",
        loop="asyncio",
        interface="asgi3",
        log_config=LOGGING_CONFIG if configure_logging else None,
        log_level=log_level,
        access_log=access_log,
        server_header=False,
        proxy_headers=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    return _Server(config, on_ready)


def bind_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port (port 0 picks a free one)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        if os.name != "nt":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


def base_url_of(sock: socket.socket) -> str:
    """http://host:port of a bound socket; a wildcard address is reached through loopback."""
    host, port = sock.getsockname()[:2]
    address = ipaddress.ip_address(host)
    if address.is_unspecified:
        address = ipaddress.ip_address("::1" if address.version == 6 else "127.0.0.1")
    text = f"[{address}]" if address.version == 6 else str(address)
    return f"http://{text}:{port}"


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(
    config: SandboxConfig,
    *,
    host: str,
    port: int,
    log_level: str = "info",
    access_log: bool = False,
    out: TextIO = sys.stdout,
) -> int:
    """Run the sandbox in the foreground until SIGINT/SIGTERM; returns the exit status."""
    try:
        sock = bind_socket(host, port)
    except OSError as exc:
        print(f"partner-api sandbox: cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        return 1
    base_url = base_url_of(sock)
    state = SandboxState(config)

    def announce() -> None:
        admin = f", admin endpoint at {base_url}/_sandbox/" if config.admin else ""
        print(f"{READY_PREFIX}{base_url} (project id {config.project_id!r}{admin})", file=out, flush=True)

    try:
        app = create_app(state=state)
        server = make_server(app, log_level=log_level, access_log=access_log, configure_logging=True, on_ready=announce)
        server.run(sockets=[sock])
    finally:
        state.close()
        sock.close()
    return 0
