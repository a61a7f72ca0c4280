"""The token lifecycle as an httpx `Auth` flow, so every request through the client gets it: what the sync and
async flows (`_async/_auth.py` and its generated twin) share.

Per request: wait out a 429 pause, attach `Authorization: Bearer <token>` (logging in first when needed),
turn an unknown HTTP status into a `ServerError`; if the API answers `NOT_AUTHORIZED` (HTTP 401, or the code
in any status), renew the token once (compare-and-invalidate, so N in-flight rejections cause one login) and
replay the request once. A second rejection is returned as is and becomes an `AuthenticationError`: no login loops.

A 429 pauses the client (and, through a shared token store, the whole fleet) until its `Retry-After`,
capped by the retry policy: the next requests wait before they are sent.
"""

from __future__ import annotations

from collections.abc import Generator

import httpx

from ._transport_security import is_safe_origin

__all__ = ["TokenAuthBase", "check_origin"]


def check_origin(request: httpx.Request) -> None:
    if not is_safe_origin(request.url):
        raise ValueError(
            f"refusing to send a bearer token over plain http to {request.url.host}: use https or a loopback address"
        )


class TokenAuthBase(httpx.Auth):
    """What both flows share: they read the body themselves, and refuse the other kind of httpx client."""

    # NOT_AUTHORIZED may come in a 200 body. httpx only honours `requires_response_body` in the default
    # `sync_auth_flow`/`async_auth_flow`, which the flows replace, so they read the body themselves.
    requires_response_body = True

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Reached only through the other kind of httpx client than the flow's own."""
        raise RuntimeError(
            f"{type(self).__name__} serves one kind of client: an httpx.Client for a PartnerClient, an "
            "httpx.AsyncClient for an AsyncPartnerClient"
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
