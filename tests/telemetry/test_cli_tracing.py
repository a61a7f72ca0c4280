"""The command line's OpenTelemetry set-up from `OTEL_*` variables and its job span, in fresh interpreters (the
global providers can be set once per process)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from tests.telemetry.test_production_page import json_documents

JOB = """
from partner_api.cli._tracing import job_span
from partner_api import PartnerClient
import os
with job_span("bulk getUser", {"partner_api.operation": "getUser"}):
    with PartnerClient(os.environ["BASE_URL"], os.environ["PROJECT_ID"], os.environ["PRIVATE_KEY"]) as client:
        client.get_user(user_id=1)
        client.get_user(user_id=2)
from opentelemetry import trace
print("provider", type(trace.get_tracer_provider()).__name__)
"""


def run(sandbox: Any, **variables: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "PARTNER_API_"))}
    env.update(BASE_URL=sandbox.base_url, PROJECT_ID=sandbox.project_id, PRIVATE_KEY=sandbox.private_key, **variables)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(JOB)], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def test_otel_variables_set_up_the_sdk_and_the_job_span_holds_the_calls(partner_sandbox: Any) -> None:
    partner_sandbox.seed_users(2)
    done = run(
        partner_sandbox, OTEL_TRACES_EXPORTER="console", OTEL_METRICS_EXPORTER="console",
        OTEL_SERVICE_NAME="nightly-import", OTEL_METRIC_EXPORT_INTERVAL="600000",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    documents = json_documents(done.stdout)
    spans = [document for document in documents if "context" in document]
    job = next(span for span in spans if span["name"] == "bulk getUser")
    calls = [span for span in spans if span["name"] == "getUser"]
    assert len(calls) == 2
    assert all(call["parent_id"] == job["context"]["span_id"] for call in calls)
    assert job["resource"]["attributes"]["service.name"] == "nightly-import"
    metrics = {m["name"] for d in documents for r in d.get("resource_metrics", []) for s in r["scope_metrics"]
               for m in s["metrics"]}  # fmt: skip
    assert "partner_api.client.calls" in metrics  # flushed when the job ended
    assert "provider TracerProvider" in done.stdout


def test_without_an_exporter_named_or_with_the_sdk_disabled_nothing_is_set_up(partner_sandbox: Any) -> None:
    partner_sandbox.seed_users(2)
    for variables in (
        {},
        {"OTEL_TRACES_EXPORTER": "none"},
        {"OTEL_TRACES_EXPORTER": "console", "OTEL_SDK_DISABLED": "true"},
    ):
        done = run(partner_sandbox, **variables)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "provider ProxyTracerProvider", variables


def test_an_exporter_that_is_not_installed_is_named_in_the_error(partner_sandbox: Any) -> None:
    done = run(partner_sandbox, OTEL_TRACES_EXPORTER="console,zipkin_json")
    assert done.returncode == 1
    assert "OTEL_TRACES_EXPORTER=console,zipkin_json: no exporter named zipkin_json is installed" in done.stderr


def test_partner_api_bulk_puts_one_span_around_the_job(partner_sandbox: Any, tmp_path: Path) -> None:
    """The real executable, as an operator runs it with the SDK's console exporter."""
    partner_sandbox.seed_users(3)
    rows = tmp_path / "users.csv"
    rows.write_text("user_id\n1\n2\n3\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "PARTNER_API_"))}
    env.update(
        HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_CACHE_HOME=str(tmp_path / "cache"),
        PARTNER_API_BASE_URL=partner_sandbox.base_url, PARTNER_API_PROJECT_ID=partner_sandbox.project_id,
        PARTNER_API_PRIVATE_KEY=partner_sandbox.private_key, OTEL_TRACES_EXPORTER="console",
        OTEL_SERVICE_NAME="nightly-import",
    )  # fmt: skip
    done = subprocess.run(
        [str(Path(sys.executable).with_name("partner-api")), "bulk", "get-user", "--input", str(rows)],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    spans = [document for document in json_documents(done.stdout) if "context" in document]
    job = [span for span in spans if span["name"] == "bulk getUser"]
    assert len(job) == 1
    assert job[0]["resource"]["attributes"]["service.name"] == "nightly-import"
    calls = [span for span in spans if span["name"] == "getUser"]
    assert len(calls) == 3
    assert {call["parent_id"] for call in calls} == {job[0]["context"]["span_id"]}
    assert {call["context"]["trace_id"] for call in calls} == {job[0]["context"]["trace_id"]}
    assert partner_sandbox.private_key not in done.stdout + done.stderr
