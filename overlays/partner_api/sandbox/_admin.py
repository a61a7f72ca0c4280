"""The admin endpoint under `/_sandbox/` (mounted only with `admin=True` / `--admin`).

Routes (JSON in and out; errors use the API's envelope):
  GET    /_sandbox/config           knobs: project_id, token_ttl, clock_offset, server_time, rate_limit, seed, db
  POST   /_sandbox/config           change any of {"token_ttl": int >= 1, "clock_offset": seconds,
                                    "rate_limit": requests per second or null,
                                    "max_active_tokens": int >= 1 or null,
                                    "login_rate_limit": logins per second or null}
  POST   /_sandbox/revoke           revoke every access token -> {"revoked": n}
  GET    /_sandbox/faults           the active faults with what is left of them
  POST   /_sandbox/faults           add a fault (see `FaultSpec`) -> {"fault": {...}}
  DELETE /_sandbox/faults           remove every fault -> {"cleared": n}
  GET    /_sandbox/stats            counters: logins, failed_logins, not_authorized, rate_limited,
                                    requests {operation: n}, faults {operation: n}
  DELETE /_sandbox/stats            zero the counters
  GET    /_sandbox/drift            with --drift SEED: {"seed", "unknown_result", "applied": [{operation, kind,
                                    path}]}, the deviations sent since start or reset (see `_drift`)
  POST   /_sandbox/reset            back to the start-up state (knobs, no tokens/faults, data re-seeded)
  POST   /_sandbox/seed             {"users": n} adds n generated users -> {"user_ids": [...]}
  GET    /_sandbox/receipts/{id}    the stored receipt of purchase `id`, exactly as it was sent
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ._errors import INVALID_PARAMETERS, NOT_FOUND, ApiError
from ._faults import FaultSpec
from ._parsing import describe_validation_error, parse_json_object, read_body
from ._responses import error_response, json_response
from ._state import SandboxState

PREFIX = "/_sandbox"


class ConfigUpdate(BaseModel):
    """Body of `POST /_sandbox/config`; absent fields are unchanged, `"rate_limit": null` removes the limit."""

    model_config = ConfigDict(extra="forbid")

    token_ttl: StrictInt | None = Field(default=None, ge=1)
    clock_offset: StrictInt | StrictFloat | None = None
    rate_limit: StrictInt | StrictFloat | None = Field(default=None, gt=0)
    max_active_tokens: StrictInt | None = Field(default=None, ge=1)
    login_rate_limit: StrictInt | StrictFloat | None = Field(default=None, gt=0)


class SeedRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    users: StrictInt = Field(ge=1, le=10000)


def _ok(payload: dict[str, Any]) -> Response:
    return json_response({"result": "OK", **payload})


async def _parse(request: Request, model: type[BaseModel]) -> Any:
    body = parse_json_object(await read_body(request))
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise ApiError(INVALID_PARAMETERS, describe_validation_error(exc)) from None


def admin_routes(state: SandboxState) -> list[Route]:
    """The routes above, bound to `state`."""

    async def config(request: Request) -> Response:
        if request.method == "POST":
            update: ConfigUpdate = await _parse(request, ConfigUpdate)
            if update.token_ttl is not None:
                state.tokens.ttl = update.token_ttl
            if update.clock_offset is not None:
                state.clock.offset = float(update.clock_offset)
            if "rate_limit" in update.model_fields_set:
                state.limiter.set_rate(None if update.rate_limit is None else float(update.rate_limit))
            if "max_active_tokens" in update.model_fields_set:
                state.tokens.max_active = update.max_active_tokens
            if "login_rate_limit" in update.model_fields_set:
                rate = update.login_rate_limit
                state.login_limiter.set_rate(None if rate is None else float(rate))
        return _ok(state.knobs())

    async def revoke(request: Request) -> Response:
        return _ok({"revoked": state.tokens.revoke_all()})

    async def faults(request: Request) -> Response:
        if request.method == "POST":
            spec: FaultSpec = await _parse(request, FaultSpec)
            return _ok({"fault": state.faults.add(spec).describe()})
        if request.method == "DELETE":
            return _ok({"cleared": state.faults.clear()})
        return _ok({"faults": state.faults.active()})

    async def stats(request: Request) -> Response:
        if request.method == "DELETE":
            state.stats.clear()
        return _ok(state.stats.snapshot())

    async def drift(request: Request) -> Response:
        drifted = state.drift
        if drifted is None:
            return _ok({"seed": None, "unknown_result": None, "applied": []})
        return _ok({"seed": drifted.seed, "unknown_result": drifted.unknown_result, "applied": drifted.applied()})

    async def reset(request: Request) -> Response:
        state.reset()
        return _ok({})

    async def seed(request: Request) -> Response:
        body: SeedRequest = await _parse(request, SeedRequest)
        return _ok({"user_ids": state.add_seed_users(body.users)})

    async def receipt(request: Request) -> Response:
        value = state.store.receipt(request.path_params["purchase_id"])
        if value is None:
            raise ApiError(NOT_FOUND, "no such purchase")
        return _ok({"receipt": value})

    def route(path: str, endpoint: Callable[[Request], Awaitable[Response]], methods: list[str]) -> Route:
        async def guarded(request: Request) -> Response:
            try:
                return await endpoint(request)
            except ApiError as exc:
                return error_response(exc)

        return Route(PREFIX + path, guarded, methods=methods)

    return [
        route("/config", config, ["GET", "POST"]),
        route("/revoke", revoke, ["POST"]),
        route("/faults", faults, ["GET", "POST", "DELETE"]),
        route("/stats", stats, ["GET", "DELETE"]),
        route("/drift", drift, ["GET"]),
        route("/reset", reset, ["POST"]),
        route("/seed", seed, ["POST"]),
        route("/receipts/{purchase_id:int}", receipt, ["GET"]),
    ]
