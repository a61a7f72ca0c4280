"""A client's network side (`_sync/_calls.py` is generated from `_async/`: edit that one); the rest of the
client, and what a call does, is in `.._client`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from partner_api_client.api import Operation, SyncRawOperations

from .._exceptions import PartnerAPIError
from .._transport_security import verifying_ssl_context
from .._twins import SyncHost, SyncSleep, sync_sleep
from ._auth import TokenAuth
from ._retrying import retrying
from ._tokens import TokenManager

if TYPE_CHECKING:
    from .._client import PartnerClient

__all__ = ["SyncCalls", "SyncRawResponses"]
C = TypeVar("C", bound="SyncCalls")


class SyncCalls(SyncHost):
    """Calls (the first attempt inline, retries in `retrying`), pages, the login, the pool; beside each its factory."""

    _tokens: TokenManager

    def login(self) -> None:
        """Log in now (otherwise the first call does); raises `AuthenticationError` for wrong credentials."""
        self._pool()
        self._tokens.get()

    def _new_tokens(self) -> TokenManager:
        return TokenManager(self._settings.tokens, self._secrets, send=self._send_login, observer=self._observer)

    def _new_auth(self) -> TokenAuth:
        return TokenAuth(self._tokens)

    def _send_login(self, request: httpx.Request) -> httpx.Response:
        return self._pool().send(request, auth=None)

    def _default_sleep(self) -> SyncSleep:
        return sync_sleep

    def _call(self, operation: Operation, arguments: dict[str, Any], raw: bool = False, observed: bool = False) -> Any:
        """One operation call: the typed answer (`raw`: the `RawResponse`). Observed (logged at INFO, traced, counted)
        when anyone watches: then the same call runs again inside its record (`observed`)."""
        if not observed:
            record = self._observer.call(operation.name, operation.path)
            if record is not None:
                with record:
                    return self._call(operation, arguments, raw, True)
        body = self._body.build(operation.name, operation.request_model, arguments)
        route = self._routes.get(operation.name) or self._route(operation)
        try:  # the first attempt inline, without retry machinery (and, async, one coroutine less)
            try:
                response = self._pool().post(route.url, json=body, timeout=self._timeout)
            except httpx.TransportError as exc:
                raise self._connection_error(operation, exc) from exc
            data = self._answer(operation, response)
        except PartnerAPIError as error:
            response, data = retrying(
                self._settings.retry, error, operation.safe_to_retry,
                lambda: self._attempt(operation, route.url, body), self._sleep,
            )  # fmt: skip
        return self._raw(response, data) if raw else data

    def _attempt(self, operation: Operation, url: httpx.URL, body: dict[str, Any]) -> tuple[httpx.Response, Any]:
        try:
            response = self._pool().post(url, json=body, timeout=self._timeout)
        except httpx.TransportError as exc:
            raise self._connection_error(operation, exc) from exc
        return response, self._answer(operation, response)

    def _paginate(self, operation: Operation, items: str, arguments: dict[str, Any]) -> Iterator[Any]:
        assert operation.pagination is not None
        cursor_name, next_name = operation.pagination.cursor_python, operation.pagination.next_cursor_python
        cursor = ""
        for _ in range(self._max_pages):
            page = self._call(operation, {**arguments, cursor_name: cursor} if cursor else arguments)
            for item in getattr(page, items):
                yield item
            cursor, previous = getattr(page, next_name), cursor
            if not cursor or cursor == previous:  # the last page, or a server repeating itself
                return

    def close(self) -> None:
        """Close the connections this client opened (a given `http_client` is left open), and with them every view
        of it (`with_options`); closing a view alone closes nothing."""
        if self._root is not self:
            return
        self._tokens.close()
        if self._owns_http:
            self._pool().close()  # (asyncio: the running loop's; another loop's cannot be closed from here)

    def _new_pool(self) -> httpx.Client:
        return self._configure(httpx.Client(timeout=self._settings.timeout, verify=verifying_ssl_context()))

    def __enter__(self: C) -> C:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class SyncRawResponses(SyncRawOperations):
    """`client.with_raw_response`: every operation, answering its `RawResponse` (status, headers, elapsed time,
    request id; `.parse()` gives the typed answer). Errors raise as from the client itself."""

    def __init__(self, client: PartnerClient) -> None:
        self._client = client

    def _call(self, operation: Operation, arguments: dict[str, Any]) -> Any:
        return self._client._call(operation, arguments, True)
