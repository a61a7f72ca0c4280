"""Error mapping: an answer (result, HTTP status, body) -> the exception class, its fields and its message.

By `result` first, HTTP status second; non-JSON bodies, unknown codes and statuses outside the IANA list
(proxies' 520-527) included. The end-to-end counterparts (through the sandbox's faults) are in
tests/reliability/test_faults.py.
"""

from __future__ import annotations

import datetime
import pickle
from typing import Any

import httpx
import pytest
import time_machine
from partner_api import (
    AlreadyExistsError,
    APIConnectionError,
    AuthenticationError,
    InvalidParametersError,
    NotFoundError,
    PartnerAPIError,
    RateLimitedError,
    ServerError,
)
from partner_api._envelope import is_not_authorized, read_answer, reject_unknown_status
from partner_api._secrets import SecretRegistry

URL = "https://partner.example.com/partner/v2/getUser"
KEY = "pk-unit-test-private-key"


def answer(status: int, body: Any = None, *, content: bytes | None = None, headers: dict[str, str] | None = None,
           url: str = URL) -> httpx.Response:  # fmt: skip
    """An answer as httpx hands it to the client: a JSON `body`, or raw `content`."""
    request = httpx.Request("POST", url)
    if content is None:
        return httpx.Response(status, json=body, headers=headers, request=request)
    return httpx.Response(status, content=content, headers=headers, request=request)


def error_of(response: httpx.Response, secrets: SecretRegistry | None = None) -> PartnerAPIError:
    with pytest.raises(PartnerAPIError) as caught:
        read_answer(response, "getUser", secrets if secrets is not None else SecretRegistry(KEY))
    return caught.value


def test_ok_answers_are_returned_as_decoded() -> None:
    body = {"result": "OK", "user": {"id": 7}}
    assert read_answer(answer(200, body), "getUser", SecretRegistry(KEY)) == body
    assert read_answer(answer(201, body), "getUser", SecretRegistry(KEY)) == body


# (status, JSON body, class, result, message)
JSON_CASES: list[tuple[int, dict[str, Any], type[PartnerAPIError], str, str]] = [
    # the contract's table
    (401, {"result": "NOT_AUTHORIZED", "error": "expired"}, AuthenticationError, "NOT_AUTHORIZED", "expired"),
    (400, {"result": "INVALID_PARAMETERS", "error": "bad limit"}, InvalidParametersError, "INVALID_PARAMETERS",
     "bad limit"),
    (404, {"result": "NOT_FOUND", "error": "no such user"}, NotFoundError, "NOT_FOUND", "no such user"),
    (409, {"result": "USER_ALREADY_EXISTS", "error": "taken"}, AlreadyExistsError, "USER_ALREADY_EXISTS", "taken"),
    (429, {"result": "TOO_MANY_REQUESTS", "error": "slow down"}, RateLimitedError, "TOO_MANY_REQUESTS", "slow down"),
    (500, {"result": "INTERNAL_ERROR", "error": "oops"}, ServerError, "INTERNAL_ERROR", "oops"),
    # result first, status second
    (200, {"result": "NOT_FOUND", "error": "no such user"}, NotFoundError, "NOT_FOUND", "no such user"),
    (200, {"result": "NOT_AUTHORIZED"}, AuthenticationError, "NOT_AUTHORIZED", "NOT_AUTHORIZED"),
    (500, {"result": "NOT_FOUND", "error": "gone"}, NotFoundError, "NOT_FOUND", "gone"),
    (404, {"result": "INVALID_PARAMETERS", "error": "x"}, InvalidParametersError, "INVALID_PARAMETERS", "x"),
    (200, {"result": "INTERNAL_ERROR", "error": ""}, ServerError, "INTERNAL_ERROR", "INTERNAL_ERROR"),
    # a code the spec does not list is an error, never a success: 5xx, 429, 401/403 and 404 by status, else the base
    # class (HTTP 200 or another 4xx); the code is kept
    (200, {"result": "NEVER_LISTED", "error": "quota"}, PartnerAPIError, "NEVER_LISTED", "quota"),
    (400, {"result": "NEVER_LISTED", "error": "quota"}, PartnerAPIError, "NEVER_LISTED", "quota"),
    (409, {"result": "CONFLICT", "error": "c"}, PartnerAPIError, "CONFLICT", "c"),
    (401, {"result": "TOKEN_GONE", "error": "t"}, AuthenticationError, "TOKEN_GONE", "t"),
    (403, {"result": "FORBIDDEN", "error": "no"}, AuthenticationError, "FORBIDDEN", "no"),
    (404, {"result": "GONE", "error": "gone"}, NotFoundError, "GONE", "gone"),
    (418, {"result": "TEAPOT", "error": "short and stout"}, PartnerAPIError, "TEAPOT", "short and stout"),
    (429, {"result": "SLOW_DOWN"}, RateLimitedError, "SLOW_DOWN", "SLOW_DOWN"),
    (503, {"result": "MAINTENANCE", "error": "later"}, ServerError, "MAINTENANCE", "later"),
    (500, {"result": "MAINTENANCE", "error": ["not", "text"]}, ServerError, "MAINTENANCE", "MAINTENANCE"),
    # a JSON answer without `result`: by the same statuses; quoted unless it is a 2xx (the API's own answer, which is
    # described, never quoted)
    (400, {"detail": "bad"}, PartnerAPIError, "HTTP_400", 'answer without a result field: {"detail": "bad"}'),
    (404, {}, NotFoundError, "HTTP_404", "answer without a result field: {}"),
    (502, {"message": "down"}, ServerError, "HTTP_502", 'answer without a result field: {"message": "down"}'),
    (200, {"user": {"id": 1}}, ServerError, "MALFORMED_ANSWER",
     "malformed answer: result: expected string, received nothing"),
    (200, {"result": 5, "user": {"id": 1}}, ServerError, "MALFORMED_ANSWER",
     "malformed answer: result: expected string, received integer"),
    (400, {"result": 5, "error": "x"}, PartnerAPIError, "HTTP_400", "x"),
    # `result: OK` with an error status is not a success, and not reported as result OK either
    (500, {"result": "OK"}, ServerError, "HTTP_500", "result OK with HTTP 500"),
    (400, {"result": "OK"}, PartnerAPIError, "HTTP_400", "result OK with HTTP 400"),
    (302, {"result": "OK"}, ServerError, "HTTP_302", "result OK with HTTP 302"),
]  # fmt: skip


@pytest.mark.parametrize(("status", "body", "cls", "result", "message"), JSON_CASES)
def test_json_answers(status: int, body: dict[str, Any], cls: type[PartnerAPIError], result: str, message: str) -> None:
    error = error_of(answer(status, body))
    assert type(error) is cls
    assert (error.result, error.status_code, error.operation, error.message) == (result, status, "getUser", message)
    assert str(error) == f"getUser: {result} (HTTP {status}): {message}"


# (status, raw body, class, message)
NON_JSON_CASES: list[tuple[int, bytes, type[PartnerAPIError], str]] = [
    (502, b"", ServerError, "non-JSON body: ''"),
    (503, b"<html>Service Unavailable</html>", ServerError, "non-JSON body: '<html>Service Unavailable</html>'"),
    (504, b"upstream timed out", ServerError, "non-JSON body: 'upstream timed out'"),
    (500, b'{"result": "INTERNAL_ERR', ServerError, 'non-JSON body: \'{"result": "INTERNAL_ERR\''),
    (404, b"<html>Not Found</html>", ServerError, "non-JSON body: '<html>Not Found</html>'"),  # a proxy's page
    (401, b"", AuthenticationError, "non-JSON body: ''"),
    (403, b"<html>Forbidden</html>", AuthenticationError, "non-JSON body: '<html>Forbidden</html>'"),
    (429, b"Too Many Requests", RateLimitedError, "non-JSON body: 'Too Many Requests'"),
    (520, b"<html>origin error</html>", ServerError, "unknown status: '<html>origin error</html>'"),
    (599, b"", ServerError, "unknown status: ''"),
]


@pytest.mark.parametrize(("status", "content", "cls", "message"), NON_JSON_CASES)
def test_non_json_answers(status: int, content: bytes, cls: type[PartnerAPIError], message: str) -> None:
    error = error_of(answer(status, content=content))
    assert type(error) is cls
    assert (error.result, error.status_code, error.message) == (f"HTTP_{status}", status, message)


# A 2xx answer that is not a JSON object: described by its JSON type, never quoted (it is the API's own answer).
MALFORMED_CASES: list[tuple[int, bytes, str]] = [
    (200, b'{"result": "OK", "us', "not JSON"),
    (200, b"[1, 2]", "array"),
    (200, b'"OK"', "string"),
    (201, b"7", "integer"),
    (200, b"null", "null"),
    (200, b"", "not JSON"),
]


@pytest.mark.parametrize(("status", "content", "received"), MALFORMED_CASES)
def test_a_2xx_answer_that_is_not_an_object_is_malformed(status: int, content: bytes, received: str) -> None:
    error = error_of(answer(status, content=content))
    assert type(error) is ServerError
    assert (error.result, error.status_code) == ("MALFORMED_ANSWER", status)
    assert error.message == f"malformed answer: the answer: expected object, received {received}"


def test_non_utf8_body_is_quoted_not_raised() -> None:
    error = error_of(answer(502, content=b"\xff\xfe bad bytes"))
    assert error.message == "non-JSON body: '\ufffd\ufffd bad bytes'"


@pytest.mark.parametrize(
    ("header", "retry_after"),
    [("7", 7.0), ("1.5", 1.5), (" 12 ", 12.0), ("0", 0.0), ("-3", 0.0), ("nan", 0.0),
     # HTTP-dates, the wall clock at 2026-10-21 07:27:53 UTC
     ("Wed, 21 Oct 2026 07:28:00 GMT", 7.0), ("Wed, 21 Oct 2026 07:28:00", 7.0),
     ("Wed, 21 Oct 2026 09:28:00 +0200", 7.0),
     ("Wed, 21 Oct 2026 07:20:00 GMT", 0.0), ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),
     ("Wed, 32 Oct 2026 07:28:00 GMT", None), ("soon", None), ("", None), (None, None)],
)  # fmt: skip
@pytest.mark.parametrize("body", [{"result": "TOO_MANY_REQUESTS"}, None])
def test_retry_after_header(header: str | None, retry_after: float | None, body: dict[str, str] | None) -> None:
    """Seconds as sent, or an HTTP-date less the wall clock; never negative; garbage gives None (the client's own
    backoff applies)."""
    headers = {"Retry-After": header} if header is not None else None
    response = answer(429, body, headers=headers) if body is not None else answer(429, content=b"", headers=headers)
    with time_machine.travel(datetime.datetime(2026, 10, 21, 7, 27, 53, tzinfo=datetime.timezone.utc), tick=False):
        error = error_of(response)
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == retry_after


def test_retry_after_on_an_error_in_a_200() -> None:
    error = error_of(answer(200, {"result": "TOO_MANY_REQUESTS"}, headers={"Retry-After": "4"}))
    assert isinstance(error, RateLimitedError)
    assert (error.status_code, error.retry_after) == (200, 4.0)


def test_messages_are_redacted_then_cut() -> None:
    secrets = SecretRegistry(KEY)
    secrets.add("token-abcdefghijklmnopqrstuvwxyz")
    quoted = error_of(
        answer(400, {"result": "INVALID_PARAMETERS", "error": f"bad {KEY} / token-abcdefghijklmnopqrstuvwxyz"}), secrets
    )
    assert quoted.message == "bad ******** / ********"
    long = error_of(answer(400, {"result": "INVALID_PARAMETERS", "error": "x" * 600}), secrets)
    assert long.message == "x" * 500
    body = error_of(answer(502, content=b"y" * 300), secrets)
    assert body.message == "non-JSON body: '" + "y" * 200 + "'"
    no_result = error_of(answer(400, {"quote": "z" * 300}), secrets)
    assert no_result.message == 'answer without a result field: {"quote": "' + "z" * (200 - len('{"quote": "')) + ""
    assert len(no_result.message) == len("answer without a result field: ") + 200


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (401, None, True),  # any 401, whatever its body
        (401, {"result": "INVALID_PARAMETERS"}, True),
        (200, {"result": "NOT_AUTHORIZED"}, True),
        (403, {"result": "NOT_AUTHORIZED", "error": "revoked"}, True),
        (200, {"result": "NOT_FOUND", "error": "NOT_AUTHORIZED users are not listed"}, False),
        (403, {"result": "FORBIDDEN"}, False),
        (200, {"result": "OK"}, False),
    ],
)
def test_is_not_authorized(status: int, body: dict[str, str] | None, expected: bool) -> None:
    response = answer(status, body) if body is not None else answer(status, content=b"")
    assert is_not_authorized(response) is expected


def test_is_not_authorized_needs_the_json_result() -> None:
    assert is_not_authorized(answer(200, content=b"<p>NOT_AUTHORIZED</p>")) is False


@pytest.mark.parametrize("status", [520, 521, 527, 599, 299, 1000])
def test_unknown_status_raises_server_error(status: int) -> None:
    with pytest.raises(ServerError) as caught:
        reject_unknown_status(answer(status, content=b"<html>"))
    error = caught.value
    assert (error.result, error.status_code, error.operation) == (f"HTTP_{status}", status, "getUser")
    assert error.message == f"unknown HTTP status {status} (a proxy's answer, not the API's)"


@pytest.mark.parametrize("status", [200, 401, 418, 429, 503, 511])
def test_unknown_status_check_lets_known_statuses_through(status: int) -> None:
    assert reject_unknown_status(answer(status, content=b"")) is None


def test_unknown_status_of_a_login_answer_names_the_login() -> None:
    with pytest.raises(ServerError) as caught:
        reject_unknown_status(answer(522, content=b"", url="https://partner.example.com/partner/login"))
    assert (caught.value.result, caught.value.operation) == ("HTTP_522", "login")


@pytest.mark.parametrize(
    ("exc", "request_sent"),
    [
        (httpx.ConnectError("refused"), False),
        (httpx.ConnectTimeout("slow connect"), False),
        (httpx.PoolTimeout("pool full"), False),
        (httpx.ReadTimeout("slow answer"), True),
        (httpx.WriteTimeout("slow upload"), True),
        (httpx.ReadError("reset"), True),
        (httpx.WriteError("broken pipe"), True),
        (httpx.RemoteProtocolError("closed without answer"), True),
    ],
)
def test_connection_errors_know_whether_the_request_may_have_been_sent(
    exc: httpx.TransportError, request_sent: bool
) -> None:
    error = APIConnectionError.from_httpx("createUser", exc, SecretRegistry(KEY).redact)
    assert error.request_sent is request_sent
    assert (error.result, error.status_code, error.operation) == ("CONNECTION_ERROR", None, "createUser")
    assert error.message == f"{type(exc).__name__}: {exc}"
    assert str(error) == f"createUser: CONNECTION_ERROR (no answer): {type(exc).__name__}: {exc}"


def test_connection_error_text_is_redacted() -> None:
    error = APIConnectionError.from_httpx("login", httpx.ConnectError(f"failed for {KEY}"), SecretRegistry(KEY).redact)
    assert error.message == "ConnectError: failed for ********"
    assert APIConnectionError.from_httpx("login", httpx.ReadError(""), str).message == "ReadError: ReadError"


def test_errors_survive_pickling_with_their_fields() -> None:
    limited = RateLimitedError(
        "slow", result="TOO_MANY_REQUESTS", status_code=429, operation="getUser", retry_after=3.0
    )
    copy = pickle.loads(pickle.dumps(limited))
    assert type(copy) is RateLimitedError
    assert (copy.message, copy.result, copy.status_code, copy.operation, copy.retry_after) == (
        "slow", "TOO_MANY_REQUESTS", 429, "getUser", 3.0,
    )  # fmt: skip
    dropped = pickle.loads(pickle.dumps(APIConnectionError("x", operation="createUser", request_sent=True)))
    assert (dropped.request_sent, dropped.result, str(dropped)) == (
        True, "CONNECTION_ERROR", "createUser: CONNECTION_ERROR (no answer): x",
    )  # fmt: skip
