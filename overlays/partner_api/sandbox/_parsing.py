"""Request bodies: JSON parsing, the API's default-value rule, and validation with the generated models.

The rule, applied as the real API applies it and before validation: in a request object, a number
field equal to 0 and a string field equal to "" are the same as the field being absent, so
`{"user_id":0}`, `{"username":""}` and `{}` parse identically (`null` is no value in the spec's types and is
refused, as is a body that is absent or not `application/json`). It follows the declared field types
(from the spec, through the generated `REQUEST_RULES`): `{"user_id":""}` is a wrong type, booleans are
values (`false` is kept), unknown fields are rejected whatever their value, and free-form objects (a
purchase `receipt`) are opaque and kept exactly as sent. Nested request objects (`extra`) follow the rule.
As in JSON Schema (and protobuf's JSON mapping), an integer may be written with a zero fraction: `2.0` is 2
and `0.0` is 0 (absent); `1.5` is a wrong type.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import partner_api_sandbox_models as models
from partner_api_client.spec_facts import OPERATIONS, REQUEST_RULES
from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from .._spec_types import REQUEST_DEFAULT_KINDS, ModelRules, is_default_value
from ._errors import INVALID_PARAMETERS, ApiError

_MAX_ERRORS_SHOWN = 3
MAX_BODY_SIZE = 1 << 20
"""Bodies above 1 MiB are refused (INVALID_PARAMETERS with HTTP 413)."""


async def read_body(request: Request) -> bytes:
    """The request body, refusing more than MAX_BODY_SIZE bytes."""
    too_large = ApiError(INVALID_PARAMETERS, f"body larger than {MAX_BODY_SIZE} bytes", status=413)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_SIZE:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_SIZE:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def generated_model(name: str) -> type[BaseModel]:
    """A generated pydantic model by name (an operation's `request_model` or `response_model`)."""
    model = getattr(models, name)
    assert isinstance(model, type)
    assert issubclass(model, BaseModel)
    return model


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object; an empty body is `{}`. Anything else is INVALID_PARAMETERS."""
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise ApiError(INVALID_PARAMETERS, "malformed JSON body") from exc
    if not isinstance(value, dict):
        raise ApiError(INVALID_PARAMETERS, "the body must be a JSON object")
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError) as exc:
        raise ApiError(INVALID_PARAMETERS, "malformed JSON body: invalid unicode") from exc
    return value


def parse_operation_body(raw: bytes, content_type: str, expected: str) -> dict[str, Any]:
    """A v2 request body as the spec requires it: present (`requestBody.required`), of the operation's media type,
    a JSON object (`{}` for an operation without parameters). Anything else is INVALID_PARAMETERS."""
    media_type = content_type.split(";")[0].strip().lower()
    if media_type != expected:
        raise ApiError(INVALID_PARAMETERS, f"the request body must be {expected}, not {media_type or 'absent'}")
    if not raw.strip():
        raise ApiError(INVALID_PARAMETERS, "the request body is required: a JSON object ({} without parameters)")
    return parse_json_object(raw)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def strip_defaults(body: dict[str, Any], rules: ModelRules) -> dict[str, Any]:
    """Remove the fields the default-value rule reads as absent (unknown fields are left for validation)."""
    by_name = {rule.json_name: rule for rule in rules.fields}
    stripped: dict[str, Any] = {}
    for key, value in body.items():
        rule = by_name.get(key)
        if rule is not None:
            if value is None:  # the spec's types have no null: a field is given, or left out
                raise ApiError(INVALID_PARAMETERS, f"{key}: null is not a value (leave the field out)")
            if rule.kind == "int" and type(value) is float and value.is_integer():
                value = int(value)
            if rule.kind in REQUEST_DEFAULT_KINDS and is_default_value(rule.kind, value):
                continue
            if rule.kind == "model" and isinstance(value, dict) and rule.model in REQUEST_RULES:
                value = strip_defaults(value, REQUEST_RULES[rule.model])
        stripped[key] = value
    return stripped


def parse_request(operation: str, body: dict[str, Any]) -> BaseModel:
    """Apply the default-value rule, validate with the generated model, and require an identifier.

    Raises INVALID_PARAMETERS for wrong types, out-of-range values, unknown or missing fields.
    """
    model_name = OPERATIONS[operation].request_model
    rules = REQUEST_RULES[model_name]
    try:
        parsed = generated_model(model_name).model_validate(strip_defaults(body, rules))
    except ValidationError as exc:
        raise ApiError(INVALID_PARAMETERS, describe_validation_error(exc)) from None
    if rules.one_of_required and all(getattr(parsed, name, None) is None for name in rules.one_of_required):
        names = " or ".join(rules.one_of_required)
        raise ApiError(INVALID_PARAMETERS, f'missing identifier: give {names} (0 and "" mean absent)')
    return parsed


def describe_validation_error(exc: ValidationError) -> str:
    """A short message naming the fields, never echoing the values."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False)[:_MAX_ERRORS_SHOWN]:
        where = ".".join(str(part) for part in error["loc"]) or "body"
        if error["type"] == "extra_forbidden":
            parts.append(f"unknown field '{where}'")
        elif error["type"] == "missing":
            parts.append(f"missing required field '{where}'")
        else:
            parts.append(f"{where}: {error['msg']}")
    more = exc.error_count() - _MAX_ERRORS_SHOWN
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def parse_login_form(raw: bytes) -> models.LoginRequest:
    """The `login=...&password=...` form, with "" read as absent; INVALID_PARAMETERS when malformed."""
    try:
        fields = parse_qs(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=16)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiError(INVALID_PARAMETERS, "malformed form body") from exc
    form: dict[str, str] = {}
    for name in ("login", "password"):
        values = [value for value in fields.get(name, []) if not is_default_value("str", value)]
        if len(values) > 1:
            raise ApiError(INVALID_PARAMETERS, f"field '{name}' given more than once")
        if values:
            form[name] = values[0]
    try:
        return models.LoginRequest.model_validate(form)
    except ValidationError as exc:
        raise ApiError(INVALID_PARAMETERS, describe_validation_error(exc)) from None
