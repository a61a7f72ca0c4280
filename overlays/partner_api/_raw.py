"""`RawResponse`: what `client.with_raw_response.<operation>(...)` answers, for any operation."""

from __future__ import annotations

import datetime
from typing import Any, Generic, TypeVar

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

    __slots__ = ("_data", "_model", "_parsed", "http_response")

    def __init__(self, response: httpx.Response, data: dict[str, Any], model: Any) -> None:
        self.http_response = response
        self._data = data
        self._model = model
        self._parsed: T | None = None

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
        """The typed answer, the same the operation's method returns (parsed once)."""
        if self._parsed is None:
            self._parsed = self._model.from_dict(self._data)
        assert self._parsed is not None
        return self._parsed

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] {self.http_response.request.url.path}>"
