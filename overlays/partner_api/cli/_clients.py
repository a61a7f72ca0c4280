"""Clients for the command line: credentials, and the token cache shared by every invocation."""

from __future__ import annotations

import os
from typing import Any

from .._client import AsyncPartnerClient, PartnerClient
from ._credentials import load_credentials, token_cache_path
from ._exit import UsageProblem

__all__ = ["async_client", "sync_client"]


def _options() -> dict[str, Any]:
    """Client options: the token store, so that ten commands in a row log in once.

    `PARTNER_API_TOKEN_STORE` (as `from_env()` reads it: redis://, file:///path, memory:) when set, else the
    token cache file in the user's cache directory.
    """
    from ..token_stores import FileTokenStore, from_url

    url = os.environ.get("PARTNER_API_TOKEN_STORE")
    if not url:
        return {"token_store": FileTokenStore(token_cache_path())}
    try:
        return {"token_store": from_url(url)}
    except ImportError as exc:  # redis:// without the redis extra (the URL may hold a password: not repeated)
        raise UsageProblem(f"PARTNER_API_TOKEN_STORE: {exc}") from None


def sync_client(profile: str | None, **options: Any) -> PartnerClient:
    """A `PartnerClient` for one command."""
    credentials = load_credentials(profile)
    options.setdefault("strict_answers", credentials.strict_answers)
    return PartnerClient(credentials.base_url, credentials.project_id, credentials.private_key, **_options(), **options)


def async_client(profile: str | None, **options: Any) -> AsyncPartnerClient:
    """An `AsyncPartnerClient` for a bulk job."""
    credentials = load_credentials(profile)
    options.setdefault("strict_answers", credentials.strict_answers)
    return AsyncPartnerClient(
        credentials.base_url, credentials.project_id, credentials.private_key, **_options(), **options
    )
