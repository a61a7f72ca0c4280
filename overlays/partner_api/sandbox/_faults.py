"""Injected faults (what to do instead of, or before, answering) and the rate limiter.

A fault targets one operation (`getUser`, `login`, ...) or every API operation (`*`), and fires for the
next `count` matching requests (default 1), or with a `probability` per request (for `count` requests
at most, unlimited when `count` is not given). `after` lets that many matching requests through first.
Effects, in order: `latency` (seconds of delay, once the request is read), then one of: `drop` (close
the connection without any response), `reset` (run the operation, send the headers and half of the
body, then reset the connection), or a canned response: `status` with `body` "json" (an error envelope whose
`result` is `result` or the status's code), "empty", "html", or "malformed" (truncated JSON), and a
`Retry-After` header when `retry_after` is given (status 429 defaults it to 1), or `answer`: that JSON value as the
body, as given (status 200 unless `status` says otherwise), to try a client on answers the spec does not describe.
A fault with only `latency` delays the request, which then proceeds normally.
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from partner_api_client.api import OPERATIONS
from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictBool, StrictInt, model_validator

from ._errors import result_for_status
from ._responses import dump_json, error_body

LOGIN = "login"
ANY_OPERATION = "*"
API_OPERATIONS = frozenset({LOGIN, *OPERATIONS})

BodyKind = Literal["json", "empty", "html", "malformed"]


class FaultSpec(BaseModel):
    """One fault, as posted to `POST /_sandbox/faults` (validated)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    operation: str = ANY_OPERATION
    status: StrictInt | None = Field(default=None, ge=200, le=599)
    body: BodyKind | None = None
    result: str | None = Field(default=None, min_length=1, max_length=64)
    answer: JsonValue | None = None
    """A JSON body served as given (`null` cannot be served this way: use `body="json"` with a 200 instead)."""
    retry_after: StrictInt | None = Field(default=None, ge=0, le=86400)
    latency: float | None = Field(default=None, ge=0, le=300)
    drop: StrictBool = False
    reset: StrictBool = False
    count: StrictInt | None = Field(default=None, ge=1)
    probability: float | None = Field(default=None, gt=0, le=1)
    after: StrictInt = Field(default=0, ge=0)
    seed: StrictInt | None = None
    """Seed of the probability draws (default: the sandbox's `seed`)."""

    @model_validator(mode="after")
    def _check(self) -> FaultSpec:
        if self.operation != ANY_OPERATION and self.operation not in API_OPERATIONS:
            raise ValueError(f"unknown operation {self.operation!r}: use an operationId, 'login' or '*'")
        if self.drop + self.reset + self.responds > 1:
            raise ValueError("choose one of drop, reset, or a response (status/body/result)")
        if not (self.drop or self.reset or self.responds or self.latency):
            raise ValueError("a fault needs an effect: latency, drop, reset, status, body or result")
        if self.retry_after is not None and not self.responds:
            raise ValueError("retry_after goes with a response (status)")
        if self.answer is not None and (self.body is not None or self.result is not None):
            raise ValueError("answer is the whole body: it goes without body and result")
        return self

    @property
    def responds(self) -> bool:
        return self.status is not None or self.body is not None or self.result is not None or self.answer is not None

    def response(self) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """Status, headers and body of the canned response."""
        status = self.status if self.status is not None else 200
        kind: BodyKind = self.body or "json"
        headers: list[tuple[bytes, bytes]] = []
        retry_after = self.retry_after if self.retry_after is not None else (1 if status == 429 else None)
        if retry_after is not None:
            headers.append((b"retry-after", str(retry_after).encode()))
        if self.answer is not None:
            body = dump_json(self.answer)
            headers.append((b"content-type", b"application/json"))
        elif kind == "json":
            result = self.result or result_for_status(status)
            body = dump_json(error_body(result, f"injected fault ({status})"))
            headers.append((b"content-type", b"application/json"))
        elif kind == "malformed":
            body = b'{"result":"OK","user":{"id":1,"username":"trunc'
            headers.append((b"content-type", b"application/json"))
        elif kind == "html":
            body = f"<html><head><title>{status}</title></head><body><h1>Error {status}</h1></body></html>".encode()
            headers.append((b"content-type", b"text/html; charset=utf-8"))
        else:
            body = b""
        headers.append((b"content-length", str(len(body)).encode()))
        return status, headers, body


@dataclass
class ActiveFault:
    """A registered fault and what is left of it."""

    id: int
    spec: FaultSpec
    rng: random.Random
    remaining: int | None
    skip: int
    served: int = 0

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            **self.spec.model_dump(exclude_defaults=True),
            "remaining": self.remaining,
            "served": self.served,
        }


@dataclass
class FaultBook:
    """The registered faults, consulted once per API request."""

    seed: int = 0
    _faults: list[ActiveFault] = field(default_factory=list)
    _next_id: int = 1
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, spec: FaultSpec) -> ActiveFault:
        remaining = spec.count if spec.count is not None else (None if spec.probability is not None else 1)
        seed = spec.seed if spec.seed is not None else self.seed
        with self._lock:
            fault = ActiveFault(self._next_id, spec, random.Random(seed), remaining, spec.after)  # noqa: S311
            self._next_id += 1
            self._faults.append(fault)
        return fault

    def take(self, operation: str) -> FaultSpec | None:
        """The fault to serve for this request (consuming one use of it), or None."""
        with self._lock:
            for fault in self._faults:
                if fault.spec.operation not in (ANY_OPERATION, operation):
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                if fault.spec.probability is not None and fault.rng.random() >= fault.spec.probability:
                    continue
                fault.served += 1
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                return fault.spec
        return None

    def active(self) -> list[dict[str, Any]]:
        with self._lock:
            return [fault.describe() for fault in self._faults]

    def clear(self) -> int:
        with self._lock:
            cleared = len(self._faults)
            self._faults.clear()
        return cleared


class RateLimiter:
    """Token bucket: `rate` requests per second, bursts up to max(1, rate); None means no limit."""

    def __init__(self, rate: float | None) -> None:
        self._lock = threading.Lock()
        self.set_rate(rate)

    @property
    def rate(self) -> float | None:
        return self._rate

    def set_rate(self, rate: float | None) -> None:
        with self._lock:
            self._rate = rate
            self._capacity = max(1.0, rate or 1.0)
            self._tokens = self._capacity
            self._stamp = time.monotonic()

    def acquire(self) -> int | None:
        """None when the request may proceed; otherwise the Retry-After (whole seconds, >= 1)."""
        with self._lock:
            if self._rate is None:
                return None
            now = time.monotonic()
            self._tokens = min(self._capacity, self._tokens + (now - self._stamp) * self._rate)
            self._stamp = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return None
            return max(1, math.ceil((1.0 - self._tokens) / self._rate))
