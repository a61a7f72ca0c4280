"""Exit codes by class of failure, and the one-line error text (docs/pages/guide/cli.md lists them).

The exit code follows the error class, and the class follows the `result` code (`partner_api._result_codes`, from the
spec's `ResultCode` and the classes' `result_codes`): a new code needs nothing here."""

from __future__ import annotations

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
    "AUTHENTICATION", "EXIT_CODES", "INTERRUPTED", "OK", "OTHER", "USAGE", "UsageProblem", "error_line", "error_text",
    "exit_code", "exit_code_of",
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


def error_text(error: BaseException) -> str:
    """The error as one line, in the command line's terms (options, not the library's client settings)."""
    if isinstance(error, DefaultValueError):
        names = ", ".join(_option(field) for field in error.fields)
        return (
            f'{error.operation}: {names}: 0 and "" are the default value, which the Partner API reads as a missing '
            "field: leave the option out or give a real value"
        )
    return " ".join(str(error).split()) or type(error).__name__


def error_line(error: BaseException) -> str:
    """One line for stderr: `partner-api: error: getUser: NOT_FOUND (HTTP 404): no such user`."""
    return f"partner-api: error: {error_text(error)}"
