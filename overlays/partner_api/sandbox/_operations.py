"""The 17 v2 operations: each takes its validated request model and returns the answer's payload.

Handlers raise `ApiError` for NOT_FOUND / USER_ALREADY_EXISTS / INVALID_PARAMETERS; the app wraps the
payload in the envelope and drops proto3 defaults. Payload dicts use the spec's field names.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import partner_api_sandbox_models as m
from pydantic import BaseModel

from ._errors import INVALID_PARAMETERS, NOT_FOUND, USER_ALREADY_EXISTS, ApiError
from ._store import Row, SandboxStore, UsernameTakenError

DEFAULT_PAGE_SIZE = 100
DEFAULT_AUTH_METHOD = "anonymous"


@dataclass(frozen=True)
class OperationContext:
    """What a handler sees besides its request: the store, the server's time, the raw JSON body."""

    store: SandboxStore
    now: int
    body: dict[str, Any]


Payload = dict[str, Any]
Handler = Callable[[OperationContext, Any], Payload]
_H = TypeVar("_H", bound=Callable[..., Payload])

HANDLERS: dict[str, Handler] = {}
"""operationId -> handler."""


def _operation(name: str) -> Callable[[_H], _H]:
    def register(handler: _H) -> _H:
        HANDLERS[name] = handler
        return handler

    return register


# ---------- payloads ----------
def user_payload(user: Row) -> Payload:
    extra = {"country": user["country"], "language": user["language"]} if user["country"] or user["language"] else None
    return {
        "id": user["id"],
        "username": user["username"],
        "auth_method": user["auth_method"],
        "enabled": bool(user["enabled"]),
        "extra": extra,
        "license_id": user["license_id"],
        "create_time": user["create_time"],
    }


def traffic_payload(user: Row) -> Payload:
    limit, used = int(user["traffic_limit"]), int(user["traffic_used"])
    return {
        "traffic_start": user["traffic_start"],
        "traffic_limit": limit,
        "traffic_used": used,
        "traffic_remaining": max(limit - used, 0) if limit else 0,
        "unlimited": limit == 0,
    }


def purchase_payload(purchase: Row) -> Payload:
    """The receipt is stored but never echoed."""
    return {
        "id": purchase["id"],
        "type": purchase["type"],
        "create_time": purchase["create_time"],
        "check_time": purchase["check_time"],
        "active": bool(purchase["active"]),
    }


def _fields(row: Row, *names: str) -> Payload:
    return {name: row[name] for name in names}


# ---------- helpers ----------
def _user(ctx: OperationContext, request: Any) -> Row:
    """The user named by `user_id` (which wins) or `username`; NOT_FOUND otherwise."""
    user = ctx.store.find_user(request.user_id, request.username)
    if user is None:
        raise ApiError(NOT_FOUND, "no such user")
    return user


def _require_license(ctx: OperationContext, license_id: int | None) -> None:
    if license_id is not None and ctx.store.license(license_id) is None:
        raise ApiError(NOT_FOUND, "no such license")


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"after:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        prefix, _, value = text.partition(":")
        if prefix != "after" or not value.isascii() or not value.isdigit() or int(value) >= 2**63:
            raise ValueError(text)
        return int(value)
    except (ValueError, binascii.Error, UnicodeError):
        raise ApiError(INVALID_PARAMETERS, "invalid cursor: pass the next_cursor of the previous page") from None


# ---------- users ----------
@_operation("getUser")
def get_user(ctx: OperationContext, request: m.GetUserRequest) -> Payload:
    return {"user": user_payload(_user(ctx, request))}


@_operation("createUser")
def create_user(ctx: OperationContext, request: m.CreateUserRequest) -> Payload:
    _require_license(ctx, request.license_id)
    extra = request.extra or m.UserExtraInput()
    try:
        user = ctx.store.create_user(
            username=request.username,
            auth_method=request.auth_method or DEFAULT_AUTH_METHOD,
            license_id=request.license_id or ctx.store.first_license_id(),
            country=extra.country or "",
            language=extra.language or "",
            enabled=True,
            now=ctx.now,
        )
    except UsernameTakenError:
        raise ApiError(USER_ALREADY_EXISTS, "username is taken") from None
    return {"user": user_payload(user)}


@_operation("updateUser")
def update_user(ctx: OperationContext, request: m.UpdateUserRequest) -> Payload:
    user = _user(ctx, request)
    _require_license(ctx, request.license_id)
    changes: dict[str, Any] = {}
    if request.enabled is not None:
        changes["enabled"] = int(request.enabled)
    if request.license_id is not None:
        changes["license_id"] = request.license_id
    if request.extra is not None:
        if request.extra.country is not None:
            changes["country"] = request.extra.country
        if request.extra.language is not None:
            changes["language"] = request.extra.language
    return {"user": user_payload(ctx.store.update_user(user["id"], **changes))}


@_operation("deleteUser")
def delete_user(ctx: OperationContext, request: m.DeleteUserRequest) -> Payload:
    ctx.store.delete_user(_user(ctx, request)["id"])
    return {}


@_operation("listUsers")
def list_users(ctx: OperationContext, request: m.ListUsersRequest) -> Payload:
    limit = request.limit or DEFAULT_PAGE_SIZE
    after_id = decode_cursor(request.cursor) if request.cursor is not None else 0
    rows = ctx.store.list_users(
        after_id=after_id, limit=limit + 1, license_id=request.license_id, enabled=request.enabled
    )
    page = rows[:limit]
    next_cursor = encode_cursor(page[-1]["id"]) if len(rows) > limit else ""
    return {"users": [user_payload(row) for row in page], "next_cursor": next_cursor}


# ---------- traffic ----------
@_operation("getUserTraffic")
def get_user_traffic(ctx: OperationContext, request: m.UserRefRequest) -> Payload:
    return {"traffic": traffic_payload(_user(ctx, request))}


@_operation("setUserTrafficLimit")
def set_user_traffic_limit(ctx: OperationContext, request: m.SetUserTrafficLimitRequest) -> Payload:
    user = ctx.store.update_user(_user(ctx, request)["id"], traffic_limit=request.traffic_limit)
    return {"traffic": traffic_payload(user)}


@_operation("resetUserTraffic")
def reset_user_traffic(ctx: OperationContext, request: m.UserRefRequest) -> Payload:
    user = ctx.store.update_user(_user(ctx, request)["id"], traffic_used=0, traffic_start=ctx.now)
    return {"traffic": traffic_payload(user)}


@_operation("deleteUserTrafficLimit")
def delete_user_traffic_limit(ctx: OperationContext, request: m.UserRefRequest) -> Payload:
    user = ctx.store.update_user(_user(ctx, request)["id"], traffic_limit=0)
    return {"traffic": traffic_payload(user)}


# ---------- devices and sessions ----------
@_operation("listUserDevices")
def list_user_devices(ctx: OperationContext, request: m.UserRefRequest) -> Payload:
    rows = ctx.store.devices(_user(ctx, request)["id"])
    return {"devices": [_fields(row, "id", "name", "platform", "create_time", "access_time") for row in rows]}


@_operation("deleteUserDevice")
def delete_user_device(ctx: OperationContext, request: m.DeleteUserDeviceRequest) -> Payload:
    if not ctx.store.delete_device(_user(ctx, request)["id"], request.device_id):
        raise ApiError(NOT_FOUND, "no such device")
    return {}


@_operation("listUserSessions")
def list_user_sessions(ctx: OperationContext, request: m.ListUserSessionsRequest) -> Payload:
    rows = ctx.store.sessions(_user(ctx, request)["id"], ended_from=request.start_time, started_before=request.end_time)
    names = ("id", "device_id", "server_country", "protocol", "start_time", "end_time", "bytes_in", "bytes_out")
    return {"sessions": [_fields(row, *names) for row in rows]}


# ---------- purchases ----------
@_operation("addUserPurchase")
def add_user_purchase(ctx: OperationContext, request: m.AddUserPurchaseRequest) -> Payload:
    user = _user(ctx, request)
    receipt = ctx.body["receipt"]  # the object exactly as sent, not the model's copy
    purchase = ctx.store.add_purchase(user_id=user["id"], type_=request.type, receipt=receipt, now=ctx.now)
    return {"purchase": purchase_payload(purchase)}


@_operation("listUserPurchases")
def list_user_purchases(ctx: OperationContext, request: m.UserRefRequest) -> Payload:
    return {"purchases": [purchase_payload(row) for row in ctx.store.purchases(_user(ctx, request)["id"])]}


@_operation("deleteUserPurchase")
def delete_user_purchase(ctx: OperationContext, request: m.DeleteUserPurchaseRequest) -> Payload:
    if not ctx.store.delete_purchase(_user(ctx, request)["id"], request.purchase_id):
        raise ApiError(NOT_FOUND, "no such purchase")
    return {}


# ---------- licenses and reports ----------
@_operation("listLicenses")
def list_licenses(ctx: OperationContext, request: m.EmptyRequest) -> Payload:
    return {"licenses": ctx.store.licenses()}


@_operation("getTrafficReport")
def get_traffic_report(ctx: OperationContext, request: m.GetTrafficReportRequest) -> Payload:
    if request.end_time <= request.start_time:
        raise ApiError(INVALID_PARAMETERS, "end_time must be after start_time")
    group_by = request.group_by.value if request.group_by is not None else "day"
    rows = ctx.store.traffic_report(start_time=request.start_time, end_time=request.end_time, group_by=group_by)
    return {"rows": rows}


def handle(operation: str, ctx: OperationContext, request: BaseModel) -> Payload:
    """Run one operation's handler."""
    return HANDLERS[operation](ctx, request)
