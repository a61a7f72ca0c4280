"""Every operation once through the real `partner-api` executable, with its options named after the wire fields."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from partner_api.sandbox import SandboxServer
from partner_api_client.api import OPERATIONS
from partner_api_client.spec_facts import DESTRUCTIVE

from ._support import cli_env, run

RECEIPT = {"order": "GPA.1234", "amount": 0, "nested": {"empty": "", "zero": 0}}


def _kebab(operation_id: str) -> str:
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in operation_id)


def _arguments(sandbox: SandboxServer, tmp_path: Path) -> dict[str, list[str]]:
    """Seeded users, one with a device and a purchase; counters zeroed; the command lines."""
    ids = sandbox.seed_users(12)
    with sandbox.client() as client:
        for user_id in ids:
            devices = client.list_user_devices(user_id=user_id).devices
            purchases = client.list_user_purchases(user_id=user_id).purchases
            if devices and purchases:
                break
        else:
            pytest.fail("no seeded user with a device and a purchase")
    sandbox.reset_stats()
    (tmp_path / "receipt.json").write_text(json.dumps(RECEIPT))
    others = [other for other in ids if other != user_id]
    return _commands(user_id, others[0], others[1], devices[0].id, purchases[0].id, tmp_path / "receipt.json")


def _commands(
    user_id: int, other_id: int, third_id: int, device: str, purchase: int, receipt: Path
) -> dict[str, list[str]]:
    uid = str(user_id)
    return {
        "get-user": ["--user-id", uid],
        "create-user": ["--username", "cli-new", "--auth-method", "email", "--extra", '{"country": "DE"}'],
        "update-user": ["--user-id", uid, "--no-enabled", "--extra", '{"language": "fr"}'],
        "delete-user": ["--user-id", str(third_id), "--yes"],
        "list-users": ["--limit", "2"],
        "get-user-traffic": ["--username", f"seed-user-{other_id:04d}"],
        "set-user-traffic-limit": ["--user-id", uid, "--traffic-limit", "53687091200"],
        "reset-user-traffic": ["--user-id", uid, "--yes"],
        "delete-user-traffic-limit": ["--user-id", uid, "--yes"],
        "list-user-devices": ["--user-id", uid],
        "delete-user-device": ["--user-id", uid, "--device-id", device, "--yes"],
        "list-user-sessions": ["--user-id", uid, "--start-time", "1"],
        "add-user-purchase": ["--user-id", uid, "--type", "googleplay", "--receipt", f"@{receipt}"],
        "list-user-purchases": ["--user-id", uid],
        "delete-user-purchase": ["--user-id", uid, "--purchase-id", str(purchase), "--yes"],
        "list-licenses": [],
        "get-traffic-report": ["--start-time", "1", "--end-time", str(int(time.time())), "--group-by", "country"],
    }


def test_every_operation_has_a_command_here() -> None:
    """The table below covers the spec: an operation added to it needs a line in this test."""
    assert set(_commands(1, 2, 3, "d", 4, Path("r.json"))) == {_kebab(name) for name in OPERATIONS}


@pytest.mark.parametrize("operation_id", sorted(DESTRUCTIVE))
def test_a_destructive_operation_without_a_terminal_needs_yes(
    partner_sandbox: SandboxServer, home: Path, tmp_path: Path, operation_id: str
) -> None:
    """The operations the spec marks `x-destructive: true` (read from the generated facts, not listed here): piped,
    with no terminal to ask on, the command and a bulk job of it exit 2 naming `--yes`, and nothing is sent."""
    command = _kebab(operation_id)
    arguments = [arg for arg in _arguments(partner_sandbox, tmp_path)[command] if arg != "--yes"]
    env = cli_env(home, partner_sandbox)
    columns = {
        option[2:].replace("-", "_"): value for option, value in zip(arguments[::2], arguments[1::2], strict=True)
    }
    source = tmp_path / "rows.csv"
    source.write_text(",".join(columns) + "\n" + ",".join(columns.values()) + "\n")
    for args in ([command, *arguments], ["bulk", command, "--input", str(source)]):
        result = run(args, env)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr == (
            f"partner-api: error: {command} deletes or resets data ({operation_id}): add --yes to confirm "
            "(there is no terminal to ask on); nothing was sent\n"
        )
    assert partner_sandbox.stats().total_requests == 0  # not even a login


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_every_operation_once(partner_sandbox: SandboxServer, home: Path, tmp_path: Path, operation_id: str) -> None:
    command = _kebab(operation_id)
    arguments = _arguments(partner_sandbox, tmp_path)[command]
    result = run([command, *arguments], cli_env(home, partner_sandbox))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "\n" not in result.stdout.rstrip("\n")  # compact JSON when piped
    answer = json.loads(result.stdout) if result.stdout else None  # nothing for an answer without a payload
    stats = partner_sandbox.stats()
    assert stats.requests.get(operation_id) == 1
    if command == "get-user":
        assert set(answer) >= {"id", "username", "enabled"}
    if command == "update-user":
        assert answer["enabled"] is False
        assert answer["extra"]["language"] == "fr"
    if command == "create-user":
        assert (answer["username"], answer["extra"]["country"]) == ("cli-new", "DE")
    if command == "add-user-purchase":
        assert partner_sandbox.receipt(answer["id"]) == RECEIPT  # the object forwarded exactly, zeros included
    if command == "list-users":
        assert [set(user) >= {"id", "username"} for user in answer] == [True, True]  # the page's users
    if command == "set-user-traffic-limit":
        assert answer["traffic_limit"] == 53687091200
    if command.startswith("delete-user") and command != "delete-user-traffic-limit":
        assert answer is None  # no payload: nothing printed


def test_raw_prints_the_envelope_and_table_renders(partner_sandbox: SandboxServer, home: Path) -> None:
    (user_id,) = partner_sandbox.seed_users(1)
    env = cli_env(home, partner_sandbox)
    raw = run(["get-user", "--user-id", str(user_id), "--raw"], env)
    assert raw.returncode == 0
    envelope = json.loads(raw.stdout)
    assert envelope["result"] == "OK"
    assert envelope["user"]["id"] == user_id
    table = run(["get-user", "--user-id", str(user_id), "--output", "table"], env)
    assert table.returncode == 0
    assert f"seed-user-{user_id:04d}" in table.stdout
    assert "extra.country" in table.stdout
    listing = run(["list-users", "-o", "table"], env)
    assert listing.returncode == 0
    assert listing.stdout.count("seed-user-") == 1


def test_help_comes_from_the_spec_grouped_by_tag(home: Path) -> None:
    top = run(["--help"], cli_env(home))
    assert top.returncode == 0
    assert top.stdout.index("Users (Subscribers)") < top.stdout.index("get-user") < top.stdout.index("Traffic (")
    assert "Get one user by id or username." in top.stdout  # the operation's summary in the spec
    one = run(["set-user-traffic-limit", "--help"], cli_env(home))
    assert one.returncode == 0
    for text in ("--user-id", "--username", "--traffic-limit", "POST /partner/v2/setUserTrafficLimit"):
        assert text in one.stdout
    report = run(["get-traffic-report", "--help"], cli_env(home))
    assert "[country|day]" in report.stdout  # the enum as choices
    update = run(["update-user", "--help"], cli_env(home))
    assert "--enabled / --no-enabled" in update.stdout
    purchase = run(["add-user-purchase", "--help"], cli_env(home))
    assert "--type" in purchase.stdout
    assert "JSON|@FILE" in purchase.stdout


def test_shell_completion_bash_and_zsh(home: Path) -> None:
    env = cli_env(home, _PARTNER_API_COMPLETE="bash_complete", COMP_WORDS="partner-api get-us", COMP_CWORD="1")
    result = run([], env)
    assert result.returncode == 0
    assert "get-user" in result.stdout
    assert "get-user-traffic" in result.stdout
    env.update(COMP_WORDS="partner-api set-user-traffic-limit --tr", COMP_CWORD="2")
    assert "--traffic-limit" in run([], env).stdout
    for shell in ("bash", "zsh"):
        script = run(["completion", shell], cli_env(home))
        assert script.returncode == 0
        assert "_PARTNER_API_COMPLETE" in script.stdout


def test_version(home: Path) -> None:
    result = run(["--version"], cli_env(home))
    assert result.returncode == 0
    assert result.stdout.startswith("partner-api ")
