"""Exit codes by class of failure, and the one-line error text in operator terms (docs/pages/guide/cli.md).

The exit code follows the error class, and the class follows the `result` code (`partner_api._result_codes`, from the
spec's `ResultCode` and the classes' `result_codes`): a new code needs nothing here."""

from __future__ import annotations

import os
import re
from typing import Any

from .._exceptions import (
    APIConnectionError,
    AuthenticationError,
    DefaultValueError,
    InvalidParametersError,
    NotFoundError,
    PartnerAPIError,
    RateLimitedError,
    ServerError,
)

__all__ = [
    "AUTHENTICATION", "EXIT_CODES", "INTERRUPTED", "OK", "OTHER", "SERVER", "USAGE", "UsageProblem", "error_line",
    "error_text", "exit_code", "exit_code_of",
]  # fmt: skip

OK = 0
OTHER = 1
USAGE = 2
NOT_FOUND = 3
AUTHENTICATION = 4
INVALID_PARAMETERS = 5
RATE_LIMITED = 6
SERVER = 7
INTERRUPTED = 130


class UsageProblem(Exception):
    """Bad input or configuration found before anything was sent (exit 2)."""


EXIT_CODES: dict[type[BaseException], int] = {
    NotFoundError: NOT_FOUND,
    AuthenticationError: AUTHENTICATION,
    InvalidParametersError: INVALID_PARAMETERS,
    RateLimitedError: RATE_LIMITED,
    ServerError: SERVER,
    APIConnectionError: SERVER,
    PartnerAPIError: OTHER,
}
"""Exit code by error class; a class not listed has its nearest listed base class's code (a new result code takes
its class's, `result_codes.class_for_code`)."""


def exit_code(error: BaseException) -> int:
    """The exit status for an error that ended a command."""
    if isinstance(error, (UsageProblem, TypeError, ValueError)) and not isinstance(error, PartnerAPIError):
        return USAGE  # the client raises TypeError/ValueError (DefaultValueError too) before sending
    return exit_code_of(type(error))


def exit_code_of(cls: type[BaseException]) -> int:
    """The exit code of an error class: its own, else its nearest base class's (`OTHER` for anything else)."""
    return next((EXIT_CODES[base] for base in cls.__mro__ if base in EXIT_CODES), OTHER)


def _option(field: str) -> str:
    top, _, nested = field.partition(".")
    option = "--" + top.rstrip("_").replace("_", "-")
    return f"{nested} in {option}" if nested else option


def error_text(error: BaseException, *, columns: bool = False) -> str:
    """The error as one line, in the command line's terms: options (or, for a bulk row, `columns`), not the
    library's client settings; a connection failure with its URL and reason; a 429 with its Retry-After."""
    if isinstance(error, DefaultValueError):
        names = ", ".join(field if columns else _option(field) for field in error.fields)
        leave_out = "leave the cell empty" if columns else "leave the option out"
        return (
            f'{error.operation}: {names}: 0 and "" are the default value, which the Partner API reads as a missing '
            f"field: {leave_out} or give a real value"
        )
    if isinstance(error, APIConnectionError):
        return f"{error.operation}: {connection_problem(error)}"
    text = " ".join(str(error).split()) or "unexpected error"
    if isinstance(error, RateLimitedError) and error.retry_after is not None:
        text += f" (retry after {error.retry_after:g} s)"
    return text


_ERRNO = re.compile(r"\[Errno -?\d+\]\s*")
_REASONS = {
    "name or service not known": "unknown host name",
    "nodename nor servname provided, or not known": "unknown host name",
    "temporary failure in name resolution": "the host name cannot be looked up now",
}


def connection_problem(error: APIConnectionError) -> str:
    """What went wrong, in words, with the URL: `cannot connect to http://host/partner/login: connection refused`."""
    import httpx

    cause = error.__cause__
    url, timeouts = "the API", {}
    if isinstance(cause, httpx.TransportError):
        try:
            request = cause.request
        except RuntimeError:  # an httpx error raised without its request
            request = None
        if request is not None:
            url = str(request.url.copy_with(username=None, password=None, query=None))
            timeouts = request.extensions.get("timeout", {})
    seconds = _seconds(timeouts, cause)
    hint = " (--timeout SECONDS sets the limit)"
    if isinstance(cause, httpx.ConnectTimeout):
        return f"no connection to {url} within {seconds}{hint}"
    if isinstance(cause, httpx.ReadTimeout):
        return f"no answer from {url} within {seconds}{hint}"
    if isinstance(cause, httpx.WriteTimeout):
        return f"could not send the request to {url} within {seconds}{hint}"
    if isinstance(cause, httpx.PoolTimeout):
        return f"no free connection to {url} within {seconds}{hint}"
    reason = _ERRNO.sub("", _os_reason(cause) or (str(cause) if cause is not None else error.message)).strip()
    reason = reason.rstrip(".")
    reason = _REASONS.get(reason.lower(), reason[:1].lower() + reason[1:]) or "no reason given"
    if isinstance(cause, httpx.ConnectError):
        return f"cannot connect to {url}: {reason}"
    if isinstance(cause, httpx.RemoteProtocolError):
        return f"{url} closed the connection without a complete answer ({reason})"
    return f"the connection to {url} failed: {reason}"


def _os_reason(cause: BaseException | None) -> str | None:
    """The operating system's reason deepest in the chain (asyncio reports "All connection attempts failed" above
    the `ConnectionRefusedError` that says why)."""
    reason = None
    seen = 0
    while cause is not None and seen < 10:
        if isinstance(cause, OSError) and isinstance(cause.errno, int) and cause.errno > 0:
            reason = os.strerror(cause.errno)
        elif isinstance(cause, OSError) and cause.strerror:
            reason = cause.strerror
        cause, seen = cause.__cause__ or cause.__context__, seen + 1
    return reason


def _seconds(timeouts: dict[str, Any], cause: BaseException | None) -> str:
    import httpx

    kinds: dict[type[BaseException] | None, str] = {
        httpx.ConnectTimeout: "connect", httpx.ReadTimeout: "read", httpx.WriteTimeout: "write"
    }  # fmt: skip
    key = kinds.get(type(cause) if cause is not None else None, "pool")
    value = timeouts.get(key)
    return f"{value:g} s" if isinstance(value, (int, float)) else "the time limit"


def error_line(error: BaseException, *, columns: bool = False) -> str:
    """One line for stderr: `partner-api: error: getUser: NOT_FOUND (HTTP 404): no such user`."""
    return f"partner-api: error: {error_text(error, columns=columns)}"
