"""The auth flow (`_sync/_auth.py` is generated from `_async/`: edit that one); what it does: `.._auth`."""

from __future__ import annotations

import httpx

from .._auth import TokenAuthBase, check_origin
from .._envelope import is_not_authorized, reject_unknown_status, retry_after
from .._twins import AsyncFlow
from ._tokens import AsyncTokenManager

__all__ = ["AsyncTokenAuth"]


class AsyncTokenAuth(TokenAuthBase):
    """httpx authentication with the Partner API's token lifecycle."""

    def __init__(self, tokens: AsyncTokenManager) -> None:
        self._tokens = tokens
        self._pause = tokens.pause

    async def async_auth_flow(self, request: httpx.Request) -> AsyncFlow:
        check_origin(request)
        tokens = self._tokens
        token = tokens.valid() or await tokens.get()  # no call into the manager while the token is valid
        if self._pause.until or self._pause.throttled:
            await tokens.wait_turn()
        request.headers["Authorization"] = "Bearer " + token.value.get()
        response = yield request
        await response.aread()  # a streamed answer from the network is not read yet; the flow needs its body
        reject_unknown_status(response)
        if response.status_code == 429:
            await tokens.rate_limited(retry_after(response))
        elif is_not_authorized(response):
            token = await tokens.renew(token)
            request.headers["Authorization"] = "Bearer " + token.value.get()
            response = yield request
            await response.aread()
            reject_unknown_status(response)
