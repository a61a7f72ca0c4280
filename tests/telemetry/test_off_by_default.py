"""Off by default: without OpenTelemetry nothing of it is imported; with the API and no SDK nothing is built; an SDK
configured globally (even after the client was made) is picked up. Each case in a fresh interpreter, since these
are facts about a whole process (the global providers can be set once)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

PRELUDE = """
import sys
from partner_api.sandbox import SandboxServer
from partner_api import PartnerClient

def calls(client):
    client.get_user(user_id=1)
    client.with_options(max_retries=0).get_user(user_id=2)
    client.with_raw_response.get_user(user_id=1).parse()

def loaded():
    return sorted(name for name in sys.modules if name.split(".")[0] == "opentelemetry")
"""


def run(body: str) -> str:
    script = PRELUDE + textwrap.dedent(body)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_without_opentelemetry_nothing_of_it_is_imported() -> None:
    """As if the `[otel]` extra were not installed: the import fails, and the client never tries."""
    out = run(
        """
        sys.modules["opentelemetry"] = None  # an import of it raises ImportError
        with SandboxServer(admin=True, seed=2) as sandbox, sandbox.client() as client:
            calls(client)
        print([name for name in loaded() if sys.modules[name] is not None])
        """
    )
    assert out.strip() == "[]"


def test_with_the_api_installed_but_unused_the_client_imports_none_of_it() -> None:
    out = run(
        """
        with SandboxServer(admin=True, seed=2) as sandbox, sandbox.client() as client:
            calls(client)
        print(loaded())
        """
    )
    assert out.strip() == "[]"


def test_with_the_api_and_no_sdk_no_span_or_instrument_is_built() -> None:
    out = run(
        """
        import opentelemetry.metrics, opentelemetry.trace  # the application uses the API, configures no SDK
        from partner_api import _otel
        before = set(loaded())
        with SandboxServer(admin=True, seed=2) as sandbox, sandbox.client() as client:
            calls(client)
        print(_otel.configured(), _otel._global, sorted(set(loaded()) - before))
        """
    )
    assert out.strip() == "None None []"


def test_a_global_sdk_configured_after_the_client_was_made_is_picked_up() -> None:
    out = run(
        """
        from opentelemetry import metrics, trace
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import InMemoryMetricReader
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

        with SandboxServer(admin=True, seed=2) as sandbox, sandbox.client() as client:
            client.get_user(user_id=1)  # nothing configured yet
            exporter, reader = InMemorySpanExporter(), InMemoryMetricReader()
            provider = TracerProvider()
            provider.add_span_processor(SimpleSpanProcessor(exporter))
            trace.set_tracer_provider(provider)
            metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
            client.get_user(user_id=2)
        names = sorted(span.name for span in exporter.get_finished_spans())
        calls = [m for rm in reader.get_metrics_data().resource_metrics for sm in rm.scope_metrics
                 for m in sm.metrics if m.name == "partner_api.client.calls"]
        print(names, sum(point.value for point in calls[0].data.data_points))
        """
    )
    assert out.strip() == "['POST /partner/v2/getUser', 'getUser'] 1"


def test_metrics_alone_are_reported_without_a_tracer_provider() -> None:
    out = run(
        """
        from opentelemetry import metrics
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import InMemoryMetricReader

        reader = InMemoryMetricReader()
        metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
        with SandboxServer(admin=True, seed=2) as sandbox, sandbox.client() as client:
            calls(client)
        names = sorted(m.name for rm in reader.get_metrics_data().resource_metrics for sm in rm.scope_metrics
                       for m in sm.metrics)
        print(names)
        """
    )
    assert out.strip() == str(
        ["partner_api.client.calls", "partner_api.client.logins", "partner_api.client.operation.duration"]
    )
