"""Clients for the command line: credentials, and the token cache shared by every invocation."""

from __future__ import annotations

from typing import Any

from .._client import AsyncPartnerClient, PartnerClient
from ._credentials import Credentials, load_credentials, token_cache_path

__all__ = ["async_client", "sync_client"]


def _options(credentials: Credentials) -> dict[str, Any]:
    """Client options: the token cache file, so that ten commands in a row log in once."""
    try:
        from ..token_stores import FileTokenStore  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return {}
    path = token_cache_path(credentials)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return {"token_store": FileTokenStore(path)}


def sync_client(profile: str | None, **options: Any) -> PartnerClient:
    """A `PartnerClient` for one command."""
    credentials = load_credentials(profile)
    return PartnerClient(
        credentials.base_url, credentials.project_id, credentials.private_key, **_options(credentials), **options
    )


def async_client(profile: str | None, **options: Any) -> AsyncPartnerClient:
    """An `AsyncPartnerClient` for a bulk job."""
    credentials = load_credentials(profile)
    return AsyncPartnerClient(
        credentials.base_url, credentials.project_id, credentials.private_key, **_options(credentials), **options
    )
