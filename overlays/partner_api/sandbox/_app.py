"""The ASGI app: login, the v2 operations, the optional admin routes, and the fault/rate-limit layer."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import partner_api_sandbox_models as models
from partner_api_client.api import OPERATIONS
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ._admin import admin_routes
from ._config import SandboxConfig
from ._connections import abort_connection
from ._envelope import compact, error_body, error_response, json_response
from ._errors import INTERNAL_ERROR, INVALID_PARAMETERS, NOT_AUTHORIZED, NOT_FOUND, ApiError, result_for_status
from ._faults import LOGIN, FaultSpec
from ._operations import HANDLERS, OperationContext, handle
from ._parsing import parse_json_object, parse_login_form, parse_request, read_body
from ._state import SandboxState

logger = logging.getLogger("partner_api.sandbox")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

LOGIN_PATH = "/partner/login"
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


def _response_model(operation: str) -> type[BaseModel]:
    model = getattr(models, OPERATIONS[operation].response_model)
    assert isinstance(model, type)
    assert issubclass(model, BaseModel)
    return model


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
                state.stats.count_login(ok=False)
                state.stats.count_not_authorized()
                raise ApiError(NOT_AUTHORIZED, "wrong login or password")
        except ApiError as exc:
            return error_response(exc)
        token = state.tokens.issue()
        state.stats.count_login(ok=True)
        return json_response(
            compact(
                {
                    "result": "OK",
                    "access_token": token.access_token,
                    "create_time": token.create_time,
                    "expire_time": token.expire_time,
                }
            )
        )

    async def v2(self, request: Request) -> Response:
        operation = request.path_params["operation"]
        if operation not in HANDLERS:
            return error_response(ApiError(NOT_FOUND, "no such operation"))
        try:
            raw = await read_body(request)
            self._authorize(request)
            body = parse_json_object(raw)
            parsed = parse_request(operation, body)
            context = OperationContext(self.state.store, self.state.clock.now(), body)
            payload = handle(operation, context, parsed)
            answer = _response_model(operation).model_validate({"result": "OK", **payload})
            return json_response(answer.model_dump(mode="json", exclude_defaults=True))
        except ApiError as exc:
            return error_response(exc)
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
        self.state.stats.count_not_authorized()
        raise ApiError(NOT_AUTHORIZED, message)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    result = NOT_FOUND if exc.status_code == 404 else result_for_status(exc.status_code)
    return json_response(error_body(result, exc.detail), exc.status_code, exc.headers)


class SandboxApp:
    """The ASGI callable: counts API requests, applies the rate limit and faults, then routes."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        endpoints = _Endpoints(state)
        routes = [
            Route(LOGIN_PATH, endpoints.login, methods=["POST"]),
            Route(V2_PREFIX + "{operation}", endpoints.v2, methods=["POST"]),
        ]
        if state.config.admin:
            routes += admin_routes(state)
        self.router = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        operation = operation_for_path(scope["path"]) if scope["type"] == "http" else None
        if operation is None:
            await self.router(scope, receive, send)
            return
        state = self.state
        state.stats.count_request(operation)
        retry_after = state.limiter.acquire()
        if retry_after is not None:
            state.stats.count_rate_limited()
            await _send_error(send, 429, "TOO_MANY_REQUESTS", "rate limit exceeded", retry_after)
            return
        fault = state.faults.take(operation)
        if fault is None:
            await self.router(scope, receive, send)
            return
        state.stats.count_fault(operation)
        await self._serve_fault(fault, scope, receive, send)

    async def _serve_fault(self, fault: FaultSpec, scope: Scope, receive: Receive, send: Send) -> None:
        if fault.latency:
            await asyncio.sleep(fault.latency)
        if fault.drop:
            await _read_body(receive)
            abort_connection(scope, reset=False)
            await _wait_disconnect(receive)
        elif fault.reset:
            await self._reset_mid_response(scope, receive, send)
        elif fault.responds:
            await _read_body(receive)
            status, headers, body = fault.response()
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body, "more_body": False})
        else:
            await self.router(scope, receive, send)

    async def _reset_mid_response(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the operation, send its headers and half its body, then reset the connection."""
        messages: list[Message] = []

        async def capture(message: Message) -> None:
            messages.append(message)

        await self.router(scope, receive, capture)
        body = b"".join(message.get("body", b"") for message in messages[1:])
        await send(messages[0])
        await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
        await asyncio.sleep(RESET_FLUSH_DELAY)
        abort_connection(scope, reset=True)
        await _wait_disconnect(receive)


async def _send_error(send: Send, status: int, result: str, message: str, retry_after: int | None = None) -> None:
    response = json_response(error_body(result, message), status)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    await send({"type": "http.response.start", "status": status, "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": response.body, "more_body": False})


async def _read_body(receive: Receive) -> None:
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


async def _wait_disconnect(receive: Receive, timeout: float = 2.0) -> None:
    async def wait() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    try:
        await asyncio.wait_for(wait(), timeout)
    except asyncio.TimeoutError:
        logger.debug("sandbox: no disconnect seen after an injected drop/reset")


def create_app(config: SandboxConfig | None = None, *, state: SandboxState | None = None) -> SandboxApp:
    """The sandbox as an ASGI app (serve it with uvicorn and `SandboxH11Protocol` for drop/reset faults)."""
    return SandboxApp(state if state is not None else SandboxState(config or SandboxConfig()))
