"""Where credentials and bearer tokens may be sent: https anywhere, plain http only to a loopback address; and the
TLS context that verifies the server, one per process."""

from __future__ import annotations

import functools
import ipaddress
import os
import ssl

import httpx

__all__ = ["check_base_url", "is_safe_origin", "verifying_ssl_context"]


@functools.lru_cache(maxsize=4)
def _verifying_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    """The context for these values of SSL_CERT_FILE / SSL_CERT_DIR: the arguments are only the cache's key, httpx
    reads the variables itself."""
    return httpx.create_ssl_context(verify=True, trust_env=True)


def verifying_ssl_context() -> ssl.SSLContext:
    """httpx's default TLS context (certifi's CAs, or SSL_CERT_FILE / SSL_CERT_DIR), built once per process for
    those settings and shared by the clients' connection pools. Built per pool, as httpx does by default, it loads
    the CA bundle each time: 40 ms of CPU for every client."""
    return _verifying_context(os.environ.get("SSL_CERT_FILE") or None, os.environ.get("SSL_CERT_DIR") or None)


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@functools.lru_cache(maxsize=64)
def _safe(scheme: str, host: str) -> bool:
    return scheme == "https" or (scheme == "http" and _is_loopback(host))


def is_safe_origin(url: httpx.URL) -> bool:
    """True for https URLs and for http URLs whose host is a loopback address."""
    return _safe(url.scheme, url.host)


def check_base_url(base_url: str | httpx.URL) -> httpx.URL:
    """Parse `base_url`, raising `ValueError` (before any request) when secrets could leak over it."""
    text = str(base_url)
    if "://" not in text:
        raise ValueError(f"base_url {text!r} has no scheme: use https://host (or http://127.0.0.1:PORT for a sandbox)")
    url = httpx.URL(text)
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url {text!r} is not an http(s) URL with a host")
    if not is_safe_origin(url):
        raise ValueError(
            f"base_url {text!r} uses plain http to a non-loopback host: the private key and access tokens would "
            "travel unencrypted. Use https://, or http:// only to 127.0.0.1/localhost/[::1]."
        )
    if url.username or url.password:
        raise ValueError("base_url must not carry credentials; pass project_id and private_key instead")
    return url
