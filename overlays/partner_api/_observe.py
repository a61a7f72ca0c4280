"""What a client tells its watchers: one record per operation call, login and wait on the fleet, turned into the
`partner_api` logger's lines and, when an OpenTelemetry SDK listens (`_otel`), into spans and metrics.

Spans (docs/pages/guide/production.md):
- one INTERNAL span per operation call, named after the operationId (`getUser`), with `partner_api.operation`,
  `partner_api.result` (`OK` or the code), `partner_api.retries`, `partner_api.token.from_store` and, on failure,
  `error.type`;
- under it, one CLIENT span per HTTP attempt (`POST /partner/v2/getUser`) with the stable HTTP client semantic
  conventions: `http.request.method`, `url.template`, `url.full` (no query), `server.address`, `server.port`,
  `http.response.status_code`, `http.request.resend_count` from the second attempt on, `error.type` on failure;
  its context goes out as W3C `traceparent`;
- an INTERNAL `login` span (with the CLIENT span of its request) for each login, and a `partner_api.pause` span for
  each wait on the fleet's login lock or 429 pause.
Never a body, a token, the private key, a username or a query: only the names above, and values the client
chose.

A call is observed only when someone watches (the logger at INFO, or an SDK): otherwise `Observer.call` returns
None and the call takes its path untouched. The record of the call under way is a context variable, so the
token lifecycle's auth flow (where each attempt is sent) and the retry loop add to it without being handed it.
"""

from __future__ import annotations

import contextvars
import logging
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from . import _otel
from ._exceptions import PartnerAPIError, request_id_of
from ._settings import LOGIN_PATH

if TYPE_CHECKING:
    from opentelemetry.context import Context
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import Span, TracerProvider

    from ._tokens import Token

__all__ = ["CallRecord", "Observer", "note_retry", "watched_call"]

logger = logging.getLogger("partner_api")
_INFO = logging.INFO
_CALL: contextvars.ContextVar[CallRecord | None] = contextvars.ContextVar("partner_api_call", default=None)


def watched_call() -> CallRecord | None:
    """The record of the operation call under way in this context, if it is observed."""
    return _CALL.get()


def note_retry(error: PartnerAPIError) -> None:
    """The retry loop sends the call again after `error` (a no-op unless the call is observed)."""
    record = _CALL.get()
    if record is not None:
        record.retried(error.result)


class Observer:
    """Who watches one client (and its views, and its token manager): `call()`, `login()` and `pause()` give the
    record of each, or nothing when nobody watches."""

    def __init__(self, tracer_provider: TracerProvider | None = None, meter_provider: MeterProvider | None = None):
        given = tracer_provider is not None or meter_provider is not None
        self._given = _otel.Instruments(tracer_provider, meter_provider) if given else None
        self._http: dict[str, dict[str, Any]] = {}
        """The HTTP attributes of each URL template's requests (one base URL per client: worked out once)."""

    def instruments(self) -> _otel.Instruments | None:
        """The providers given to the client, else the application's global ones if it configured an SDK."""
        return self._given if self._given is not None else _otel.configured()

    def call(self, operation: str, path: str) -> CallRecord | None:
        """The record of one call of `operation` (POST `path`), or None when nobody watches."""
        otel = self._given if self._given is not None else _otel.configured()
        if otel is None and not logger.isEnabledFor(_INFO):
            return None
        return CallRecord(otel, self._http, operation, path)

    def login(self) -> LoginRecord:
        return LoginRecord(self.instruments(), self._http)

    def pause(self, reason: str) -> PauseRecord:
        """A wait on the fleet: `rate_limit` (a 429 pause) or `login_lock` (another client logs in)."""
        return PauseRecord(self.instruments(), reason)


def _http_attributes(url: httpx.URL, template: str) -> dict[str, Any]:
    """The stable HTTP client attributes of a request to `url` (its query and userinfo left out)."""
    port = url.port or (443 if url.scheme == "https" else 80)
    return {
        "http.request.method": "POST",
        "url.template": template,
        "url.full": str(url.copy_with(query=None, fragment=None, username=None, password=None)),
        "server.address": url.host,
        "server.port": port,
    }


class _Attempts:
    """The HTTP attempts of one record: a CLIENT span per request, ended by its answer or its failure."""

    def __init__(self, otel: _otel.Instruments | None, known: dict[str, dict[str, Any]], path: str) -> None:
        self.otel = otel
        self.known = known
        self.path = path
        self.sent = 0
        self.status: int | None = None
        self.started = 0.0
        self.span: Span | None = None
        self.parent: Context | None = None

    def sending(self, request: httpx.Request) -> None:
        """The request goes out now (its `traceparent` set)."""
        self.end(None)
        self.sent += 1
        self.status = None
        self.started = time.perf_counter()
        if self.otel is not None:
            known = self.known.get(self.path)
            if known is None:
                known = self.known[self.path] = _http_attributes(request.url, self.path)
            attributes = dict(known)
            if self.sent > 1:
                attributes["http.request.resend_count"] = self.sent - 1
            self.span = self.otel.start(f"POST {self.path}", "CLIENT", attributes, self.parent)
            self.otel.propagate(self.span, request.headers)

    def answered(self, response: httpx.Response) -> None:
        self.status = response.status_code
        span, self.span = self.span, None
        if span is not None and self.otel is not None:
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 400:
                self.otel.fail(span, str(response.status_code))
            span.end()

    def end(self, error: BaseException | None) -> None:
        """End an attempt still open: no answer came (`error`, the httpx error if it caused it; None: the request
        was abandoned)."""
        span, self.span = self.span, None
        if span is not None and self.otel is not None:
            if error is not None and isinstance(error.__cause__, httpx.TransportError):
                error = error.__cause__
            self.otel.fail(span, _otel.error_type(error) if error is not None else "_OTHER")
            span.end()


class CallRecord(_Attempts):
    """One operation call: entered around the whole call (retries and waits included)."""

    def __init__(
        self, otel: _otel.Instruments | None, known: dict[str, dict[str, Any]], operation: str, path: str
    ) -> None:
        super().__init__(otel, known, path)
        self.operation = operation
        self.retries = 0
        self.from_store: bool | None = None
        self.request_id: str | None = None
        self._op_span: Span | None = None
        self._detach: object = None
        self._reset: contextvars.Token[CallRecord | None] | None = None

    def __enter__(self) -> CallRecord:
        self.called = time.perf_counter()
        if self.otel is not None:
            self._op_span = self.otel.start(self.operation, "INTERNAL", {"partner_api.operation": self.operation})
            self.parent, self._detach = self.otel.enter(self._op_span)
        self._reset = _CALL.set(self)
        return self

    def sent_with(self, token: Token, request: httpx.Request) -> None:
        """The auth flow sends `request` with `token`."""
        self.from_store = token.from_store
        self.sending(request)

    def answered(self, response: httpx.Response) -> None:
        super().answered(response)
        self.request_id = request_id_of(response)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "partner_api %s attempt %d -> HTTP %d in %.1f ms", self.operation, self.sent, response.status_code,
                (time.perf_counter() - self.started) * 1000,
            )  # fmt: skip

    def retried(self, reason: str) -> None:
        """The call is sent again after an attempt that ended in `reason` (a result code)."""
        self.retries += 1
        if self.otel is not None:
            self.otel.retries.add(1, {"partner_api.operation": self.operation, "partner_api.retry.reason": reason})

    def __exit__(
        self, exc_type: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._reset is not None:
            _CALL.reset(self._reset)
        self.end(error)
        seconds = time.perf_counter() - self.called
        result = "OK" if error is None else error.result if isinstance(error, PartnerAPIError) else "ERROR"
        attributes = {"partner_api.operation": self.operation, "partner_api.result": result}
        if error is not None:
            attributes["error.type"] = _otel.error_type(error)
        if logger.isEnabledFor(_INFO):
            self._log(result, error, seconds)
        otel, span = self.otel, self._op_span
        if otel is None:
            return
        otel.calls.add(1, attributes)
        otel.duration.record(seconds, attributes)
        if span is not None:
            otel.leave(self._detach)
            if span.is_recording():
                ending: dict[str, Any] = {"partner_api.result": result, "partner_api.retries": self.retries}
                if self.from_store is not None:
                    ending["partner_api.token.from_store"] = self.from_store
                span.set_attributes(ending)
                if error is not None:
                    otel.fail(span, attributes["error.type"])
            span.end()

    def _log(self, result: str, error: BaseException | None, seconds: float) -> None:
        status = error.status_code if isinstance(error, PartnerAPIError) else self.status
        request_id = error.request_id if isinstance(error, PartnerAPIError) else self.request_id
        fields = {
            "operation": self.operation, "attempt": self.sent, "status_code": status, "result": result,
            "duration_ms": round(seconds * 1000, 1), "request_id": request_id,
        }  # fmt: skip
        logger.info(
            "partner_api %s -> %s (HTTP %s) after %d attempt%s in %.1f ms%s", self.operation, result,
            status if status is not None else "-", self.sent, "" if self.sent == 1 else "s", seconds * 1000,
            f", request id {request_id}" if request_id else "", extra=fields,
        )  # fmt: skip


class LoginRecord(_Attempts):
    """One login: an INTERNAL `login` span around the CLIENT span of its request; the logins counter."""

    def __init__(self, otel: _otel.Instruments | None, known: dict[str, dict[str, Any]]) -> None:
        super().__init__(otel, known, LOGIN_PATH)
        self._span: Span | None = None
        self._detach: object = None

    def __enter__(self) -> LoginRecord:
        if self.otel is not None:
            self._span = self.otel.start("login", "INTERNAL", {"partner_api.operation": "login"})
            self.parent, self._detach = self.otel.enter(self._span)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.end(error)
        otel, span = self.otel, self._span
        if otel is None:
            return
        result = "OK" if error is None else error.result if isinstance(error, PartnerAPIError) else "ERROR"
        otel.logins.add(1, {"partner_api.result": result})
        if span is not None:
            otel.leave(self._detach)
            span.set_attribute("partner_api.result", result)
            if error is not None:
                otel.fail(span, _otel.error_type(error))
            span.end()


class PauseRecord:
    """One wait on the fleet, from `begin()` (if it comes) to the end of the block; the pauses counter."""

    def __init__(self, otel: _otel.Instruments | None, reason: str) -> None:
        self.otel = otel
        self.reason = reason
        self._span: Span | None = None

    def __enter__(self) -> PauseRecord:
        return self

    def begin(self) -> None:
        """The wait starts (a block may end without waiting: nothing is reported then)."""
        if self.otel is not None and self._span is None:
            attributes = {"partner_api.pause.reason": self.reason}
            self._span = self.otel.start("partner_api.pause", "INTERNAL", attributes)
            self.otel.pauses.add(1, attributes)

    def __exit__(self, *exc_info: object) -> None:
        if self._span is not None:
            self._span.end()
