"""`RawResponse`: what `client.with_raw_response.<operation>(...)` answers, for any operation."""

from __future__ import annotations

import datetime
from typing import Generic, TypeVar

import httpx

from ._exceptions import request_id_of

__all__ = ["RawResponse"]

T = TypeVar("T")


class RawResponse(Generic[T]):
    """The HTTP answer of one operation call (its last attempt, after any retry), read and checked: a `result` other
    than OK raised its `PartnerAPIError` as the client itself does.

    Attributes:
        http_response: the `httpx.Response` itself.
    """

    __slots__ = ("_answer", "http_response")

    def __init__(self, response: httpx.Response, answer: T) -> None:
        self.http_response = response
        self._answer = answer

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def elapsed(self) -> datetime.timedelta:
        """From sending the request to the end of the answer (this attempt's)."""
        return self.http_response.elapsed

    @property
    def request_id(self) -> str | None:
        """The API's id of the request (its `REQUEST_ID_HEADER` answer header), if it sent one."""
        return request_id_of(self.http_response)

    def parse(self) -> T:
        """The typed answer, the same the operation's method returns (read as the client reads answers:
        `strict_answers`)."""
        return self._answer

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] {self.http_response.request.url.path}>"
