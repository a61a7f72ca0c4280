"""Exceptions raised by the Partner API client.

`PartnerAPIError` and its subclasses describe an answer (or the absence of one) from the API;
`DefaultValueError` and the built-in `TypeError`/`ValueError` describe bad input, raised before anything is sent.
Exception text never contains the private key or an access token (see `_secrets.redact`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:  # httpx is imported where an httpx error is described: `import partner_api` (the pytest
    import httpx  # plugin's entry point loads it in every pytest run) stays without it

__all__ = [
    "APIConnectionError",
    "AlreadyExistsError",
    "AuthenticationError",
    "DefaultValueError",
    "DefaultValueWarning",
    "InvalidParametersError",
    "NotFoundError",
    "PartnerAPIError",
    "RateLimitedError",
    "ServerError",
]


class PartnerAPIError(Exception):
    """The API did not answer `result: OK`.

    Attributes:
        result: the API's `result` code (`NOT_FOUND`, ...), or a client-side code such as `HTTP_502` or
            `MALFORMED_ANSWER`.
        message: the API's human-readable `error` text, or a description of what went wrong.
        status_code: the HTTP status, or None when no answer arrived.
        operation: the operationId (`getUser`, `login`, ...).

    Class attributes (the one place that ties the spec's `ResultCode` values to the classes; `_result_codes`
    builds every table from them and the spec):
        result_codes: the spec's `result` codes this class stands for.
        http_statuses: the HTTP statuses whose answer, with a `result` code the spec does not list, is this class.
    """

    result_codes: ClassVar[frozenset[str]] = frozenset()
    http_statuses: ClassVar[frozenset[int]] = frozenset()

    def __init__(self, message: str, *, result: str, status_code: int | None, operation: str) -> None:
        super().__init__(message)
        self.message = message
        self.result = result
        self.status_code = status_code
        self.operation = operation

    def __str__(self) -> str:
        status = f"HTTP {self.status_code}" if self.status_code is not None else "no answer"
        return f"{self.operation}: {self.result} ({status}): {self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.message, dict(self.__dict__)))


def _rebuild(cls: type[PartnerAPIError], message: str, state: dict[str, object]) -> PartnerAPIError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class AuthenticationError(PartnerAPIError):
    """`NOT_AUTHORIZED`: wrong project id or private key, or a token the API keeps rejecting."""

    result_codes = frozenset({"NOT_AUTHORIZED"})
    http_statuses = frozenset({401, 403})


class InvalidParametersError(PartnerAPIError):
    """`INVALID_PARAMETERS`: the API rejected the request's parameters."""

    result_codes = frozenset({"INVALID_PARAMETERS"})


class NotFoundError(PartnerAPIError):
    """`NOT_FOUND`: no such user, device, purchase or license."""

    result_codes = frozenset({"NOT_FOUND"})
    http_statuses = frozenset({404})


class AlreadyExistsError(PartnerAPIError):
    """`USER_ALREADY_EXISTS`: the username is taken."""

    result_codes = frozenset({"USER_ALREADY_EXISTS"})


class RateLimitedError(PartnerAPIError):
    """`TOO_MANY_REQUESTS`; `retry_after` is the server's `Retry-After` in seconds, if it sent one."""

    result_codes = frozenset({"TOO_MANY_REQUESTS"})
    http_statuses = frozenset({429})

    def __init__(
        self, message: str, *, result: str, status_code: int | None, operation: str, retry_after: float | None
    ) -> None:
        super().__init__(message, result=result, status_code=status_code, operation=operation)
        self.retry_after = retry_after


class ServerError(PartnerAPIError):
    """`INTERNAL_ERROR`, any 5xx (including proxies' 520-527), or an answer that is not the API's JSON.

    `result == "MALFORMED_ANSWER"`: the answer is not what the spec says (a field of another JSON type, a required
    field missing, not a JSON object); the message names the field's path and the two JSON types, never a value.
    """

    result_codes = frozenset({"INTERNAL_ERROR"})
    http_statuses = frozenset(range(500, 600))


class APIConnectionError(PartnerAPIError):
    """No usable answer: connection refused or dropped, or a timeout. The httpx error is `__cause__`.

    `request_sent` is False only when the request provably never reached the server (connection refused,
    connect or pool timeout); only then is a mutation retried.
    """

    def __init__(self, message: str, *, operation: str, request_sent: bool) -> None:
        super().__init__(message, result="CONNECTION_ERROR", status_code=None, operation=operation)
        self.request_sent = request_sent

    @classmethod
    def from_httpx(cls, operation: str, exc: httpx.TransportError, redact: Callable[[str], str]) -> APIConnectionError:
        """Describe an httpx transport failure; raise it `from exc` so the httpx error stays the cause."""
        import httpx

        never_sent = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
        message = redact(str(exc)) or type(exc).__name__
        return cls(f"{type(exc).__name__}: {message}", operation=operation,
                   request_sent=not isinstance(exc, never_sent))  # fmt: skip


class DefaultValueError(ValueError):
    """An argument equals its type's default (0 or ""), which the API reads as "field missing".

    Raised before anything is sent, when the client's `default_values` policy is `"error"` (the default),
    and always for a required field. `fields` names the offending arguments (dotted paths for nested ones).
    """

    def __init__(self, operation: str, fields: list[str]) -> None:
        self.operation = operation
        self.fields = fields
        names = ", ".join(fields)
        super().__init__(
            f'{operation}: {names} equal{"s" if len(fields) == 1 else ""} the default value (0 or ""), which the '
            f"Partner API reads as a missing field, so it would be ignored. Leave the argument out, pass a real "
            f"value, or create the client with default_values='strip' (or 'warn') to drop such arguments."
        )


class DefaultValueWarning(UserWarning):
    """A default-valued argument was dropped from the request (`default_values="warn"`)."""
