"""`partner-api check-spec` (the real executable) and `partner_api.check_spec` against the sandbox, with and without
`--drift SEED`: no finding on the spec's own answers; on drifted ones exactly the deviations the sandbox sent (kind,
operation, JSONPath), never a value; the lenient client reads every read operation of a drifted sandbox."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from partner_api import PartnerClient, ServerError, check_spec
from partner_api.sandbox import SandboxServer
from partner_api_client.spec_facts import OPERATIONS

from tests.cli._support import cli_env, run

SEEDS = [1, 2, 3, 4, 5, 6]
READS = sorted(name for name, operation in OPERATIONS.items() if operation.safe_to_retry)
KEYS = {"kind", "operation", "path", "expected", "received"}
KINDS = {"unknown-field", "missing-field", "type-mismatch", "null", "unknown-result", "status-mismatch", "not-json"}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture(scope="module", params=SEEDS, ids=[f"drift-{seed}" for seed in SEEDS])
def drifted(request: pytest.FixtureRequest) -> Iterator[SandboxServer]:
    """A sandbox with 5 users, answering with the deviations of one seed."""
    with SandboxServer(seed=5, admin=True, drift=request.param) as sandbox:
        yield sandbox


def sent(sandbox: SandboxServer, called: set[str]) -> set[tuple[str, str, str]]:
    """The deviations the sandbox sent to the operations `called`, as (operation, kind, path)."""
    return {(d["operation"], d["kind"], d["path"]) for d in sandbox.drift()["applied"] if d["operation"] in called}


def found(stdout: str) -> list[dict[str, str]]:
    findings: list[dict[str, str]] = json.loads(stdout)
    for finding in findings:
        assert set(finding) == KEYS and finding["kind"] in KINDS
    return findings


def test_the_spec_s_own_answers_have_no_drift(partner_sandbox: SandboxServer, home: Path) -> None:
    partner_sandbox.seed_users(3)
    done = run(["check-spec"], cli_env(home, partner_sandbox))
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == (
        f"check-spec: 0 finding(s) in {len(READS) - 1} read operation(s); not called: getTrafficReport (needs "
        "start_time, end_time)\n"
    )
    as_json = run(["check-spec", "--format", "json", "--username", "seed-user-0002"], cli_env(home, partner_sandbox))
    assert (as_json.returncode, json.loads(as_json.stdout)) == (0, [])
    stats = partner_sandbox.stats()
    mutations = {name for name, operation in OPERATIONS.items() if not operation.safe_to_retry}
    assert not mutations & {name for name, count in stats.requests.items() if count}  # read-only
    # each read once per run (getUser twice: once more for a user that cannot exist), listUsers once more (the user)
    assert stats.requests["getUser"] == 4 and stats.requests["listLicenses"] == 2


def test_a_drifted_sandbox_shows_exactly_its_deviations(drifted: SandboxServer, home: Path) -> None:
    drifted.reset()
    done = run(["check-spec", "--format", "json", "--user-id", "2"], cli_env(home, drifted))
    findings = found(done.stdout)
    called = set(READS) - {"getTrafficReport"}
    expected = sent(drifted, called)
    assert expected, "the seed must drift the answers of the operations check-spec reads"
    assert {(f["operation"], f["kind"], f["path"]) for f in findings} == expected
    assert done.returncode == 1
    assert f"check-spec: {len(findings)} finding(s) in {len(called)} read operation(s)" in done.stderr
    # never a value: the drifted ones, nor the users' data
    for value in ("1700000000", "12345", "drifted", "seed-user", "DE", "yes"):
        assert value not in done.stdout
    human = run(["check-spec", "--user-id", "2"], cli_env(home, drifted))
    assert human.returncode == 1
    assert sorted(human.stdout.splitlines()) == sorted(
        f"{f['kind']}\t{f['operation']}\t{f['path']}\texpected {f['expected']}, received {f['received']}"
        for f in findings
    )


def test_check_spec_in_python_returns_the_findings(drifted: SandboxServer) -> None:
    drifted.reset()
    with drifted.client() as client:
        result = check_spec(client, user_id=3)
    assert result.drift
    assert result.called == sorted(set(READS) - {"getTrafficReport"})
    assert result.skipped == {"getTrafficReport": "needs start_time, end_time"}
    assert {(f.operation, f.kind, f.path) for f in result.findings} == sent(drifted, set(result.called))
    unknown = [f for f in result.findings if f.kind == "unknown-result"]
    assert [(f.operation, f.path, f.status) for f in unknown] == [("getUser", "$.result", 404)]
    assert result.unknown_results == {drifted.drift()["unknown_result"]: 404}


def read_everything(client: PartnerClient) -> list[Any]:
    """Every read operation once, for user 4."""
    return [
        client.get_user(user_id=4), client.list_users(), client.get_user_traffic(user_id=4),
        client.list_user_devices(user_id=4), client.list_user_sessions(user_id=4),
        client.list_user_purchases(username="seed-user-0003"), client.list_licenses(),
        client.get_traffic_report(start_time=1, end_time=2**40), list(client.iter_users(limit=2)),
    ]  # fmt: skip


def test_the_lenient_client_reads_every_read_operation_of_a_drifted_sandbox(
    drifted: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    drifted.reset()
    assert {name for name in READS} == {
        "getUser", "listUsers", "getUserTraffic", "listUserDevices", "listUserSessions", "listUserPurchases",
        "listLicenses", "getTrafficReport",
    }  # read_everything covers them all  # fmt: skip
    with drifted.client(strict_answers=False) as client:
        answers = read_everything(client)
    assert answers[0].user.username == "seed-user-0004"
    mistyped = {d["operation"] for d in drifted.drift()["applied"] if d["kind"] == "type-mismatch"}
    warned = {record.getMessage().split()[1].rstrip(":") for record in caplog.records if "answer field" in
              record.getMessage()}  # fmt: skip
    assert mistyped <= warned | {"listUsers"}  # listUsers' items may be empty on a later page only
    if mistyped - {"listUsers"}:
        with drifted.client() as strict, pytest.raises(ServerError) as caught:
            read_everything(strict)
        assert caught.value.result == "MALFORMED_ANSWER"


def test_check_spec_stops_with_the_exit_code_of_its_error(partner_sandbox: SandboxServer, home: Path) -> None:
    done = run(["check-spec"], cli_env(home, partner_sandbox, PARTNER_API_PRIVATE_KEY="wrong-key"))
    assert done.returncode == 4
    assert done.stderr.startswith("partner-api: error: login: NOT_AUTHORIZED (HTTP 401)")
    assert run(["check-spec"], cli_env(home)).returncode == 2  # no credentials
    closed = run(["check-spec"], cli_env(home, partner_sandbox, PARTNER_API_BASE_URL="http://127.0.0.1:9"))
    assert closed.returncode == 7, closed.stderr  # no connection: not "drift found"
    assert closed.stderr.startswith("partner-api: error: login: cannot connect to http://127.0.0.1:9/partner/login")


def test_import_partner_api_loads_no_check_spec_dependency() -> None:
    modules = "('yaml', 'jsonschema', 'jsonpath_ng')"
    code = f"import sys, partner_api; print(sorted(m for m in {modules} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_check_spec_reads_the_report_with_the_fields_given(drifted: SandboxServer) -> None:
    """The read that needs a time window is called with the one given, and its answer compared like the others."""
    drifted.reset()
    with drifted.client() as client:
        result = check_spec(client, user_id=3, fields={"start_time": 1, "end_time": 2**40})
    assert result.called == sorted(READS) and result.skipped == {}
    assert drifted.stats().requests["getTrafficReport"] == 1
    assert {(f.operation, f.kind, f.path) for f in result.findings} == sent(drifted, set(READS))


def test_check_spec_refuses_a_field_no_read_needs_before_sending(partner_sandbox: SandboxServer) -> None:
    with partner_sandbox.client() as client, pytest.raises(ValueError, match="stat_time") as caught:
        check_spec(client, fields={"start_time": 1, "end_time": 2, "stat_time": 3})
    assert str(caught.value) == (
        "check_spec: no read operation needs ['stat_time'] (fields the reads need: ['end_time', 'start_time'])"
    )
    assert partner_sandbox.stats().total_requests == 0


def test_the_field_option_gives_the_report_its_window(drifted: SandboxServer, home: Path) -> None:
    """`--field` values are read by the field's type (a time takes a date): the report is read and compared too."""
    drifted.reset()
    window = ["--field", "start_time=2020-01-01", "--field", "end_time=2030-01-01"]
    done = run(["check-spec", "--format", "json", "--user-id", "2", *window], cli_env(home, drifted))
    assert {(f["operation"], f["kind"], f["path"]) for f in found(done.stdout)} == sent(drifted, set(READS))
    assert f"in {len(READS)} read operation(s)\n" in done.stderr and "not called" not in done.stderr
    assert drifted.stats().requests["getTrafficReport"] == 1


@pytest.mark.parametrize(
    ("field", "says"),
    [
        ("stat_time=1", "--field stat_time: no read operation needs it (the fields they need: end_time, start_time)"),
        ("start_time", "--field start_time: write it as NAME=VALUE"),
        ("start_time=soon", "--field start_time: "),
    ],
)
def test_a_field_no_read_needs_is_refused_before_anything_is_sent(
    partner_sandbox: SandboxServer, home: Path, field: str, says: str
) -> None:
    done = run(["check-spec", "--field", field], cli_env(home, partner_sandbox))
    assert done.returncode == 2 and done.stdout == ""
    assert says in done.stderr and "Traceback" not in done.stderr
    assert partner_sandbox.stats().total_requests == 0
