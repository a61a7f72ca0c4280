"""OpenTelemetry for a command-line job: the SDK set up from the standard `OTEL_*` variables (when it is installed
and the environment names an exporter), and one span around the whole job, the client's spans under it.

Hand-written on the SDK's public classes rather than its configurator (`opentelemetry.sdk._configuration`, private
and changed often): the variables the SDK's own classes read (`OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`,
`OTEL_TRACES_SAMPLER`, `OTEL_BSP_*`, `OTEL_METRIC_EXPORT_INTERVAL`, `OTEL_EXPORTER_OTLP_*`) apply as they do
anywhere; the exporters are the ones `OTEL_TRACES_EXPORTER` / `OTEL_METRICS_EXPORTER` name (`console`, or `otlp`
with `opentelemetry-exporter-otlp`), found through the SDK's entry points. Unset (or `none`), nothing is set up:
an unasked OTLP exporter would try to reach a collector. `OTEL_SDK_DISABLED=true` turns it all off.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from .._otel import providers_set

__all__ = ["job_span"]


_EXPORTER_GROUPS = {
    "OTEL_TRACES_EXPORTER": "opentelemetry_traces_exporter",
    "OTEL_METRICS_EXPORTER": "opentelemetry_metrics_exporter",
}
"""The variables naming exporters, and the entry-point group the SDK registers each kind under."""


def _named(variable: str) -> list[str]:
    names = [name.strip() for name in os.environ.get(variable, "").split(",") if name.strip()]
    return [] if names == ["none"] else names


def _exporters(variable: str, names: list[str]) -> list[Any]:
    if not names:
        return []
    from importlib.metadata import entry_points

    found = {entry.name: entry for entry in entry_points(group=_EXPORTER_GROUPS[variable])}
    missing = [name for name in names if name not in found]
    if missing:
        raise RuntimeError(f"{variable}={','.join(names)}: no exporter named {', '.join(missing)} is installed")
    return [found[name].load()() for name in names]


def sdk_from_env() -> Callable[[], None] | None:
    """Set the global providers from the `OTEL_*` variables, unless the SDK is missing, disabled, not asked for or
    already set up by the program; the function that flushes and stops them, or None when nothing was set up.
    Nothing of OpenTelemetry is imported unless an exporter is named (the job's start-up stays as it was)."""
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    asked = {variable: _named(variable) for variable in _EXPORTER_GROUPS}
    if not any(asked.values()):
        return None
    try:
        from opentelemetry import metrics, trace
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:  # asked for, but not there: say so rather than drop it silently
        named = " and ".join(variable for variable, names in asked.items() if names)
        print(
            f"partner-api: {named} {'are' if ' and ' in named else 'is'} set but the OpenTelemetry SDK is not "
            "installed: the job is not traced (pip install opentelemetry-sdk)",
            file=sys.stderr,
        )
        return None
    tracing, metering = providers_set()
    spans = _exporters("OTEL_TRACES_EXPORTER", asked["OTEL_TRACES_EXPORTER"])
    readings = _exporters("OTEL_METRICS_EXPORTER", asked["OTEL_METRICS_EXPORTER"])
    stops: list[Callable[[], object]] = []
    resource = Resource.create()
    if spans and not tracing:
        tracer_provider = TracerProvider(resource=resource)
        for exporter in spans:
            tracer_provider.add_span_processor(BatchSpanProcessor(exporter))
        trace.set_tracer_provider(tracer_provider)
        stops.append(tracer_provider.shutdown)
    if readings and not metering:
        meter_provider = MeterProvider(resource=resource, metric_readers=[
            PeriodicExportingMetricReader(exporter) for exporter in readings
        ])  # fmt: skip
        metrics.set_meter_provider(meter_provider)
        stops.append(meter_provider.shutdown)
    if not stops:
        return None

    def stop() -> None:
        for shutdown in stops:
            shutdown()

    return stop


@contextmanager
def job_span(name: str, attributes: Mapping[str, Any]) -> Iterator[None]:
    """One INTERNAL span `name` around the job when a tracer provider is set (by the program's `OTEL_*` variables
    through `sdk_from_env`, or already); the SDK set up here is flushed when the job ends."""
    stop = sdk_from_env()
    if stop is None and not providers_set()[0]:  # nothing listens: no import, no no-op span
        yield
        return
    from opentelemetry import trace

    try:
        with trace.get_tracer("partner_api.cli").start_as_current_span(name, attributes=attributes):
            yield
    finally:
        if stop is not None:
            stop()
