"""A client's settings, frozen and checked when built: what its token lifecycle needs and what its calls need.

`TokenSettings` belongs to the token manager, which every view of a client shares (with the store and the
connection pool); `ClientSettings` holds it beside what a view may change (timeout, retries, the
default-value rule): `dataclasses.replace(settings, timeout=...)` describes such a view.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import httpx

from ._request_body import DefaultValuePolicy
from ._retry import RetryPolicy
from ._secrets import Secret
from .token_stores._base import TokenStore
from .token_stores._keys import namespace_for

__all__ = ["LOGIN_PATH", "ClientSettings", "TokenSettings", "endpoint_url"]

Clock = Callable[[], float]
LOGIN_PATH = "/partner/login"


def endpoint_url(base: httpx.URL, path: str) -> httpx.URL:
    """`path` under the base URL's own path, as httpx merges a relative URL with a client's `base_url` (a gateway
    may serve the API under `/vpn/`): the login and every operation."""
    if not base.path.endswith("/"):
        base = base.copy_with(path=base.path + "/")
    return base.join(path.lstrip("/"))


@dataclasses.dataclass(frozen=True)
class TokenSettings:
    """What the token lifecycle needs (`TokenManager`); one per client, shared by its views."""

    login_url: httpx.URL
    project_id: str
    private_key: Secret
    refresh_margin: float = 60.0
    """Renew this many seconds before expiry (capped at half the token's lifetime)."""
    clock: Clock = time.monotonic
    """Monotonic clock for token expiry and the 429 pause (tests inject one)."""
    store: TokenStore | None = None
    """Where the token, the login and (if it keeps a `FleetBackoff`) the 429 pause are shared; None: this client."""
    max_pause: float = 30.0
    """The longest 429 pause honoured (the `max_retry_after` of the retry policy the client was built with)."""
    namespace: str = ""
    """The store namespace: a hash of (base URL, project id); empty: derived from the login URL."""

    def __post_init__(self) -> None:
        if not isinstance(self.project_id, str) or not self.project_id:
            raise ValueError("project_id must be a non-empty string")
        if not isinstance(self.private_key.get(), str) or not self.private_key.get():
            raise ValueError("private_key must be a non-empty string")
        if self.refresh_margin < 0:
            raise ValueError("refresh_margin must be >= 0")
        if self.store is not None and not isinstance(self.store, TokenStore):
            raise TypeError("token_store must be a partner_api.token_stores.TokenStore")
        if not self.namespace:
            object.__setattr__(self, "namespace", namespace_for(str(self.login_url), self.project_id))


@dataclasses.dataclass(frozen=True)
class ClientSettings:
    """One client's settings: its token lifecycle's, and what each call uses."""

    base_url: httpx.URL
    tokens: TokenSettings
    timeout: float = 10.0
    """Seconds for connecting, reading and writing each request."""
    retry: RetryPolicy = dataclasses.field(default_factory=RetryPolicy)
    default_values: DefaultValuePolicy = "error"

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise ValueError("timeout must be > 0 seconds")

    @classmethod
    def of_client(
        cls, base_url: httpx.URL, project_id: str, private_key: str, *, refresh_margin: float, timeout: float,
        retry: RetryPolicy, default_values: DefaultValuePolicy, clock: Clock, token_store: TokenStore | None,
    ) -> ClientSettings:  # fmt: skip
        """The settings of a client built with these arguments (its constructor's, the base URL checked)."""
        tokens = TokenSettings(
            login_url=endpoint_url(base_url, LOGIN_PATH), project_id=project_id, private_key=Secret(private_key),
            refresh_margin=refresh_margin, clock=clock, store=token_store, max_pause=retry.max_retry_after,
            namespace=namespace_for(str(base_url), project_id),
        )  # fmt: skip
        return cls(base_url=base_url, tokens=tokens, timeout=timeout, retry=retry, default_values=default_values)
