"""Reading the API's envelope: `{"result": "OK", ...}` or an error code, by `result` first, HTTP status second."""

from __future__ import annotations

import datetime
import email.utils
import json
import time
from http import HTTPStatus
from typing import Any

import httpx
from partner_api_client.spec_facts import RESULT_CODES

from ._exceptions import (
    AlreadyExistsError,
    AuthenticationError,
    InvalidParametersError,
    NotFoundError,
    PartnerAPIError,
    RateLimitedError,
    ServerError,
)
from ._secrets import SecretRegistry

__all__ = ["error_for_answer", "is_not_authorized", "read_answer", "reject_unknown_status"]

_BY_RESULT: dict[str, type[PartnerAPIError]] = {
    "NOT_AUTHORIZED": AuthenticationError,
    "INVALID_PARAMETERS": InvalidParametersError,
    "NOT_FOUND": NotFoundError,
    "USER_ALREADY_EXISTS": AlreadyExistsError,
    "TOO_MANY_REQUESTS": RateLimitedError,
    "INTERNAL_ERROR": ServerError,
}
# The HTTP status of each code is the spec's (`RESULT_CODES`); 500 stays with the 5xx rule below, and a
# proxy's 403 reads as a refused token.
_BY_STATUS: dict[int, type[PartnerAPIError]] = {
    status: _BY_RESULT[code] for code, status in RESULT_CODES.items() if code in _BY_RESULT and status < 500
}
_BY_STATUS[403] = AuthenticationError
_KNOWN_STATUSES = frozenset(s.value for s in HTTPStatus)
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
    try:
        data = json.loads(response.content)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def read_answer(
    response: httpx.Response, operation: str, secrets: SecretRegistry, payload: str | None = None
) -> dict[str, Any]:
    """The decoded body of a successful answer; raises the matching `PartnerAPIError` otherwise.

    `payload` names the field an OK answer of this operation always carries (the spec makes it required);
    an OK answer without it is malformed: a `ServerError`, never a half-empty result.
    """
    data = _decode(response)
    if data is not None and data.get("result") == "OK" and 200 <= response.status_code < 300:
        if payload is not None and data.get(payload) is None:
            raise ServerError(
                f"malformed answer: result OK without {payload!r}, which the spec says an OK answer carries",
                result="MALFORMED_ANSWER", status_code=response.status_code, operation=operation,
            )  # fmt: skip
        return data
    error = error_for_answer(response, operation, secrets, data)
    del data  # a server's raw answer may quote a secret: keep it out of the frame locals crash reporters record
    raise error


def error_for_answer(
    response: httpx.Response, operation: str, secrets: SecretRegistry, data: dict[str, Any] | None
) -> PartnerAPIError:
    """The exception that describes a non-OK answer (its message redacted, then cut to length)."""
    status = response.status_code
    result = data.get("result") if data is not None else None
    cls: type[PartnerAPIError]
    if isinstance(result, str) and result in _BY_RESULT:
        cls = _BY_RESULT[result]
    elif (data is not None and status in _BY_STATUS) or (data is None and status in (401, 403, 429)):
        cls = _BY_STATUS[status]
    else:
        cls = ServerError if status >= 500 or data is None or status < 400 else PartnerAPIError
    code = result if isinstance(result, str) and result and result != "OK" else f"HTTP_{status}"
    # Redact before every cut: a cut secret is still a secret.
    if data is None:
        kind = "unknown status" if status not in _KNOWN_STATUSES else "non-JSON body"
        message = f"{kind}: {secrets.redact(response.content.decode('utf-8', 'replace'))[:_QUOTE_LIMIT]!r}"
    elif result == "OK":
        message = f"result OK with HTTP {status}"
    elif result is None:
        quote = secrets.redact(json.dumps(data, ensure_ascii=False))[:_QUOTE_LIMIT]
        message = f"answer without a result field: {quote}"
    else:
        message = str(data.get("error") or "")
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
