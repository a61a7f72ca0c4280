"""Off by default: without OpenTelemetry nothing of it is imported; with the API and no SDK nothing is built; an SDK
configured globally (even after the client was made) is picked up. Each case in a fresh interpreter, since these
are facts about a whole process (the global providers can be set once)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

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


def run_with(body: str, env: dict[str, str] | None = None, prelude: str = "") -> subprocess.CompletedProcess[str]:
    """Run `body` (indented as you like) after the PRELUDE and `prelude`, in a fresh interpreter."""
    script = PRELUDE + prelude + textwrap.dedent(body)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    return done


def run(body: str, prelude: str = "") -> str:
    return run_with(body, prelude=prelude).stdout


NOT_INSTALLED = """
import importlib.abc

tried = []


class NotInstalled(importlib.abc.MetaPathFinder):
    \"\"\"OpenTelemetry as without the `[otel]` extra: every import of it fails, and is recorded.\"\"\"

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "opentelemetry":
            tried.append(name)
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, NotInstalled())
"""


def test_without_opentelemetry_nothing_of_it_is_imported_or_looked_for() -> None:
    """As if the `[otel]` extra were not installed: both clients, their views and raw answers, with the INFO line
    on, work and never try to import it (a failed import costs a path search on every try)."""
    out = run(
        """
        import asyncio, logging
        from partner_api import AsyncPartnerClient

        logging.basicConfig(level=logging.INFO)

        async def acalls(sandbox):
            async with AsyncPartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key) as aclient:
                await aclient.get_user(user_id=1)
                await aclient.with_options(max_retries=0).get_user(user_id=2)
                (await aclient.with_raw_response.get_user(user_id=1)).parse()

        with SandboxServer(admin=True, seed=2) as sandbox:
            with sandbox.client() as client:
                calls(client)
            asyncio.run(acalls(sandbox))
            print(sandbox.stats().requests["getUser"], tried, loaded())
        """,
        NOT_INSTALLED,
    )
    assert out.strip() == "6 [] []"


def test_the_bulk_command_runs_without_opentelemetry(tmp_path: Path) -> None:
    """`partner-api bulk` without the extra: no OTEL_* variable, the job runs and nothing of OpenTelemetry is looked
    for; an exporter named while the SDK is missing, the job runs and says that it is not traced."""
    rows = tmp_path / "users.csv"
    rows.write_text("user_id\n1\n2\n")
    program = f"""
        import os
        from partner_api.cli import main

        with SandboxServer(admin=True, seed=2) as sandbox:
            os.environ.update(PARTNER_API_BASE_URL=sandbox.base_url, PARTNER_API_PROJECT_ID=sandbox.project_id,
                              PARTNER_API_PRIVATE_KEY=sandbox.private_key)
            status = main(["bulk", "get-user", "--input", {str(rows)!r}, "--journal", {str(tmp_path / "j")!r}])
            print(status, sandbox.stats().requests["getUser"], tried, loaded())
        """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "PARTNER_API_"))}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    done = run_with(program, env, NOT_INSTALLED)
    assert done.stdout.strip() == "0 2 [] []", done.stderr
    (tmp_path / "j").unlink()
    done = run_with(program, {**env, "OTEL_TRACES_EXPORTER": "console"}, NOT_INSTALLED)
    assert done.stdout.strip().startswith("0 2 ['opentelemetry"), done.stderr
    assert "OTEL_TRACES_EXPORTER is set but the OpenTelemetry SDK is not installed: the job is not traced" in (
        done.stderr
    )


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
