"""The OpenTelemetry SDK's in-memory exporters for one test, and the scan of everything they hold for secrets."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from .harness import Harness

OPERATION_ATTRIBUTES = {
    "partner_api.operation", "partner_api.result", "partner_api.retries", "partner_api.token.from_store", "error.type",
}  # fmt: skip
HTTP_ATTRIBUTES = {
    "http.request.method", "url.template", "url.full", "server.address", "server.port", "http.response.status_code",
    "http.request.resend_count", "error.type",
}  # fmt: skip
PAUSE_ATTRIBUTES = {"partner_api.pause.reason"}
LOGIN_ATTRIBUTES = {"partner_api.operation", "partner_api.result", "error.type"}
ALLOWED = OPERATION_ATTRIBUTES | HTTP_ATTRIBUTES | PAUSE_ATTRIBUTES | LOGIN_ATTRIBUTES
"""Every attribute key the client may put on a span: the Production page's list, nothing else."""


class Telemetry:
    """A tracer provider and a meter provider of their own (no global state: xdist-safe, test by test), with the
    in-memory span exporter and metric reader behind them."""

    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = TracerProvider(shutdown_on_exit=False)
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader], shutdown_on_exit=False)

    @property
    def providers(self) -> dict[str, Any]:
        """The client keywords that report here."""
        return {"tracer_provider": self.tracer_provider, "meter_provider": self.meter_provider}

    def shutdown(self) -> None:
        self.tracer_provider.shutdown()
        self.meter_provider.shutdown()

    # ---- spans ----
    @property
    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def named(self, name: str) -> list[ReadableSpan]:
        return [span for span in self.spans if span.name == name]

    def operations(self, operation: str) -> list[ReadableSpan]:
        return [s for s in self.named(operation) if s.kind is SpanKind.INTERNAL]

    def children(self, parent: ReadableSpan, kind: SpanKind | None = None) -> list[ReadableSpan]:
        """The spans directly under `parent`, in the order they started."""
        found = [
            span for span in self.spans
            if span.parent is not None and span.parent.span_id == parent.context.span_id
            and (kind is None or span.kind is kind)
        ]  # fmt: skip
        return sorted(found, key=lambda span: span.start_time or 0)

    def attempts(self, parent: ReadableSpan) -> list[ReadableSpan]:
        """The CLIENT spans of an operation span (its HTTP attempts), in order."""
        return self.children(parent, SpanKind.CLIENT)

    # ---- metrics ----
    def points(self, name: str) -> list[tuple[dict[str, Any], float]]:
        """(attributes, value) of each data point of metric `name`; a histogram's value is its count."""
        data = self.reader.get_metrics_data()
        found: list[tuple[dict[str, Any], float]] = []
        for resource in data.resource_metrics if data is not None else []:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == name:
                        for point in metric.data.data_points:
                            value = getattr(point, "value", None)
                            found.append((dict(point.attributes or {}), value if value is not None else point.count))
        return found

    def total(self, name: str, **attributes: Any) -> float:
        """The sum of metric `name` over the points whose attributes include `attributes` (dots as `__`)."""
        wanted = {key.replace("__", "."): value for key, value in attributes.items()}
        return sum(v for attrs, v in self.points(name) if all(attrs.get(k) == w for k, w in wanted.items()))

    def metric_units(self) -> dict[str, str]:
        data = self.reader.get_metrics_data()
        return {
            metric.name: metric.unit or ""
            for resource in (data.resource_metrics if data is not None else [])
            for scope in resource.scope_metrics
            for metric in scope.metrics
        }


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    else:
        yield str(value)


def span_texts(spans: Iterable[ReadableSpan]) -> Iterator[tuple[str, str, str]]:
    """(span, where, text) for every name, attribute key and value, event name and event attribute of `spans`."""
    for span in spans:
        yield span.name, "name", span.name
        yield span.name, "status", span.status.description or ""
        for key, value in (span.attributes or {}).items():
            yield span.name, "attribute key", key
            for text in _strings(value):
                yield span.name, f"attribute {key}", text
        for event in span.events:
            yield span.name, "event", event.name
            for key, value in (event.attributes or {}).items():
                for text in _strings(value):
                    yield span.name, f"event {event.name} {key}", text


def body_strings(bodies: Iterable[dict[str, Any]]) -> set[str]:
    """Every string value in request bodies (usernames, ...), and each body as JSON text."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for body in bodies:
        walk(body)
        found.add(json.dumps(body))
    return found


def leaks(spans: Iterable[ReadableSpan], forbidden: dict[str, str]) -> list[str]:
    """Where a forbidden value (name -> value) shows in `spans`, an attribute key is not the Production page's, or a URL
    attribute carries a query; empty when clean."""
    found = []
    for span, where, text in span_texts(spans):
        if where == "attribute key" and text not in ALLOWED:
            found.append(f"{span}: undocumented attribute {text!r}")
        if where.startswith("attribute url.") and "?" in text:
            found.append(f"{span}: a query in {where}: {text!r}")
        for name, value in forbidden.items():
            if value and value in text:
                found.append(f"{span}: {where} contains the {name}")
    return found


def assert_no_secrets(telemetry: Telemetry, sandbox: Any, harnesses: Iterable[Harness]) -> None:
    """No private key, token, username, request value or query in any span the clients of `harnesses` reported,
    and no attribute the Production page does not list."""
    forbidden = {"private key": sandbox.private_key}
    for h in harnesses:
        key = h.client._tokens.settings.private_key.get()
        if key != sandbox.private_key:
            forbidden["a wrong private key"] = key
        forbidden.update({f"token {token[:4]}…": token for token in h.wire.tokens})
        bodies = [json.loads(r.content) for r in h.wire.requests if r.url.path.startswith("/partner/v2/")]
        strings = {text for text in body_strings(bodies) if len(text) >= 4 and not text.isdigit()}
        forbidden.update({f"request value {text[:12]!r}": text for text in strings})
    # every username the sandbox knows (the answers' too), from its store (its faults may still be armed)
    users = sandbox.state.store.list_users(after_id=0, limit=1_000_000, license_id=None, enabled=None)
    forbidden.update({f"username {user['username']!r}": user["username"] for user in users})
    assert leaks(telemetry.spans, forbidden) == []
