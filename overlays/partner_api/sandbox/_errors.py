"""Result codes of the API envelope, their HTTP statuses (the spec's `ResultCode`), and the handlers' exception."""

from __future__ import annotations

from collections.abc import Mapping

from partner_api_client.spec_facts import RESULT_CODES

HTTP_STATUS: dict[str, int] = RESULT_CODES
"""The contract's table: `result` -> HTTP status, generated from the spec (`ResultCode` with `x-http-status`)."""


def _code(name: str) -> str:
    """A result code the handlers answer with by name: one the spec lists (else the sandbox does not load)."""
    if name not in HTTP_STATUS:
        raise ImportError(f"the sandbox answers {name}, which the spec's ResultCode does not list")
    return name


OK = _code("OK")
NOT_AUTHORIZED = _code("NOT_AUTHORIZED")
INVALID_PARAMETERS = _code("INVALID_PARAMETERS")
NOT_FOUND = _code("NOT_FOUND")
USER_ALREADY_EXISTS = _code("USER_ALREADY_EXISTS")
TOO_MANY_REQUESTS = _code("TOO_MANY_REQUESTS")
INTERNAL_ERROR = _code("INTERNAL_ERROR")


def result_for_status(status: int) -> str:
    """The `result` code that goes with an HTTP status (used for injected faults and HTTP errors)."""
    for code, code_status in HTTP_STATUS.items():
        if code_status == status and code != OK:
            return code
    return INVALID_PARAMETERS if 400 <= status < 500 else INTERNAL_ERROR


class ApiError(Exception):
    """An error answer: `{"result": result, "error": message}` with the table's status (or `status`)."""

    def __init__(
        self, result: str, message: str, *, status: int | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(f"{result}: {message}")
        self.result = result
        self.message = message
        self.status = HTTP_STATUS.get(result, 500) if status is None else status
        self.headers = dict(headers or {})
