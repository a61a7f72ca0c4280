"""A request field added to the spec under a name the command line already uses is never silently shadowed:
the real `partner-api`, run on tables generated from a copy of the spec, refuses to build that command and
names the field, while the other commands keep working."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
GENERATE = ROOT / "generator" / "generate.py"
SPEC = ROOT / "openapi" / "partner-api.yaml"
EXECUTABLE = Path(sys.executable).with_name("partner-api")


@pytest.mark.slow
def test_a_field_named_like_a_cli_option_fails_the_command_naming_the_field(tmp_path: Path) -> None:
    spec = yaml.safe_load(SPEC.read_text())
    schemas = spec["components"]["schemas"]
    text = {"type": "string", "maxLength": 16, "description": "Added by this test."}
    schemas["GetUserRequest"]["properties"]["profile"] = text  # the CLI's --profile
    schemas["ListUsersRequest"]["properties"]["format"] = text  # export's --format (list-users has none)
    schemas["UpdateUserRequest"]["properties"]["no_enabled"] = text  # the --no-enabled of the field `enabled`
    schemas["SetUserTrafficLimitRequest"]["properties"]["_note"] = text  # bulk input's reserved `_` columns
    schemas["EmptyRequest"].setdefault("properties", {})["raw"] = {"type": "boolean", "description": "Test."}
    new_spec = tmp_path / "spec.yaml"
    new_spec.write_text(yaml.safe_dump(spec, sort_keys=False))
    out = tmp_path / "generated"
    subprocess.run([sys.executable, GENERATE, "--output", out, "--spec", new_spec], check=True, capture_output=True)

    env = {key: value for key, value in os.environ.items() if not key.startswith("PARTNER_API_")}
    env.update(PYTHONPATH=str(out), HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "c"), COLUMNS="200")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(EXECUTABLE), *args], env=env, capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path
        )

    (tmp_path / "limits.csv").write_text("user_id,traffic_limit,_note\n1,100,x\n")
    refused = {
        ("get-user", "--user-id", "1", "--profile", "ops"): ("`profile`", "getUser", "--profile"),
        ("get-user", "--help"): ("`profile`", "getUser", "--profile"),
        ("export", "users", "--help"): ("`format`", "listUsers", "--format"),
        ("update-user", "--help"): ("`no_enabled`", "updateUser", "--no-enabled", "`enabled`"),
        ("list-licenses", "--raw"): ("`raw`", "listLicenses", "--raw"),
        ("bulk", "set-user-traffic-limit", "--input", "limits.csv"): ("`_note`", "setUserTrafficLimit", "`_`"),
    }
    for args, names in refused.items():
        result = run(*args)
        assert result.returncode == 1, (args, result.stderr)
        assert result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert line.startswith("partner-api: error: cannot "), line
        for name in names:
            assert name in line, (args, line)
    assert not (tmp_path / "limits.csv.journal").exists()  # the bulk job never started

    # The fields are real in the generated tables, and commands without a conflict are built as usual.
    listing = run("list-users", "--help")
    assert listing.returncode == 0, listing.stderr
    assert "--format TEXT" in listing.stdout
    limit = run("set-user-traffic-limit", "--help")
    assert limit.returncode == 0, limit.stderr
    assert "--traffic-limit" in limit.stdout
