"""The JSON responses the sandbox sends: compact serialization, answers by the spec's rules, OK and error envelopes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from partner_api_client.spec_facts import ANSWER_RULES
from starlette.responses import Response

from .._spec_types import ModelRules, is_default_value
from ._errors import OK, ApiError


def dump_json(payload: Any) -> bytes:
    """Compact UTF-8 JSON (no NaN/Infinity), as the API sends it."""
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def answer_body(
    payload: Mapping[str, Any], model: str, rules: Mapping[str, ModelRules] = ANSWER_RULES
) -> dict[str, Any]:
    """An answer as the API sends it, by the spec's `ANSWER_RULES` for `model` (a success answer or a nested object).

    Left out: what is not set (None) and, unless the spec requires the field, a scalar equal to its default
    or an empty array (`is_default_value`, the test the client and the request parsing use too). A nested
    object is kept even when empty (the spec reads an absent object as "not set", not as `{}`), and its own
    fields follow the same rule; an opaque object is sent exactly as given, zeros included.
    """
    fields = {rule.json_name: rule for rule in rules[model].fields}
    body: dict[str, Any] = {}
    for key, value in payload.items():
        rule = fields[key]  # a field the spec does not declare is a sandbox bug: fail loudly
        if value is None or (not rule.required and is_default_value(rule.kind, value)):
            continue
        if rule.kind == "model" and rule.model is not None:
            value = answer_body(value, rule.model, rules)
        elif rule.kind == "list" and rule.item_model is not None:
            value = [answer_body(item, rule.item_model, rules) for item in value]
        body[key] = value
    return body


def json_response(payload: Mapping[str, Any], status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON response with the envelope's media type."""
    return Response(dump_json(payload), status_code=status, headers=dict(headers or {}), media_type="application/json")


def ok_response(payload: Mapping[str, Any], model: str) -> Response:
    """`{"result":"OK", ...}` as the answer `model`, defaults omitted (`answer_body`)."""
    return json_response(answer_body({"result": OK, **payload}, model))


def error_body(result: str, message: str) -> dict[str, str]:
    """The error envelope."""
    return {"result": result, "error": message}


def error_response(error: ApiError) -> Response:
    """The error envelope of `error` with its status and headers."""
    return json_response(error_body(error.result, error.message), error.status, error.headers)
