from typing import Literal

ResultCode = Literal[
    "INTERNAL_ERROR",
    "INVALID_PARAMETERS",
    "NOT_AUTHORIZED",
    "NOT_FOUND",
    "OK",
    "TOO_MANY_REQUESTS",
    "USER_ALREADY_EXISTS",
]

RESULT_CODE_VALUES: set[ResultCode] = {
    "INTERNAL_ERROR",
    "INVALID_PARAMETERS",
    "NOT_AUTHORIZED",
    "NOT_FOUND",
    "OK",
    "TOO_MANY_REQUESTS",
    "USER_ALREADY_EXISTS",
}


def check_result_code(value: str) -> ResultCode:
    if value in RESULT_CODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RESULT_CODE_VALUES!r}")
