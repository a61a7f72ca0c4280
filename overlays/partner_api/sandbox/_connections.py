"""Closing a client's connection from inside the app: what the `drop` and `reset` faults need.

ASGI has no way to abort a connection, so the sandbox serves with a uvicorn h11 protocol that records
each connection's transport under the (server, client) addresses that also appear in the ASGI scope.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import MutableMapping
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

_Key = tuple[Any, Any]
_TRANSPORTS: dict[_Key, asyncio.Transport] = {}


class SandboxH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, plus a registry of live transports."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        _TRANSPORTS[(self.server, self.client)] = transport

    def connection_lost(self, exc: Exception | None) -> None:
        _TRANSPORTS.pop((self.server, self.client), None)
        super().connection_lost(exc)


def connection_of(scope: MutableMapping[str, Any]) -> asyncio.Transport:
    """The transport of the request's connection (look it up while the client is there).

    Raises RuntimeError when the app is not served by `SandboxH11Protocol`.
    """
    server, client = scope.get("server"), scope.get("client")
    transport = _TRANSPORTS.get((tuple(server) if server else None, tuple(client) if client else None))
    if transport is None:
        raise RuntimeError("drop/reset faults need the sandbox's own server (SandboxServer or `partner-api sandbox`)")
    return transport


def abort_connection(transport: asyncio.Transport, *, reset: bool) -> None:
    """Close the connection at once; `reset=True` sends a TCP RST instead of a FIN. Nothing if it is closed already."""
    if transport.is_closing():
        return
    if reset:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
