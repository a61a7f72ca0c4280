"""The one table of `result` codes: the spec's `ResultCode` (with `x-http-status`) and the error class of each.

Every other table is built from this one: the client's error mapping (`_envelope`), the command line's exit codes
(`cli._exit`), the sandbox's statuses (`sandbox._errors`) and the result-code table of docs/pages/guide/client.md
(a test renders it).
Each error class names its codes in `result_codes` (and, in `http_statuses`, the statuses it stands for when an
answer carries a code the spec does not list). A new code goes into the spec's `ResultCode` and into one class's
`result_codes` (a new class at most); tests/unit/test_result_codes.py fails until both are there.
"""

from __future__ import annotations

from partner_api_client.spec_facts import RESULT_CODES

from ._exceptions import PartnerAPIError

__all__ = ["MALFORMED_ANSWER", "OK", "RESULT_CODES", "by_result", "class_for_code", "class_for_status", "error_classes"]

OK = "OK"
MALFORMED_ANSWER = "MALFORMED_ANSWER"
"""The client's own code for an answer that does not have the spec's shape (a `ServerError`)."""


def error_classes() -> list[type[PartnerAPIError]]:
    """Every subclass of `PartnerAPIError` (depth first, in definition order)."""
    found: list[type[PartnerAPIError]] = []
    pending = list(reversed(PartnerAPIError.__subclasses__()))
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(reversed(cls.__subclasses__()))
    return found


def by_result() -> dict[str, type[PartnerAPIError]]:
    """`result` code -> the class that claims it (`result_codes`); a code claimed twice is an error."""
    table: dict[str, type[PartnerAPIError]] = {}
    for cls in error_classes():
        for code in cls.result_codes:
            if code in table:
                raise TypeError(f"{code} is claimed by both {table[code].__name__} and {cls.__name__}")
            table[code] = cls
    return table


_BY_RESULT = by_result()
_BY_STATUS = {status: cls for cls in error_classes() for status in cls.http_statuses}


def class_for_code(code: str) -> type[PartnerAPIError] | None:
    """The class of a `result` code the spec lists (None for `OK` and for codes nobody claims)."""
    return _BY_RESULT.get(code)


def class_for_status(status: int) -> type[PartnerAPIError] | None:
    """The class an HTTP status stands for (`http_statuses`: 5xx, 429, 401/403, 404), or None."""
    return _BY_STATUS.get(status)
