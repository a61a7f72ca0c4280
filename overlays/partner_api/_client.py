"""`PartnerClient` and `AsyncPartnerClient`: the generated operation methods on top of the token lifecycle.

Every v2 operation is a generated method (`partner_api_client.api.SyncOperations` / `AsyncOperations`) that
delegates to one generic `_call` (`_async/_calls.py`, and its generated sync twin): build the body (validation
and the default-value rule), send it through an httpx client whose `auth` is the token lifecycle, retry where
safe, map a non-OK `result` to an exception, and return the generated response model. This module holds the
constructor and the parts of a call that do no I/O, once for both clients.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import os
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

import httpx
from partner_api_client.api import AsyncOperations, Operation, SyncOperations

from . import _fork, _logs
from ._answers import AnswerReader
from ._async._calls import AsyncCalls, AsyncRawResponses
from ._envelope import read_answer
from ._exceptions import APIConnectionError, PartnerAPIError, request_id_of
from ._observe import Observer, watched_call
from ._raw import RawResponse
from ._request_body import DefaultValuePolicy, RequestBodyBuilder
from ._retry import RetryPolicy
from ._secrets import SecretRegistry
from ._settings import ClientSettings, Clock, TimeoutTypes, endpoint_url, http_timeout
from ._sync._calls import SyncCalls, SyncRawResponses
from ._tokens import TokenLifecycle
from ._transport_security import check_base_url
from ._twins import AsyncSleep, SyncSleep
from .token_stores._base import TokenStore

if TYPE_CHECKING:
    import asyncio  # imported by the async client when used: a sync-only program does not pay for it

    from httpx._client import UseClientDefault
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import TracerProvider
    from partner_api_client import AuthenticatedClient as LowLevelClient  # attrs: imported by `low_level`
    from typing_extensions import Self

__all__ = ["AsyncPartnerClient", "PartnerClient"]

C = TypeVar("C", bound="_ClientBase[Any, Any]")
H = TypeVar("H", httpx.Client, httpx.AsyncClient)
S = TypeVar("S", SyncSleep, AsyncSleep)

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
    _root: _ClientBase[H, S]
    """The client a view was made from (`with_options`), which holds the connection pool; a client's is itself."""
    _timeout: httpx.Timeout | UseClientDefault = httpx.USE_CLIENT_DEFAULT
    """Each request's limits: the pool's own, unless a view was given a timeout."""

    def __init__(
        self,
        base_url: str | httpx.URL,
        project_id: str,
        private_key: str,
        *,
        refresh_margin: float = 60.0,
        timeout: TimeoutTypes = 10.0,
        max_retries: int = 2,
        default_values: DefaultValuePolicy = "error",
        http_client: H | None = None,
        retry_policy: RetryPolicy | None = None,
        clock: Clock = time.monotonic,
        sleep: S | None = None,
        token_store: TokenStore | None = None,
        tracer_provider: TracerProvider | None = None,
        meter_provider: MeterProvider | None = None,
        strict_answers: bool = True,
    ) -> None:
        _logs.configure_from_env()
        self.base_url = check_base_url(base_url)
        self._settings = ClientSettings.of_client(
            self.base_url, project_id, private_key, refresh_margin=refresh_margin, timeout=timeout,
            retry=retry_policy if retry_policy is not None else RetryPolicy(max_retries=max_retries),
            default_values=default_values, clock=clock, token_store=token_store,
        )  # fmt: skip
        self.project_id = project_id
        self._root = self
        self._observer = Observer(tracer_provider, meter_provider)
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
        """The httpx client to send through (the root client's: a view has none of its own)."""
        return self._root._http

    def with_options(
        self, *, timeout: TimeoutTypes | None = None, max_retries: int | None = None, retry: RetryPolicy | None = None
    ) -> Self:
        """This client with other settings for the calls made through it: the same token, token store, login and
        connection pool (no login, no new connection). Views nest; closing the client closes every view of it.

        Args:
            timeout: seconds (or an `httpx.Timeout`) for each request of these calls.
            max_retries: retries of transient failures for these calls (0: none).
            retry: the retry policy of these calls (`max_retries`, if also given, replaces its own). The 429 pause
                shared by the token lifecycle stays capped by the client's own policy.
        """
        settings = self._settings
        if retry is not None:
            settings = dataclasses.replace(settings, retry=retry)
        if max_retries is not None:
            settings = dataclasses.replace(settings, retry=dataclasses.replace(settings.retry, max_retries=max_retries))
        view = copy.copy(self)  # the attributes shared as they are; the root keeps the pool (`_pool`)
        if timeout is not None:
            settings = dataclasses.replace(settings, timeout=http_timeout(timeout))
            view._timeout = settings.timeout
        view._settings = settings
        view.__dict__.pop("_http", None)  # the pool lives on the root only (it may reopen it: a fork, a new loop)
        view.__dict__.pop("_low_level", None)
        return view

    @property
    def low_level(self) -> LowLevelClient:
        """The generated low-level client over this client's connection and token lifecycle, for the functions of
        `partner_api.low_level`: `get_user.sync_detailed(client=c.low_level, body=GetUserRequest(...))` (or
        `asyncio_detailed` with an `AsyncPartnerClient`)."""
        root = self._root
        if root._low_level is None:
            from partner_api_client import AuthenticatedClient

            # The auth adds the token; the answers are read as this client reads them (`strict_answers`).
            root._low_level = AuthenticatedClient(
                base_url=str(self.base_url), token="", answer_reader=self._answers.read
            )
            root._bind_low_level()
        assert root._low_level is not None
        return root._low_level

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
        record = watched_call()
        if record is not None:
            record.end(exc)  # the attempt's span ends with the httpx error
        return APIConnectionError.from_httpx(operation.name, exc, self._secrets.redact)

    def _answer(self, operation: Operation, response: httpx.Response) -> Any:
        """The OK answer of one attempt as its model; raises the `PartnerAPIError` of any other."""
        model = self._routes[operation.name].model
        try:
            return self._answers.parse(operation.name, model, read_answer(response, operation.name, self._secrets),
                                       response.status_code)  # fmt: skip
        except PartnerAPIError as error:  # (a malformed answer is found by the model: the request id added here)
            if error.request_id is None:
                error.request_id = request_id_of(response)
            raise

    @staticmethod
    def _raw(response: httpx.Response, answer: Any) -> RawResponse[Any]:
        return RawResponse(response, answer)

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
        timeout: seconds (or an `httpx.Timeout`) for connecting, reading and writing each request.
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
        tracer_provider: the OpenTelemetry `TracerProvider` for this client's spans (default: the global one).
        meter_provider: the OpenTelemetry `MeterProvider` for its metrics (default: the global one).
    """

    @property
    def with_raw_response(self) -> SyncRawResponses:
        """Every operation, answering its `RawResponse`: `client.with_raw_response.get_user(user_id=1)` has
        `.status_code`, `.headers`, `.elapsed`, `.request_id`, and `.parse()` gives the typed answer."""
        return SyncRawResponses(self)

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
    _root: AsyncPartnerClient

    @property
    def with_raw_response(self) -> AsyncRawResponses:
        """Every operation, answering its `RawResponse` (see `PartnerClient.with_raw_response`)."""
        return AsyncRawResponses(self)

    def _prepare(self) -> None:
        import asyncio  # here, not with the package: a sync-only program does not load it

        self._running_loop = asyncio.get_running_loop

    def _pool(self) -> httpx.AsyncClient:
        """The AsyncClient (the root client's), reopened when this client is used under a new event loop."""
        root = self._root
        loop = root._running_loop()
        known = root._loop() if root._loop is not None else None
        if known is not loop:
            if known is not None and root._owns_http:
                # The old loop's connections cannot be used (or closed) from this loop: start a new pool.
                root._reopen()
            root._loop = weakref.ref(loop)
        return root._http

    def _after_fork(self) -> None:
        super()._after_fork()
        self._loop = None
