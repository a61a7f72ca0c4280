"""The ASGI app: login, the v2 operations, the optional admin routes, and the fault/rate-limit layer."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from partner_api_client.spec_facts import OPERATIONS
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from ._admin import admin_routes
from ._config import SandboxConfig
from ._connections import abort_connection, connection_of
from ._errors import (
    INTERNAL_ERROR,
    INVALID_PARAMETERS,
    NOT_AUTHORIZED,
    NOT_FOUND,
    TOO_MANY_REQUESTS,
    ApiError,
    result_for_status,
)
from ._faults import LOGIN, FaultSpec
from ._operations import HANDLERS, OperationContext, handle
from ._parsing import (
    MAX_BODY_SIZE,
    generated_model,
    parse_login_form,
    parse_operation_body,
    parse_request,
    read_body,
)
from ._responses import answer_body, error_body, error_response, json_response, ok_response
from ._state import SandboxState
from ._tracing import RequestTracing

logger = logging.getLogger("partner_api.sandbox")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

LOGIN_PATH = "/partner/login"
LOGIN_ANSWER = "LoginResponse"
"""The spec's schema of a successful login (a key of `ANSWER_RULES`)."""
V2_PREFIX = "/partner/v2/"
RESET_FLUSH_DELAY = 0.05
"""Seconds between sending the partial body and resetting, so the client reads the headers first."""

_FORM_MEDIA_TYPES = ("", "application/x-www-form-urlencoded")

_UNIMPLEMENTED = sorted(set(OPERATIONS) - set(HANDLERS))
if _UNIMPLEMENTED:  # a spec change added an operation: the sandbox must implement it
    raise ImportError(f"the sandbox has no handler for: {', '.join(_UNIMPLEMENTED)}")


def operation_for_path(path: str) -> str | None:
    """`login`, an operationId, or None for any other path (admin routes, unknown paths)."""
    if path == LOGIN_PATH:
        return LOGIN
    if path.startswith(V2_PREFIX) and path[len(V2_PREFIX) :] in OPERATIONS:
        return path[len(V2_PREFIX) :]
    return None


_GENERATION = "partner_api.sandbox.stats_generation"


def _arrived(request: Request) -> int | None:
    """The counters' generation when `request` arrived (`Stats`)."""
    generation = request.scope.get(_GENERATION)
    return generation if isinstance(generation, int) else None


class _Endpoints:
    """Login and the v2 operations over one `SandboxState`."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    async def login(self, request: Request) -> Response:
        state = self.state
        try:
            raw = await read_body(request)
            media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if media_type not in _FORM_MEDIA_TYPES:
                raise ApiError(INVALID_PARAMETERS, "login expects an application/x-www-form-urlencoded body")
            form = parse_login_form(raw)
            password = form.password.get_secret_value().encode("utf-8")
            project_ok = hmac.compare_digest(form.login.encode("utf-8"), state.config.project_id.encode("utf-8"))
            key_ok = hmac.compare_digest(password, state.config.private_key.encode("utf-8"))
            if not (project_ok and key_ok):
                state.stats.count_login(ok=False, generation=_arrived(request))
                state.stats.count_not_authorized(_arrived(request))
                raise ApiError(NOT_AUTHORIZED, "wrong login or password")
        except ApiError as exc:
            return error_response(exc)
        token = state.tokens.issue()
        state.stats.count_login(ok=True, generation=_arrived(request))
        return ok_response(token._asdict(), LOGIN_ANSWER)

    async def v2(self, request: Request) -> Response:
        operation = request.path_params["operation"]
        if operation not in HANDLERS:
            return error_response(ApiError(NOT_FOUND, "no such operation"))
        try:
            raw = await read_body(request)
            self._authorize(request)
            expected = OPERATIONS[operation].request_content_type
            body = parse_operation_body(raw, request.headers.get("content-type", ""), expected)
            parsed = parse_request(operation, body)
            context = OperationContext(self.state.store, self.state.clock.now(), body)
            payload = handle(operation, context, parsed)
            answer_model = OPERATIONS[operation].response_model
            answer = generated_model(answer_model).model_validate({"result": "OK", **payload})
            body = answer_body(answer.model_dump(mode="json", by_alias=True), answer_model)
            if self.state.drift is not None:
                body = self.state.drift.answer(operation, body)
            return json_response(body)
        except ApiError as exc:
            if self.state.drift is not None:
                exc.result = self.state.drift.result(operation, exc.result)
            return error_response(exc)
        except ClientDisconnect:
            raise  # not a failure of the operation: `_client_gone` notes it
        except Exception:
            logger.exception("sandbox: %s failed", operation)
            return error_response(ApiError(INTERNAL_ERROR, "internal error"))

    def _authorize(self, request: Request) -> None:
        scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            message = "missing bearer access token"
        elif not self.state.tokens.is_valid(token):
            message = "invalid, expired or revoked access token"
        else:
            return
        self.state.stats.count_not_authorized(_arrived(request))
        raise ApiError(NOT_AUTHORIZED, message)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return json_response(error_body(result_for_status(exc.status_code), exc.detail), exc.status_code, exc.headers)


async def _client_gone(request: Request, exc: Exception) -> Response:
    """The client left before its request body arrived (a timeout, say): expected, and there is nobody to answer."""
    logger.debug("sandbox: the client disconnected before sending all of its %s request", request.url.path)
    return Response(status_code=400)


class SandboxApp:
    """The ASGI callable: counts API requests, applies the rate limit and faults, then routes."""

    def __init__(self, state: SandboxState, tracing: RequestTracing | None = None) -> None:
        self.state = state
        self.tracing = tracing if tracing is not None else RequestTracing()
        endpoints = _Endpoints(state)
        routes = [
            Route(LOGIN_PATH, endpoints.login, methods=["POST"]),
            Route(V2_PREFIX + "{operation}", endpoints.v2, methods=["POST"]),
        ]
        if state.config.admin:
            routes += admin_routes(state)
        self.router = Starlette(
            routes=routes, exception_handlers={HTTPException: _http_error, ClientDisconnect: _client_gone}
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        operation = operation_for_path(scope["path"]) if scope["type"] == "http" else None
        if operation is None:
            await self.router(scope, receive, send)
            return
        route = LOGIN_PATH if operation == LOGIN else V2_PREFIX + "{operation}"
        await self.tracing.serve(route, scope, send, lambda send: self._serve_api(operation, scope, receive, send))

    async def _serve_api(self, operation: str, scope: Scope, receive: Receive, send: Send) -> None:
        """An API request (login or v2): counted, rate-limited, faulted or routed."""
        state = self.state
        scope[_GENERATION] = state.stats.generation  # the counters it counts towards, answered however late
        state.stats.count_request(operation)
        retry_after = state.limiter.acquire()
        if retry_after is None and operation == LOGIN:
            retry_after = state.login_limiter.acquire()
        if retry_after is not None:
            state.stats.count_rate_limited()
            limited = ApiError(TOO_MANY_REQUESTS, "rate limit exceeded", headers={"Retry-After": str(retry_after)})
            await error_response(limited)(scope, receive, send)
            return
        fault = state.faults.take(operation)
        if fault is None:
            await self.router(scope, receive, send)
            return
        state.stats.count_fault(operation)
        await self._serve_fault(fault, scope, receive, send)

    async def _serve_fault(self, fault: FaultSpec, scope: Scope, receive: Receive, send: Send) -> None:
        # Found while the client is surely connected: it may give up during the latency.
        connection = connection_of(scope) if fault.drop or fault.reset else None
        # Like a real server, hold the whole request before any delay: an operation a client gave up on
        # during the latency still runs (the answer goes nowhere).
        receive = await _read_request(receive)
        if fault.latency:
            await asyncio.sleep(fault.latency)
        if connection is not None:  # drop or reset
            if fault.reset:
                await self._send_half_response(scope, receive, send)
            abort_connection(connection, reset=fault.reset)
            await _wait_disconnect(receive)
        elif fault.responds:
            status, headers, body = fault.response()
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body, "more_body": False})
        else:
            await self.router(scope, receive, send)

    async def _send_half_response(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the operation, send its headers and half its body, and leave the client time to read them."""
        messages: list[Message] = []

        async def capture(message: Message) -> None:
            messages.append(message)

        await self.router(scope, receive, capture)
        body = b"".join(message.get("body", b"") for message in messages[1:])
        await send(messages[0])
        await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
        await asyncio.sleep(RESET_FLUSH_DELAY)


async def _read_request(receive: Receive) -> Receive:
    """Receive the request body now (up to MAX_BODY_SIZE); the `receive` returned replays it, then goes on."""
    held: list[Message] = []
    size = 0
    while size <= MAX_BODY_SIZE:
        message = await receive()
        held.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
        size += len(message.get("body", b""))

    async def replay() -> Message:
        return held.pop(0) if held else await receive()

    return replay


async def _wait_disconnect(receive: Receive, timeout: float = 2.0) -> None:
    async def wait() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    try:
        await asyncio.wait_for(wait(), timeout)
    except asyncio.TimeoutError:
        logger.debug("sandbox: no disconnect seen after an injected drop/reset")


def create_app(
    config: SandboxConfig | None = None, *, state: SandboxState | None = None, tracing: RequestTracing | None = None
) -> SandboxApp:
    """The sandbox as an ASGI app (serve it with uvicorn and `SandboxH11Protocol` for drop/reset faults)."""
    return SandboxApp(state if state is not None else SandboxState(config or SandboxConfig()), tracing)
