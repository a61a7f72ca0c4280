"""`PartnerClient` and `AsyncPartnerClient`: the generated operation methods on top of the token lifecycle.

Every v2 operation is a generated method (`partner_api_client.api.SyncOperations` / `AsyncOperations`);
this module only implements the generic `_call` they delegate to: build the body (validation and the
default-value rule), send it through an httpx client whose `auth` is the token lifecycle, retry where safe,
map a non-OK `result` to an exception, and return the generated response model.
"""

from __future__ import annotations

import importlib
import itertools
import logging
import os
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import httpx
from partner_api_client.api import AsyncOperations, Operation, SyncOperations

from . import _fork
from ._auth import TokenAuth
from ._envelope import read_answer
from ._exceptions import APIConnectionError, PartnerAPIError
from ._request_body import DefaultValuePolicy, RequestBodyBuilder
from ._retry import RetryPolicy
from ._secrets import Secret, SecretRegistry
from ._tokens import AsyncTokenManager, Clock, TokenManager
from ._transport_security import check_base_url
from .token_stores._base import TokenStore

if TYPE_CHECKING:
    import asyncio  # imported by the async client when used: a sync-only program does not pay for it

    from partner_api_client import AuthenticatedClient as LowLevelClient  # attrs: imported by `low_level`

__all__ = ["AsyncPartnerClient", "PartnerClient"]

C = TypeVar("C", bound="_ClientBase")
H = TypeVar("H", httpx.Client, httpx.AsyncClient)

logger = logging.getLogger("partner_api")

_LOGIN_PATH = "/partner/login"
_ENV = ("PARTNER_API_BASE_URL", "PARTNER_API_PROJECT_ID", "PARTNER_API_PRIVATE_KEY")
_STORE_ENV = "PARTNER_API_TOKEN_STORE"
_MAX_PAGES = 1_000_000


def _under(base: httpx.URL, path: str) -> httpx.URL:
    """`path` under the base URL's own path, as httpx merges a relative URL with a client's `base_url` (a gateway
    may serve the API under `/vpn/`): the login and every operation."""
    if not base.path.endswith("/"):
        base = base.copy_with(path=base.path + "/")
    return base.join(path.lstrip("/"))


class _Route(NamedTuple):
    """What a call of one operation needs besides its arguments, worked out on its first call."""

    url: httpx.URL
    """The absolute URL: httpx parses a `str` path again on every request (the largest single cost of a call on
    a fast connection), a prepared `httpx.URL` it takes as is."""
    model: Any
    """The generated response model, imported on first use (`import partner_api` does not load the models)."""


class _ClientBase:
    """Configuration and the parts of a call that do no I/O, shared by the sync and async clients."""

    _tokens: TokenManager | AsyncTokenManager
    _auth: TokenAuth
    _http: httpx.Client | httpx.AsyncClient

    def __init__(
        self,
        base_url: str | httpx.URL,
        project_id: str,
        private_key: str,
        *,
        refresh_margin: float,
        timeout: float,
        max_retries: int,
        default_values: DefaultValuePolicy,
        retry_policy: RetryPolicy | None,
        clock: Clock,
        token_store: TokenStore | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url)
        if not isinstance(project_id, str) or not project_id:
            raise ValueError("project_id must be a non-empty string")
        if not isinstance(private_key, str) or not private_key:
            raise ValueError("private_key must be a non-empty string")
        if timeout <= 0:
            raise ValueError("timeout must be > 0 seconds")
        self.project_id = project_id
        self._private_key = Secret(private_key)
        self._secrets = SecretRegistry(private_key)
        self._body = RequestBodyBuilder(default_values)
        self._retry = retry_policy if retry_policy is not None else RetryPolicy(max_retries=max_retries)
        self._timeout = timeout
        self._refresh_margin = refresh_margin
        self._clock = clock
        self._login_url = _under(self.base_url, _LOGIN_PATH)
        self._token_store = token_store
        self._routes: dict[str, _Route] = {}

    def _token_args(self) -> tuple[Any, ...]:
        return (self._login_url, self.project_id, self._private_key, self._refresh_margin, self._clock, self._secrets,
                self._token_store, str(self.base_url), self._retry.max_retry_after)  # fmt: skip

    @classmethod
    def from_env(cls: type[C], **options: Any) -> C:
        """A client from PARTNER_API_BASE_URL, PARTNER_API_PROJECT_ID and PARTNER_API_PRIVATE_KEY, with the token
        store of PARTNER_API_TOKEN_STORE (redis://…, rediss://…, file:///path; unset: in memory)."""
        missing = [name for name in _ENV if not os.environ.get(name)]
        if missing:
            raise ValueError(f"{cls.__name__}.from_env(): set {', '.join(missing)}")
        if "token_store" not in options and os.environ.get(_STORE_ENV):
            from .token_stores import from_url

            options["token_store"] = from_url(os.environ[_STORE_ENV])
        return cls(*(os.environ[name] for name in _ENV), **options)

    @classmethod
    def from_profile(cls: type[C], name: str, **options: Any) -> C:
        """A client from `[profiles.NAME]` of ~/.config/partner-api/config.toml, read as `partner-api --profile
        NAME` reads it (base URL, project id, the key from its source, `timeout`); `options` as the constructor's.
        Raises `ValueError` naming the file, the profile and what to fix."""
        from ._profiles import load_profile

        profile = load_profile(name)
        if profile.timeout is not None:
            options.setdefault("timeout", profile.timeout)
        return cls(profile.base_url, profile.project_id, profile.private_key, **options)

    def _configure(self, http: H) -> H:
        """Point `http` at the API: base URL, the token lifecycle as its auth (which also turns an unknown HTTP
        status into a `ServerError`), JSON answers."""
        http.base_url = self.base_url
        http.auth = self._auth
        http.headers["Accept"] = "application/json"
        return http

    def _route(self, operation: Operation) -> _Route:
        """The operation's URL (under the base URL, see `_under`) and response model."""
        route = self._routes[operation.name] = _Route(
            url=_under(self.base_url, operation.path),
            model=getattr(importlib.import_module(f"partner_api_client.models.{operation.response_module}"),
                          operation.response_model),
        )  # fmt: skip
        return route

    def _connection_error(self, operation: Operation, exc: httpx.TransportError) -> APIConnectionError:
        return APIConnectionError.from_httpx(operation.name, exc, self._secrets.redact)

    def _answer(self, operation: Operation, response: httpx.Response, attempt: int, started: float) -> dict[str, Any]:
        """The decoded OK answer of one attempt (logged at DEBUG); raises the `PartnerAPIError` of any other."""
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("partner_api %s attempt %d -> HTTP %d in %.1f ms", operation.name, attempt,
                         response.status_code, (time.perf_counter() - started) * 1000)  # fmt: skip
        return read_answer(response, operation.name, self._secrets, operation.payload)

    @property
    def login_count(self) -> int:
        """How many logins this client has performed."""
        return self._tokens.logins

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self.base_url)!r}, project_id={self.project_id!r})"


class PartnerClient(_ClientBase, SyncOperations):
    """Blocking Partner API client; thread-safe. Use as a context manager or call `close()`.

    Args:
        base_url: https URL of the API (plain http only to a loopback address, e.g. the sandbox).
        project_id: the project id (`login` of `/partner/login`).
        private_key: the project's private key; never logged, shown or put in exception text.
        refresh_margin: renew the token this many seconds before it expires (capped at half its lifetime).
        timeout: seconds for connecting, reading and writing each request.
        max_retries: retries of transient failures, where repeating cannot duplicate a change.
        default_values: `"error"` (raise `DefaultValueError` for an explicit 0 or ""), `"warn"` or `"strip"`.
        http_client: an `httpx.Client` to use (proxies, mTLS); the client sets its `base_url`, `auth` and a
            response hook, and does not close it.
        retry_policy: finer control of retries than `max_retries`.
        clock: monotonic clock for token expiry (tests inject one).
        sleep: how to wait between retries (tests inject one).
        token_store: where to share the token, the login and the 429 pause with other clients, processes or
            hosts (`partner_api.token_stores`: `FileTokenStore`, `RedisTokenStore`); default: this client only.
    """

    _tokens: TokenManager
    _http: httpx.Client

    def __init__(
        self,
        base_url: str | httpx.URL,
        project_id: str,
        private_key: str,
        *,
        refresh_margin: float = 60.0,
        timeout: float = 10.0,
        max_retries: int = 2,
        default_values: DefaultValuePolicy = "error",
        http_client: httpx.Client | None = None,
        retry_policy: RetryPolicy | None = None,
        clock: Clock = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        token_store: TokenStore | None = None,
    ) -> None:
        super().__init__(
            base_url, project_id, private_key, refresh_margin=refresh_margin, timeout=timeout,
            max_retries=max_retries, default_values=default_values, retry_policy=retry_policy, clock=clock,
            token_store=token_store,
        )  # fmt: skip
        self._sleep = sleep
        self._tokens = TokenManager(*self._token_args(), send=self._send_login)
        self._auth = TokenAuth(tokens=self._tokens)
        self._owns_http = http_client is None
        self._http = self._configure(http_client if http_client is not None else httpx.Client(timeout=timeout))
        self._low_level: LowLevelClient | None = None
        _fork.register(self)

    @property
    def low_level(self) -> LowLevelClient:
        """The generated low-level client over this client's connection and token lifecycle.

        Use it with `partner_api.low_level`: `get_user.sync_detailed(client=c.low_level, body=GetUserRequest(...))`.
        """
        if self._low_level is None:
            from partner_api_client import AuthenticatedClient

            low_level = AuthenticatedClient(base_url=str(self.base_url), token="")  # the httpx auth adds the token
            low_level.set_httpx_client(self._http)
            self._low_level = low_level
        return self._low_level

    def login(self) -> None:
        """Log in now (otherwise the first call does); raises `AuthenticationError` for wrong credentials."""
        self._tokens.get()

    def _send_login(self, request: httpx.Request) -> httpx.Response:
        return self._http.send(request, auth=None)

    def _call(self, operation: Operation, arguments: dict[str, Any]) -> Any:
        body = self._body.build(operation.name, operation.request_model, arguments)
        route = self._routes.get(operation.name) or self._route(operation)
        try:
            data = self._attempt(operation, route.url, body)
        except PartnerAPIError as error:
            if not self._retry.should_retry(operation.safe_to_retry, error):
                raise
            attempts = itertools.count(2)
            data = self._retry.call(
                error, operation.safe_to_retry, lambda: self._attempt(operation, route.url, body, next(attempts)),
                self._sleep,
            )  # fmt: skip
        return route.model.from_dict(data)

    def _attempt(self, operation: Operation, url: httpx.URL, body: dict[str, Any], attempt: int = 1) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            response = self._http.post(url, json=body)
        except httpx.TransportError as exc:
            raise self._connection_error(operation, exc) from exc
        return self._answer(operation, response, attempt, started)

    def _paginate(self, operation: Operation, items: str, arguments: dict[str, Any]) -> Iterator[Any]:
        assert operation.pagination is not None
        cursor_name, next_name = operation.pagination.cursor_python, operation.pagination.next_cursor_python
        cursor = ""
        for _ in range(_MAX_PAGES):
            page = self._call(operation, {**arguments, cursor_name: cursor} if cursor else arguments)
            yield from getattr(page, items)
            next_cursor = getattr(page, next_name)
            if not next_cursor or next_cursor == cursor:
                return
            cursor = next_cursor

    def close(self) -> None:
        """Close the connections this client opened (a given `http_client` is left open)."""
        self._tokens.close()
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> PartnerClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _after_fork(self) -> None:
        self._tokens.after_fork()
        if self._owns_http:
            self._http = self._configure(httpx.Client(timeout=self._timeout))
            if self._low_level is not None:
                self._low_level.set_httpx_client(self._http)


class AsyncPartnerClient(_ClientBase, AsyncOperations):
    """asyncio Partner API client; the same arguments as `PartnerClient` (`http_client` an `httpx.AsyncClient`).

    Safe for many concurrent tasks; keeps working when reused under a new event loop (the connections it owns
    are reopened for that loop).
    """

    _tokens: AsyncTokenManager
    _http: httpx.AsyncClient

    def __init__(
        self,
        base_url: str | httpx.URL,
        project_id: str,
        private_key: str,
        *,
        refresh_margin: float = 60.0,
        timeout: float = 10.0,
        max_retries: int = 2,
        default_values: DefaultValuePolicy = "error",
        http_client: httpx.AsyncClient | None = None,
        retry_policy: RetryPolicy | None = None,
        clock: Clock = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        token_store: TokenStore | None = None,
    ) -> None:
        import asyncio

        super().__init__(
            base_url, project_id, private_key, refresh_margin=refresh_margin, timeout=timeout,
            max_retries=max_retries, default_values=default_values, retry_policy=retry_policy, clock=clock,
            token_store=token_store,
        )  # fmt: skip
        self._sleep = sleep if sleep is not None else asyncio.sleep
        self._tokens = AsyncTokenManager(*self._token_args(), send=self._send_login)
        self._auth = TokenAuth(async_tokens=self._tokens)
        self._owns_http = http_client is None
        self._http = self._configure(http_client if http_client is not None else httpx.AsyncClient(timeout=timeout))
        self._loop: weakref.ref[asyncio.AbstractEventLoop] | None = None
        self._running_loop = asyncio.get_running_loop  # asyncio is imported here, not with the package
        self._low_level: LowLevelClient | None = None
        _fork.register(self)

    def _http_for_loop(self) -> httpx.AsyncClient:
        """The AsyncClient, reopened when this client is used under a new event loop."""
        loop = self._running_loop()
        known = self._loop() if self._loop is not None else None
        if known is not loop:
            if known is not None and self._owns_http:
                # The old loop's connections cannot be used (or closed) from this loop: start a new pool.
                self._reopen_http()
            self._loop = weakref.ref(loop)
        return self._http

    @property
    def low_level(self) -> LowLevelClient:
        """The generated low-level client over this client's connection and token lifecycle (`asyncio*` functions)."""
        if self._low_level is None:
            from partner_api_client import AuthenticatedClient

            low_level = AuthenticatedClient(base_url=str(self.base_url), token="")  # the httpx auth adds the token
            low_level.set_async_httpx_client(self._http)
            self._low_level = low_level
        return self._low_level

    async def login(self) -> None:
        """Log in now (otherwise the first call does); raises `AuthenticationError` for wrong credentials."""
        self._http_for_loop()
        await self._tokens.get()

    async def _send_login(self, request: httpx.Request) -> httpx.Response:
        return await self._http.send(request, auth=None)

    async def _call(self, operation: Operation, arguments: dict[str, Any]) -> Any:
        body = self._body.build(operation.name, operation.request_model, arguments)
        route = self._routes.get(operation.name) or self._route(operation)
        http = self._http_for_loop()
        started = time.perf_counter()
        try:
            # The first attempt inline (the retries go through `_attempt`): one coroutine less per call.
            try:
                response = await http.post(route.url, json=body)
            except httpx.TransportError as exc:
                raise self._connection_error(operation, exc) from exc
            data = self._answer(operation, response, 1, started)
        except PartnerAPIError as error:
            if not self._retry.should_retry(operation.safe_to_retry, error):
                raise
            attempts = itertools.count(2)
            data = await self._retry.acall(
                error, operation.safe_to_retry, lambda: self._attempt(operation, route.url, body, next(attempts)),
                self._sleep,
            )  # fmt: skip
        return route.model.from_dict(data)

    async def _attempt(
        self, operation: Operation, url: httpx.URL, body: dict[str, Any], attempt: int
    ) -> dict[str, Any]:
        http = self._http_for_loop()
        started = time.perf_counter()
        try:
            response = await http.post(url, json=body)
        except httpx.TransportError as exc:
            raise self._connection_error(operation, exc) from exc
        return self._answer(operation, response, attempt, started)

    async def _paginate(self, operation: Operation, items: str, arguments: dict[str, Any]) -> AsyncIterator[Any]:
        assert operation.pagination is not None
        cursor_name, next_name = operation.pagination.cursor_python, operation.pagination.next_cursor_python
        cursor = ""
        for _ in range(_MAX_PAGES):
            page = await self._call(operation, {**arguments, cursor_name: cursor} if cursor else arguments)
            for item in getattr(page, items):
                yield item
            next_cursor = getattr(page, next_name)
            if not next_cursor or next_cursor == cursor:
                return
            cursor = next_cursor

    async def aclose(self) -> None:
        """Close the connections this client opened (a given `http_client` is left open)."""
        self._tokens.close()
        if self._owns_http:
            # Connections opened under another (possibly closed) loop cannot be closed from this one.
            await self._http_for_loop().aclose()

    async def __aenter__(self) -> AsyncPartnerClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def _after_fork(self) -> None:
        self._tokens.after_fork()
        if self._owns_http:
            self._reopen_http()
            self._loop = None

    def _reopen_http(self) -> None:
        """A new connection pool for the client and its `low_level` view."""
        self._http = self._configure(httpx.AsyncClient(timeout=self._timeout))
        if self._low_level is not None:
            self._low_level.set_async_httpx_client(self._http)
