"""JSON bodies of the API envelope: compact serialization and the success/error responses."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from partner_api_client.spec_facts import is_default_value
from starlette.responses import Response

from ._errors import OK, ApiError


def dump_json(payload: Any) -> bytes:
    """Compact UTF-8 JSON (no NaN/Infinity), as the API sends it."""
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


_KIND_OF = {bool: "bool", int: "int", float: "float", str: "str", list: "list"}


def compact(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Leave out what an answer does not send: None (not set) and defaults (0, "", false, []).

    An object is kept even when empty: the spec reads an absent object as "not set", not as `{}`.
    """
    return {
        key: value
        for key, value in payload.items()
        if value is not None and not is_default_value(_KIND_OF.get(type(value), "any"), value)
    }


def json_response(payload: Mapping[str, Any], status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON response with the envelope's media type."""
    return Response(dump_json(payload), status_code=status, headers=dict(headers or {}), media_type="application/json")


def ok_response(payload: Mapping[str, Any]) -> Response:
    """`{"result":"OK", ...}` with proto3 defaults omitted."""
    return json_response(compact({"result": OK, **payload}))


def error_body(result: str, message: str) -> dict[str, str]:
    """The error envelope."""
    return {"result": result, "error": message}


def error_response(error: ApiError) -> Response:
    """The error envelope of `error` with its status and headers."""
    return json_response(error_body(error.result, error.message), error.status, error.headers)
