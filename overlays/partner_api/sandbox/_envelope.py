"""JSON bodies of the API envelope: compact serialization and the success/error responses."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from ._errors import OK, ApiError


def dump_json(payload: Any) -> bytes:
    """Compact UTF-8 JSON (no NaN/Infinity), as the API sends it."""
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def compact(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Drop proto3 defaults from a flat answer: 0, "", false, None and empty arrays/objects."""
    return {key: value for key, value in payload.items() if not _is_default(value)}


def _is_default(value: Any) -> bool:
    if value is None or value is False:
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, str, list, dict)):
        return not value
    return False


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
