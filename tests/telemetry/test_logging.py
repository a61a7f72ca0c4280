"""Logging as operators expect: one INFO line per call (operation, attempts, status, result, duration, request id)
with the same fields in `extra=`, attempt lines at DEBUG, and `PARTNER_API_LOG` for programs without logging."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from partner_api import NotFoundError

from tests.support.harness import MakeHarness

FIELDS = ("operation", "attempt", "status_code", "result", "duration_ms", "request_id")
CALL_LINE = re.compile(
    r"partner_api (\w+) -> (\w+) \(HTTP (\d+|-)\) after (\d+) attempts? in [\d.]+ ms(, request id \w+)?"
)


def call_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "partner_api" and r.levelno == logging.INFO and "->" in r.msg]


async def test_each_call_is_one_info_line_with_structured_fields(
    harness: MakeHarness, sandbox: Any, caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    caplog.set_level(logging.INFO, logger="partner_api")
    h = harness(tracer_provider=None, meter_provider=None)  # logging alone: no OpenTelemetry
    await h.call("get_user", user_id=1)
    sandbox.inject_fault("getUser", status=503)
    await h.call("get_user", user_id=2)
    with pytest.raises(NotFoundError) as caught:
        await h.call("get_user", user_id=999_999)

    records = call_records(caplog)
    assert [CALL_LINE.fullmatch(r.getMessage()) is not None for r in records] == [True] * 3
    fields = [{name: getattr(r, name) for name in FIELDS} for r in records]
    assert [(f["operation"], f["attempt"], f["status_code"], f["result"]) for f in fields] == [
        ("getUser", 1, 200, "OK"),
        ("getUser", 2, 200, "OK"),
        ("getUser", 1, 404, "NOT_FOUND"),
    ]
    assert all(isinstance(f["duration_ms"], float) and f["duration_ms"] > 0 for f in fields)
    assert fields[2]["request_id"] == caught.value.request_id is not None
    assert all(len(f["request_id"]) == 32 for f in fields)
    everything = " ".join(f"{r.getMessage()} {vars(r)!r}" for r in caplog.records)
    for secret in (sandbox.private_key, *h.wire.tokens):
        assert secret not in everything


async def test_at_debug_each_attempt_has_its_line(
    harness: MakeHarness, sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="partner_api")
    h = harness()
    sandbox.inject_fault("getUser", status=503)
    await h.call("get_user", user_id=1)
    attempts = [r.getMessage() for r in caplog.records if " attempt " in r.getMessage()]
    assert [re.sub(r"in [\d.]+ ms", "in _ ms", line) for line in attempts] == [
        "partner_api getUser attempt 1 -> HTTP 503 in _ ms",
        "partner_api getUser attempt 2 -> HTTP 200 in _ ms",
    ]


PROGRAM = """
import logging, sys
from partner_api.sandbox import SandboxServer
{configure}
with SandboxServer(admin=True, seed=2) as sandbox:
    sandbox.inject_fault("getUser", status=503)
    with sandbox.client() as client:
        client.get_user(user_id=1)
        client.get_user(user_id=2)
"""


def run_program(level: str | None, configure: str = "") -> list[str]:
    """The program's stderr lines, run with PARTNER_API_LOG=`level`."""
    env = {k: v for k, v in os.environ.items() if k != "PARTNER_API_LOG"}
    if level is not None:
        env["PARTNER_API_LOG"] = level
    script = textwrap.dedent(PROGRAM).format(configure=configure)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stderr.splitlines()


def test_partner_api_log_info_prints_one_line_per_call_to_stderr() -> None:
    lines = run_program("info")
    calls = [line for line in lines if " INFO partner_api: partner_api getUser -> " in line]
    assert len(calls) == 2
    assert "after 2 attempts" in calls[0] and "after 1 attempt " in calls[1]
    assert any(" WARNING partner_api: partner_api retry 1/2 of getUser" in line for line in lines)
    assert any(" INFO partner_api: partner_api login #1" in line for line in lines)
    assert not [line for line in lines if " DEBUG " in line]


def test_partner_api_log_debug_adds_the_attempts_and_warning_keeps_only_warnings() -> None:
    debug = run_program("debug")
    assert len([line for line in debug if " DEBUG partner_api: partner_api getUser attempt " in line]) == 3
    warning = run_program("WARNING")
    assert [line.split(" ", 2)[2] for line in warning] == [
        "WARNING partner_api: " + line.split("WARNING partner_api: ", 1)[1] for line in warning
    ]
    assert len(warning) == 1 and "retry 1/2 of getUser" in warning[0]
    unset = run_program(None)  # Python's own last resort prints warnings, nothing else
    assert len(unset) == 1 and unset[0].startswith("partner_api retry 1/2 of getUser")


def test_a_program_with_its_own_logging_gets_the_records_through_its_handlers_only() -> None:
    lines = run_program("info", "logging.basicConfig(level=logging.INFO, format='app %(name)s %(message)s')")
    calls = [line for line in lines if "getUser -> " in line]
    assert len(calls) == 2
    assert all(line.startswith("app partner_api partner_api getUser -> ") for line in calls)


def test_an_unknown_partner_api_log_value_is_an_error() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from partner_api import PartnerClient; PartnerClient('http://127.0.0.1:1', 'p', 'k')"],
        capture_output=True, text=True, timeout=60, env={**os.environ, "PARTNER_API_LOG": "verbose"},
        check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "PARTNER_API_LOG='verbose': use one of debug, info, warning" in done.stderr
