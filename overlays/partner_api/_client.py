"""`PartnerClient` and `AsyncPartnerClient`: the generated operation methods on top of the token lifecycle.

Every v2 operation is a generated method (`partner_api_client.api.SyncOperations` / `AsyncOperations`) that
delegates to one generic `_call` (`_async/_calls.py`, and its generated sync twin): build the body (validation
and the default-value rule), send it through an httpx client whose `auth` is the token lifecycle, retry where
safe, map a non-OK `result` to an exception, and return the generated response model. This module holds the
constructor and the parts of a call that do no I/O, once for both clients.
"""

from __future__ import annotations

import importlib
import logging
import os
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

import httpx
from partner_api_client.api import AsyncOperations, Operation, SyncOperations

from . import _fork
from ._answers import AnswerReader
from ._async._calls import AsyncCalls
from ._envelope import read_answer
from ._exceptions import APIConnectionError
from ._request_body import DefaultValuePolicy, RequestBodyBuilder
from ._retry import RetryPolicy
from ._secrets import SecretRegistry
from ._settings import ClientSettings, Clock, endpoint_url
from ._sync._calls import SyncCalls
from ._tokens import TokenLifecycle
from ._transport_security import check_base_url
from ._twins import AsyncSleep, SyncSleep
from .token_stores._base import TokenStore

if TYPE_CHECKING:
    import asyncio  # imported by the async client when used: a sync-only program does not pay for it

    from partner_api_client import AuthenticatedClient as LowLevelClient  # attrs: imported by `low_level`

__all__ = ["AsyncPartnerClient", "PartnerClient"]

C = TypeVar("C", bound="_ClientBase[Any, Any]")
H = TypeVar("H", httpx.Client, httpx.AsyncClient)
S = TypeVar("S", SyncSleep, AsyncSleep)

logger = logging.getLogger("partner_api")

_ENV = ("PARTNER_API_BASE_URL", "PARTNER_API_PROJECT_ID", "PARTNER_API_PRIVATE_KEY")
_STORE_ENV = "PARTNER_API_TOKEN_STORE"


class _Route(NamedTuple):
    """What a call of one operation needs besides its arguments, worked out on its first call."""

    url: httpx.URL
    """The absolute URL: httpx parses a `str` path again on every request (the largest single cost of a call on
    a fast connection), a prepared `httpx.URL` it takes as is."""
    model: Any
    """The generated response model, imported on first use (`import partner_api` does not load the models)."""


class _ClientBase(Generic[H, S]):
    """One constructor, the configuration and the parts of a call that do no I/O, for both clients; the network
    side is the `SyncCalls` / `AsyncCalls` mixin (one source, `_async/_calls.py`).

    `H` is the kind of httpx client, `S` the kind of `sleep`.
    """

    _tokens: TokenLifecycle[Any]
    _auth: httpx.Auth
    _http: H
    _sleep: S
    _max_pages = 1_000_000

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
        http_client: H | None = None,
        retry_policy: RetryPolicy | None = None,
        clock: Clock = time.monotonic,
        sleep: S | None = None,
        token_store: TokenStore | None = None,
        strict_answers: bool = True,
    ) -> None:
        self.base_url = check_base_url(base_url)
        self._settings = ClientSettings.of_client(
            self.base_url, project_id, private_key, refresh_margin=refresh_margin, timeout=timeout,
            retry=retry_policy if retry_policy is not None else RetryPolicy(max_retries=max_retries),
            default_values=default_values, clock=clock, token_store=token_store,
        )  # fmt: skip
        self.project_id = project_id
        self._secrets = SecretRegistry(private_key)
        self._body = RequestBodyBuilder(default_values)
        self._routes: dict[str, _Route] = {}
        self._answers = AnswerReader(strict=strict_answers)
        self._prepare()
        self._sleep = sleep if sleep is not None else self._default_sleep()
        self._tokens = self._new_tokens()
        self._auth = self._new_auth()
        self._owns_http = http_client is None
        self._http = self._configure(http_client) if http_client is not None else self._new_pool()
        self._low_level: LowLevelClient | None = None
        _fork.register(self)

    # ---- what each kind of client provides (the `*Calls` mixin, or the class itself) ----
    def _prepare(self) -> None:
        """What this kind of client sets up before the rest of the constructor runs."""

    def _default_sleep(self) -> S:
        raise NotImplementedError

    def _new_tokens(self) -> TokenLifecycle[Any]:
        raise NotImplementedError

    def _new_auth(self) -> httpx.Auth:
        raise NotImplementedError

    def _new_pool(self) -> H:
        raise NotImplementedError

    def _pool(self) -> H:
        """The httpx client to send through."""
        return self._http

    @property
    def low_level(self) -> LowLevelClient:
        """The generated low-level client over this client's connection and token lifecycle, for the functions of
        `partner_api.low_level`: `get_user.sync_detailed(client=c.low_level, body=GetUserRequest(...))` (or
        `asyncio_detailed` with an `AsyncPartnerClient`)."""
        if self._low_level is None:
            from partner_api_client import AuthenticatedClient

            # The auth adds the token; the answers are read as this client reads them (`strict_answers`).
            self._low_level = AuthenticatedClient(
                base_url=str(self.base_url), token="", answer_reader=self._answers.read
            )
            self._bind_low_level()
        assert self._low_level is not None
        return self._low_level

    def _bind_low_level(self) -> None:
        """Point the `low_level` view (if made) at the current connection pool."""
        if self._low_level is None:
            return
        if isinstance(self._http, httpx.AsyncClient):
            self._low_level.set_async_httpx_client(self._http)
        else:
            self._low_level.set_httpx_client(self._http)

    def _reopen(self) -> None:
        """A new connection pool for the client and its `low_level` view (in a forked child, or under a new loop)."""
        self._http = self._new_pool()
        self._bind_low_level()

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
        """The operation's URL (under the base URL, see `endpoint_url`) and response model."""
        route = self._routes[operation.name] = _Route(
            url=endpoint_url(self.base_url, operation.path),
            model=getattr(importlib.import_module(f"partner_api_client.models.{operation.response_module}"),
                          operation.response_model),
        )  # fmt: skip
        return route

    def _connection_error(self, operation: Operation, exc: httpx.TransportError) -> APIConnectionError:
        return APIConnectionError.from_httpx(operation.name, exc, self._secrets.redact)

    def _answer(self, operation: Operation, response: httpx.Response, attempt: int, started: float) -> Any:
        """The OK answer of one attempt as its model (logged at DEBUG); raises the `PartnerAPIError` of any other."""
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("partner_api %s attempt %d -> HTTP %d in %.1f ms", operation.name, attempt,
                         response.status_code, (time.perf_counter() - started) * 1000)  # fmt: skip
        model = self._routes[operation.name].model
        return self._answers.parse(operation.name, model, read_answer(response, operation.name, self._secrets),
                                   response.status_code)  # fmt: skip

    @property
    def login_count(self) -> int:
        """How many logins this client has performed."""
        return self._tokens.logins

    def _after_fork(self) -> None:
        self._tokens.after_fork()
        if self._owns_http:
            self._reopen()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self.base_url)!r}, project_id={self.project_id!r})"


class PartnerClient(SyncCalls, _ClientBase[httpx.Client, SyncSleep], SyncOperations):
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
        strict_answers: True (default): an answer field of another JSON type than the spec's raises `ServerError`
            (`result == "MALFORMED_ANSWER"`, naming the field). False: it reads as absent (its default or `UNSET`),
            with one WARNING per operation and field; for production while the spec catches up with the API.
        clock: monotonic clock for token expiry (tests inject one).
        sleep: how to wait between retries (tests inject one).
        token_store: where to share the token, the login and the 429 pause with other clients, processes or
            hosts (`partner_api.token_stores`: `FileTokenStore`, `RedisTokenStore`); default: this client only.
    """

    def _prepare(self) -> None:
        store = self._settings.tokens.store
        if store is not None and not store.serves_sync:
            raise TypeError(f"{store!r} has only an asyncio connection: use AsyncPartnerClient, or from_url()")


class AsyncPartnerClient(AsyncCalls, _ClientBase[httpx.AsyncClient, AsyncSleep], AsyncOperations):
    """asyncio Partner API client; the same arguments as `PartnerClient` (`http_client` an `httpx.AsyncClient`,
    `sleep` a coroutine function).

    Safe for many concurrent tasks; keeps working when reused under a new event loop (the connections it owns
    are reopened for that loop).
    """

    _loop: weakref.ref[asyncio.AbstractEventLoop] | None = None
    _running_loop: Callable[[], asyncio.AbstractEventLoop]

    def _prepare(self) -> None:
        import asyncio  # here, not with the package: a sync-only program does not load it

        self._running_loop = asyncio.get_running_loop

    def _pool(self) -> httpx.AsyncClient:
        """The AsyncClient, reopened when this client is used under a new event loop."""
        loop = self._running_loop()
        known = self._loop() if self._loop is not None else None
        if known is not loop:
            if known is not None and self._owns_http:
                # The old loop's connections cannot be used (or closed) from this loop: start a new pool.
                self._reopen()
            self._loop = weakref.ref(loop)
        return self._http

    def _after_fork(self) -> None:
        super()._after_fork()
        self._loop = None
