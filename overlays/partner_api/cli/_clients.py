"""Clients for the command line: credentials, timeout, logging, and the token cache shared by every invocation."""

from __future__ import annotations

import contextlib
import inspect
import os
from collections.abc import Iterator
from typing import Any

import httpx

from .._client import AsyncPartnerClient, PartnerClient
from .._profiles import Profile
from ._credentials import load_credentials, token_cache_path
from ._exit import UsageProblem
from ._options import Settings

__all__ = ["async_client", "describe_token_store", "prepare", "sync_client", "sync_client_with_credentials"]

_STORE_ENV = "PARTNER_API_TOKEN_STORE"
_HIDDEN = "********"  # the mask shown in place of a password


def _options() -> dict[str, Any]:
    """Client options: the token store, so that ten commands in a row log in once.

    `PARTNER_API_TOKEN_STORE` (as `from_env()` reads it: redis://, file:///path, memory:) when set, else the
    token cache file in the user's cache directory.
    """
    from ..token_stores import FileTokenStore, from_url

    url = os.environ.get(_STORE_ENV)
    if not url:
        return {"token_store": FileTokenStore(token_cache_path())}
    try:
        return {"token_store": from_url(url)}
    except ImportError as exc:  # redis:// without the redis extra (the URL may hold a password: not repeated)
        raise UsageProblem(f"{_STORE_ENV}: {exc}") from None


def describe_token_store() -> str:
    """Where the token is kept, for `whoami` (a password in a store URL is not shown)."""
    url = os.environ.get(_STORE_ENV)
    if not url:
        return f"file {token_cache_path()} (the command line's token cache)"
    parsed = httpx.URL(url)
    shown = parsed.copy_with(password=_HIDDEN) if parsed.password else parsed
    return f"{shown} ({_STORE_ENV})"


def prepare(settings: Settings) -> tuple[Profile, dict[str, Any]]:
    """The credentials and the client options of this invocation; logging set up with the key to hide."""
    from ._logging import configure_logging

    credentials = load_credentials(settings.profile)
    configure_logging(settings.verbose, settings.debug, [credentials.private_key])
    options = _options()
    timeout = settings.timeout if settings.timeout is not None else credentials.timeout
    if timeout is not None:
        options["timeout"] = timeout
    options["strict_answers"] = credentials.strict_answers
    return credentials, options


def sync_client(settings: Settings, **options: Any) -> PartnerClient:
    """A `PartnerClient` for one command."""
    return sync_client_with_credentials(settings, **options)[0]


def sync_client_with_credentials(settings: Settings, **options: Any) -> tuple[PartnerClient, Profile]:
    """A `PartnerClient` for one command, and the credentials it was made from (their source, for `whoami`)."""
    credentials, defaults = prepare(settings)
    with _settings_problem():
        client = PartnerClient(
            credentials.base_url, credentials.project_id, credentials.private_key, **defaults, **options
        )
    return client, credentials


def async_client(
    settings: Settings, transport: httpx.AsyncBaseTransport | None = None, **options: Any
) -> AsyncPartnerClient:
    """An `AsyncPartnerClient` for a bulk job, sending through `transport` if given (the caller closes it)."""
    credentials, defaults = prepare(settings)
    if transport is not None:
        timeout = defaults.pop("timeout", inspect.signature(AsyncPartnerClient).parameters["timeout"].default)
        options["http_client"] = httpx.AsyncClient(timeout=timeout, transport=transport)
    with _settings_problem():
        return AsyncPartnerClient(
            credentials.base_url, credentials.project_id, credentials.private_key, **defaults, **options
        )


@contextlib.contextmanager
def _settings_problem() -> Iterator[None]:
    """A client refused its settings (a plain-http base URL to another host, ...): exit 2, nothing sent."""
    try:
        yield
    except (TypeError, ValueError) as exc:
        raise UsageProblem(" ".join(str(exc).split())) from None
