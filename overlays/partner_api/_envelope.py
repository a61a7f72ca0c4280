"""Reading the API's envelope: `{"result": "OK", ...}` or an error code, by `result` first, HTTP status second."""

from __future__ import annotations

import datetime
import email.utils
import json
import time
from http import HTTPStatus
from typing import Any

import httpx

from ._answer_json import json_type
from ._exceptions import PartnerAPIError, RateLimitedError, ServerError
from ._result_codes import MALFORMED_ANSWER, OK, class_for_code, class_for_status
from ._secrets import SecretRegistry

__all__ = ["error_for_answer", "is_not_authorized", "read_answer", "reject_unknown_status"]

_KNOWN_STATUSES = frozenset(s.value for s in HTTPStatus)
_NOT_JSON_BY_STATUS = frozenset({401, 403, 429})
"""Statuses whose class holds even when the body is not JSON (a gateway's refusal); any other is a `ServerError`."""
_MESSAGE_LIMIT = 500
_QUOTE_LIMIT = 200  # characters of a body that is not the API's error answer


def retry_after(response: httpx.Response) -> float | None:
    """The `Retry-After` header in seconds, never negative: delta-seconds, or an HTTP-date (RFC 9110) less the wall
    clock (the one place the client reads it: the date is the server's). None when absent or unreadable."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # an HTTP-date is GMT
            when = when.replace(tzinfo=datetime.timezone.utc)
        seconds = when.timestamp() - time.time()
    return max(0.0, seconds)


def _decode(response: httpx.Response) -> dict[str, Any] | None:
    """The answer's JSON object, or None (not JSON, or JSON of another type)."""
    try:
        data = json.loads(response.content)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _received(response: httpx.Response) -> str:
    """What a body that is not a JSON object is: `not JSON`, or its JSON type."""
    try:
        return json_type(json.loads(response.content))
    except (ValueError, RecursionError):
        return "not JSON"


def read_answer(response: httpx.Response, operation: str, secrets: SecretRegistry) -> dict[str, Any]:
    """The decoded body of a successful answer (`result: OK` with a 2xx status); raises the matching
    `PartnerAPIError` otherwise. The fields are read by the model's `from_dict` (see `_answers`)."""
    data = _decode(response)
    if data is not None and data.get("result") == OK and 200 <= response.status_code < 300:
        return data
    error = error_for_answer(response, operation, secrets, data)
    del data  # a server's raw answer may quote a secret: keep it out of the frame locals crash reporters record
    raise error


def _error_class(status: int, data: dict[str, Any] | None, result: object) -> type[PartnerAPIError]:
    """By `result` first (a code the spec lists), HTTP status second (`class_for_status`)."""
    known = class_for_code(result) if isinstance(result, str) else None
    if known is not None:
        return known
    if data is None:
        return (class_for_status(status) or ServerError) if status in _NOT_JSON_BY_STATUS else ServerError
    if isinstance(result, str) and result and result != OK:  # a code the spec does not list
        return class_for_status(status) or PartnerAPIError
    return class_for_status(status) or (ServerError if status < 400 else PartnerAPIError)


def error_for_answer(
    response: httpx.Response, operation: str, secrets: SecretRegistry, data: dict[str, Any] | None
) -> PartnerAPIError:
    """The exception that describes a non-OK answer (its message redacted, then cut to length)."""
    status = response.status_code
    result = data.get("result") if data is not None else None
    cls = _error_class(status, data, result)
    code = result if isinstance(result, str) and result and result != OK else f"HTTP_{status}"
    # Redact before every cut: a cut secret is still a secret.
    if data is None and 200 <= status < 300:  # the API's own answer: described, never quoted
        code = MALFORMED_ANSWER
        message = f"malformed answer: the answer: expected object, received {_received(response)}"
    elif data is None:
        kind = "unknown status" if status not in _KNOWN_STATUSES else "non-JSON body"
        message = f"{kind}: {secrets.redact(response.content.decode('utf-8', 'replace'))[:_QUOTE_LIMIT]!r}"
    elif result == OK:
        message = f"result OK with HTTP {status}"
    elif 200 <= status < 300 and (not isinstance(result, str) or not result):
        # The API's own answer, which may hold personal data: described, never quoted.
        code = MALFORMED_ANSWER
        received = "nothing" if result in (None, "") else json_type(result)
        message = f"malformed answer: result: expected string, received {received}"
    elif result is None or result == "":
        quote = secrets.redact(json.dumps(data, ensure_ascii=False))[:_QUOTE_LIMIT]
        message = f"answer without a result field: {quote}"
    else:
        error = data.get("error")
        message = error if isinstance(error, str) else ""
    message = secrets.redact(message)[:_MESSAGE_LIMIT] or code
    if cls is RateLimitedError:
        return RateLimitedError(
            message, result=code, status_code=status, operation=operation, retry_after=retry_after(response)
        )
    return cls(message, result=code, status_code=status, operation=operation)


def is_not_authorized(response: httpx.Response) -> bool:
    """True when the API rejected the request's token (HTTP 401, or `NOT_AUTHORIZED` in any status)."""
    if response.status_code == 401:
        return True
    if b"NOT_AUTHORIZED" not in response.content:
        return False
    data = _decode(response)
    return data is not None and data.get("result") == "NOT_AUTHORIZED"


def reject_unknown_status(response: httpx.Response) -> None:
    """Statuses outside the IANA list (proxies' 520-527) are a `ServerError`. The token lifecycle's auth flow
    raises it for every answer, before the generated code (which builds `HTTPStatus(status)`) or anything else
    reads the answer."""
    if response.status_code not in _KNOWN_STATUSES:
        raise ServerError(
            f"unknown HTTP status {response.status_code} (a proxy's answer, not the API's)",
            result=f"HTTP_{response.status_code}", status_code=response.status_code,
            operation=response.request.url.path.rsplit("/", 1)[-1],
        )  # fmt: skip
