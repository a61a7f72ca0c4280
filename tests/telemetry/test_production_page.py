"""The examples of the Production page (docs/pages/guide/production.md) run as written against the sandbox: the
per-call options, and the complete OpenTelemetry program that exports spans and metrics to the console (what they
print is checked here; tests/pipeline/test_doc_examples.py only runs them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from tests.support.doc_examples import PAGES, code_blocks

PAGE = PAGES / "guide" / "production.md"


def production_examples() -> list[str]:
    return [block.code for block in code_blocks("python", [PAGE])]


def run(example: str, sandbox: Any) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PARTNER_API_", "OTEL_"))},
        "PARTNER_API_BASE_URL": sandbox.base_url,
        "PARTNER_API_PROJECT_ID": sandbox.project_id,
        "PARTNER_API_PRIVATE_KEY": sandbox.private_key,
    }
    done = subprocess.run(
        [sys.executable, "-c", example], capture_output=True, text=True, timeout=120, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    return done


def json_documents(text: str) -> list[dict[str, Any]]:
    """The JSON objects the console exporters print one after another."""
    decoder, documents, at = json.JSONDecoder(), [], 0
    while True:
        start = text.find("{", at)
        if start < 0:
            return documents
        document, at = decoder.raw_decode(text, start)
        documents.append(document)


def test_the_per_call_options_example_runs(partner_sandbox: Any) -> None:
    partner_sandbox.seed_users(2)
    options = next(text for text in production_examples() if "with_options" in text and "Console" not in text)
    done = run(options, partner_sandbox)
    status, elapsed, request_id, username = done.stdout.split()
    assert status == "200" and float(elapsed) > 0 and len(request_id) == 32 and username


def test_the_opentelemetry_example_exports_spans_and_metrics_to_the_console(partner_sandbox: Any) -> None:
    partner_sandbox.seed_users(2)
    program = next(example for example in production_examples() if "ConsoleSpanExporter" in example)
    done = run(program, partner_sandbox)
    documents = json_documents(done.stdout)
    spans = {document["name"]: document for document in documents if "context" in document}
    assert {"nightly sync", "getUser", "listLicenses", "login", "POST /partner/v2/getUser"} <= set(spans)
    assert spans["getUser"]["parent_id"] == spans["nightly sync"]["context"]["span_id"]
    assert spans["getUser"]["attributes"]["partner_api.result"] == "OK"
    assert spans["POST /partner/v2/getUser"]["kind"] == "SpanKind.CLIENT"
    assert spans["getUser"]["resource"]["attributes"]["service.name"] == "billing-sync"
    names = {
        metric["name"]
        for document in documents
        for resource in document.get("resource_metrics", [])
        for scope in resource["scope_metrics"]
        for metric in scope["metrics"]
    }
    assert {"partner_api.client.calls", "partner_api.client.operation.duration", "partner_api.client.logins"} <= names
    assert partner_sandbox.private_key not in done.stdout + done.stderr
