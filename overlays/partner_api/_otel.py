"""OpenTelemetry, through `opentelemetry-api` alone (the `[otel]` extra): the client's tracer and metric instruments,
and the cheap check that anything listens.

The application brings the SDK, its exporters and its providers; the client reports to the global providers, or to
the ones given to it (`tracer_provider=` / `meter_provider=`). While no provider is set (the API installed, no SDK
configured) a call costs two module lookups more, nothing else: no span object, no context switch, no propagation.
OpenTelemetry is never imported by this module unless the application has imported it.

What the client reports (docs/pages/guide/production.md): the spans of `_observe`, and these metrics
(OpenTelemetry naming: dotted lower-case names, UCUM units, counts in curly braces):
- `partner_api.client.calls` {call}: operation calls, by `partner_api.operation`, `partner_api.result`, `error.type`;
- `partner_api.client.operation.duration` (s): their duration, same attributes;
- `partner_api.client.retries` {retry}: requests sent again (the retry policy, or a token replay), by operation
  and `partner_api.retry.reason` (the result code of the failed attempt);
- `partner_api.client.logins` {login}: logins sent, by `partner_api.result`;
- `partner_api.client.pauses` {pause}: waits on the fleet, by `partner_api.pause.reason` (`rate_limit`: a 429
  pause; `login_lock`: another client's login).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from opentelemetry.context import Context
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import Span, TracerProvider

__all__ = ["Instruments", "configured", "error_type", "providers_set"]

SCOPE = "partner_api"
"""The instrumentation scope: the tracer's and the meter's name."""
SCHEMA_URL = "https://opentelemetry.io/schemas/1.27.0"
"""The semantic conventions the attributes follow (the stable HTTP client ones)."""
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 30.0, 60.0)
"""Seconds: the HTTP semantic conventions' advice for request durations, and two more for slow reports."""

_modules = sys.modules
_global: Instruments | None = None


def providers_set() -> tuple[bool, bool]:
    """Whether the application has set a global tracer provider, and a global meter provider (see `configured`)."""
    trace_api = _modules.get("opentelemetry.trace")
    metrics_api = _modules.get("opentelemetry.metrics._internal")
    return (
        trace_api is not None and getattr(trace_api, "_TRACER_PROVIDER", True) is not None,
        metrics_api is not None and getattr(metrics_api, "_METER_PROVIDER", True) is not None,
    )


def configured() -> Instruments | None:
    """The instruments of the application's global providers when it has set one (an SDK is configured); None,
    cheaply, when it has not.

    Reads the API's own record of a provider set (`_TRACER_PROVIDER`, `_METER_PROVIDER`): the public
    `get_tracer_provider()` reads `os.environ` on each call and returns a proxy either way, so it cannot tell, and
    the proxies' no-op spans cost a context switch each (about 4 µs a call). Should a later API drop these names,
    the check answers "configured" and the client reports through the public calls: slower, never wrong.
    """
    trace_api = _modules.get("opentelemetry.trace")  # `providers_set`, inline: this runs on every call
    metrics_api = _modules.get("opentelemetry.metrics._internal")
    if (trace_api is None or getattr(trace_api, "_TRACER_PROVIDER", True) is None) and (
        metrics_api is None or getattr(metrics_api, "_METER_PROVIDER", True) is None
    ):
        return None
    global _global
    if _global is None:
        _global = Instruments(None, None)
    return _global


def error_type(error: BaseException) -> str:
    """`error.type`: the exception's class as users name it (`partner_api.ServerError`, `httpx.ReadTimeout`)."""
    cls = type(error)
    module = cls.__module__
    if module.startswith(("partner_api.", "httpx.")):  # exported by the package itself
        module = module.split(".", 1)[0]
    return f"{module}.{cls.__qualname__}"


class Instruments:
    """The tracer, the metric instruments and the context helpers of one pair of providers (None: the global one)."""

    def __init__(self, tracer_provider: TracerProvider | None, meter_provider: MeterProvider | None) -> None:
        from opentelemetry import context, metrics, propagate, trace

        self._trace = trace
        self._context = context
        self._inject = propagate.inject
        self.tracer = trace.get_tracer(SCOPE, __version__, tracer_provider, schema_url=SCHEMA_URL)
        meter = metrics.get_meter(SCOPE, __version__, meter_provider, schema_url=SCHEMA_URL)
        self.calls = meter.create_counter("partner_api.client.calls", "{call}", "Operation calls")
        self.duration = meter.create_histogram(
            "partner_api.client.operation.duration", "s", "Duration of operation calls, retries and waits included",
            explicit_bucket_boundaries_advisory=DURATION_BUCKETS,
        )  # fmt: skip
        self.retries = meter.create_counter("partner_api.client.retries", "{retry}", "Requests sent again")
        self.logins = meter.create_counter("partner_api.client.logins", "{login}", "Logins sent")
        self.pauses = meter.create_counter("partner_api.client.pauses", "{pause}", "Waits on the fleet")
        # The key `suppress_http_instrumentation()` (opentelemetry-instrumentation) sets, which the httpx
        # instrumentation honours: the client's own CLIENT span stands for each request, not a second one.
        self._suppress_http = getattr(context, "_SUPPRESS_HTTP_INSTRUMENTATION_KEY", None)

    # ---- spans ----
    def start(self, name: str, kind: str, attributes: Mapping[str, Any], parent: Context | None = None) -> Span:
        """A started span (`kind`: "INTERNAL" or "CLIENT"), a child of `parent` (default: the current context)."""
        return self.tracer.start_span(name, parent, getattr(self._trace.SpanKind, kind), attributes)

    def enter(self, span: Span) -> tuple[Context, object]:
        """Make `span` current, with the HTTP instrumentations suppressed under it; (its context, the detach token)."""
        ctx = self._trace.set_span_in_context(span)
        if self._suppress_http is not None:
            ctx = self._context.set_value(self._suppress_http, True, ctx)
        return ctx, self._context.attach(ctx)

    def leave(self, token: object) -> None:
        self._context.detach(token)  # type: ignore[arg-type]  # the token `enter` returned

    def propagate(self, span: Span, headers: Any) -> None:
        """W3C `traceparent` (and whatever propagators the application set) for a request sent under `span`."""
        self._inject(headers, self._trace.set_span_in_context(span))

    def fail(self, span: Span, error_type: str) -> None:
        """Mark `span` failed with `error.type` only: an exception's text may quote a username, so it stays out."""
        span.set_attribute("error.type", error_type)
        span.set_status(self._trace.StatusCode.ERROR)
