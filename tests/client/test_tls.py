"""TLS: the client verifies the server's certificate against the CAs httpx trusts (certifi, or SSL_CERT_FILE /
SSL_CERT_DIR), through one TLS context per process that every client's connection pool shares.

The server is a real TLS server on loopback with a certificate from a test CA (trustme) that no trust store holds.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import trustme
from partner_api import APIConnectionError, AsyncPartnerClient, NotFoundError, PartnerClient

LOGIN = {"result": "OK", "access_token": "tls-token", "create_time": 1_700_000_000, "expire_time": 4_102_444_800}


@dataclass
class TlsServer:
    base_url: str
    ca_file: Path
    paths: list[str] = field(default_factory=list)


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[TlsServer]:
    """An HTTPS server on 127.0.0.1: login answers a token, every other operation NOT_FOUND."""
    ca = trustme.CA()
    ca_file = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    paths: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            paths.append(self.path)
            status, answer = (200, LOGIN) if self.path == "/partner/login" else (404, {"result": "NOT_FOUND"})
            body = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield TlsServer(f"https://127.0.0.1:{server.server_address[1]}", ca_file, paths)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def _get_user(mode: str, base_url: str) -> None:
    if mode == "sync":
        with PartnerClient(base_url, "project", "private-key", max_retries=0) as client:
            client.get_user(username="alice")
        return

    async def call() -> None:
        async with AsyncPartnerClient(base_url, "project", "private-key", max_retries=0) as client:
            await client.get_user(username="alice")

    asyncio.run(call())


def test_a_certificate_from_an_unknown_ca_is_refused(
    tls_server: TlsServer, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    with pytest.raises(APIConnectionError) as caught:
        _get_user(mode, tls_server.base_url)
    assert "CERTIFICATE_VERIFY_FAILED" in repr(caught.value.__cause__) + str(caught.value)
    assert tls_server.paths == []  # nothing was sent: the handshake failed before the login


def test_the_ca_of_ssl_cert_file_is_trusted(tls_server: TlsServer, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_server.ca_file))
    with pytest.raises(NotFoundError):
        _get_user(mode, tls_server.base_url)
    assert tls_server.paths == ["/partner/login", "/partner/v2/getUser"]


def test_every_client_of_a_process_shares_one_tls_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Loading the CA bundle costs 40 ms of CPU, which every client paid when its pool built a context of its own.
    ca_file = tmp_path / "ca.pem"
    trustme.CA().cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))  # settings no earlier test used: a context of their own
    loaded: list[ssl.SSLContext] = []
    load = ssl.SSLContext.load_verify_locations

    def counting(context: ssl.SSLContext, *args: Any, **kwargs: Any) -> None:
        loaded.append(context)
        load(context, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counting)
    for _ in range(10):
        PartnerClient("https://api.example.com", "project", "private-key").close()
        asyncio.run(AsyncPartnerClient("https://api.example.com", "project", "private-key").aclose())
    assert len(loaded) == 1
    assert loaded[0].verify_mode is ssl.CERT_REQUIRED
    assert loaded[0].check_hostname
