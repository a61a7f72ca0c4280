"""`TokenAuth`: the token lifecycle as an httpx `Auth` flow, so every request through the client gets it.

Per request: wait out a 429 pause, attach `Authorization: Bearer <token>` (logging in first when needed),
turn an unknown HTTP status into a `ServerError`; if the API answers `NOT_AUTHORIZED` (HTTP 401, or the code
in any status), renew the token once (compare-and-invalidate, so N in-flight rejections cause one login) and
replay the request once. A second rejection is returned as is and becomes an `AuthenticationError`: no login loops.

A 429 pauses the client (and, through a shared token store, the whole fleet) until its `Retry-After`,
capped by the retry policy: the next requests wait here before they are sent.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Generator

import httpx

from ._envelope import is_not_authorized, reject_unknown_status, retry_after
from ._tokens import AsyncTokenManager, TokenManager
from ._transport_security import is_safe_origin

__all__ = ["TokenAuth"]


def _check_origin(request: httpx.Request) -> None:
    if not is_safe_origin(request.url):
        raise ValueError(
            f"refusing to send a bearer token over plain http to {request.url.host}: use https or a loopback address"
        )


class TokenAuth(httpx.Auth):
    """httpx authentication with the Partner API's token lifecycle (sync and async)."""

    # NOT_AUTHORIZED may come in a 200 body. httpx only honours `requires_response_body` in the default
    # `sync_auth_flow`/`async_auth_flow`, which this class replaces, so the flows below read the body themselves.
    requires_response_body = True

    def __init__(self, tokens: TokenManager | None = None, async_tokens: AsyncTokenManager | None = None) -> None:
        self._tokens = tokens
        self._async_tokens = async_tokens

    def __repr__(self) -> str:
        return "TokenAuth()"

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._tokens is None:
            raise RuntimeError("this TokenAuth belongs to an AsyncPartnerClient; use an httpx.AsyncClient")
        _check_origin(request)
        token = self._tokens.get()
        if self._tokens.paused_until:
            time.sleep(self._tokens.pause_left())
        if self._tokens.throttled:
            self._tokens.throttle()
        request.headers["Authorization"] = "Bearer " + token.value.get()
        response = yield request
        response.read()  # a streamed answer from the network is not read yet; the flow needs its body
        reject_unknown_status(response)
        if response.status_code == 429:
            self._tokens.publish_pause(retry_after(response))
        elif is_not_authorized(response):
            token = self._tokens.renew(token)
            request.headers["Authorization"] = "Bearer " + token.value.get()
            response = yield request
            response.read()
            reject_unknown_status(response)

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._async_tokens is None:
            raise RuntimeError("this TokenAuth belongs to a PartnerClient; use an httpx.Client")
        _check_origin(request)
        token = self._async_tokens.valid() or await self._async_tokens.get()  # no coroutine while the token is valid
        if self._async_tokens.paused_until:
            import asyncio

            await asyncio.sleep(self._async_tokens.pause_left())
        if self._async_tokens.throttled:
            await self._async_tokens.throttle()
        request.headers["Authorization"] = "Bearer " + token.value.get()
        response = yield request
        await response.aread()  # a streamed answer from the network is not read yet; the flow needs its body
        reject_unknown_status(response)
        if response.status_code == 429:
            await self._async_tokens.publish_pause(retry_after(response))
        elif is_not_authorized(response):
            token = await self._async_tokens.renew(token)
            request.headers["Authorization"] = "Bearer " + token.value.get()
            response = yield request
            await response.aread()
            reject_unknown_status(response)
