"""`deprecated: true` in the spec, through `generator/generate.py` (the step behind `make generate`) into generated
code: the method warns at call time and type checkers flag its callers; a deprecated request field warns when given;
the command line's help says so. (The changelog's Deprecated line: test_release_rules.py, row "deprecated".)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ._support import ROOT, run

BIN = Path(sys.executable).parent

USE = """
import warnings

from partner_api.sandbox import SandboxServer

with SandboxServer() as sandbox, sandbox.client() as client, warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    client.list_licenses()
    client.list_users(limit=5)
    client.list_users(limit=5, license_id=1)
    client.create_user(username="still-in-force")
for warning in caught:
    print(f"{warning.category.__name__}|{warning.filename}|{warning.message}")
"""


@pytest.fixture(scope="module")
def deprecated_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """generated/ from a copy of the spec with listLicenses and ListUsersRequest.license_id deprecated."""
    folder = tmp_path_factory.mktemp("deprecated")
    document = yaml.safe_load((ROOT / "openapi" / "partner-api.yaml").read_text())
    document["paths"]["/partner/v2/listLicenses"]["post"]["deprecated"] = True
    document["components"]["schemas"]["ListUsersRequest"]["properties"]["license_id"]["deprecated"] = True
    spec = folder / "partner-api.yaml"
    spec.write_text(yaml.safe_dump(document, sort_keys=False))
    done = run([sys.executable, ROOT / "generator" / "generate.py", "--spec", spec, "--output", folder / "generated"])
    assert done.returncode == 0, done.stdout + done.stderr
    return folder / "generated"


def _env(generated: Path) -> dict[str, str]:
    # Ahead of the editable install's overlays/ and generated/: the deprecated tree, with the same overlay.
    return {**os.environ, "PYTHONPATH": os.pathsep.join((str(generated), str(ROOT / "overlays")))}


@pytest.mark.slow
def test_a_deprecated_operation_or_field_warns_at_call_time(deprecated_tree: Path, tmp_path: Path) -> None:
    script = tmp_path / "use.py"
    script.write_text(USE)
    done = subprocess.run(
        [sys.executable, script], env=_env(deprecated_tree), capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    caught = [line.split("|") for line in done.stdout.splitlines() if line.count("|") == 2]
    deprecations = [(filename, message) for category, filename, message in caught if category == "DeprecationWarning"]
    # One per deprecated call, pointing at the caller's line, never for the operations and fields still in force.
    assert [message.split(" ", 1)[0] for _filename, message in deprecations] == ["listLicenses", "listUsers:"]
    assert "license_id" in deprecations[1][1]
    assert all(filename == str(script) for filename, _message in deprecations)


@pytest.mark.slow
def test_type_checkers_flag_a_call_of_a_deprecated_operation(deprecated_tree: Path, tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "from partner_api import PartnerClient\n\n\n"
        "def plans(client: PartnerClient) -> None:\n"
        "    client.list_licenses()\n"
        "    client.get_user(user_id=1)\n"
    )
    env = {**_env(deprecated_tree), "MYPYPATH": os.pathsep.join((str(deprecated_tree), str(ROOT / "overlays")))}
    done = subprocess.run(
        [BIN / "mypy", "--strict", "--enable-error-code", "deprecated", "--follow-imports", "silent",
         "--no-incremental", "--python-version", "3.10", snippet],
        env=env, capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, done.stdout
    assert "snippet.py:5:" in errors[0]
    assert "list_licenses" in errors[0]
    assert "[deprecated]" in errors[0]


@pytest.mark.slow
def test_the_command_line_help_notes_the_deprecation(deprecated_tree: Path) -> None:
    env = _env(deprecated_tree)
    listing = run([BIN / "partner-api", "--help"], env=env)
    assert listing.returncode == 0, listing.stderr
    [line] = [line for line in listing.stdout.splitlines() if "list-licenses" in line]
    assert "Deprecated." in line
    command = run([BIN / "partner-api", "list-licenses", "--help"], env=env)
    assert command.returncode == 0, command.stderr
    assert "Deprecated. List the project's licenses." in " ".join(command.stdout.split())
    option = run([BIN / "partner-api", "list-users", "--help"], env=env)
    assert option.returncode == 0, option.stderr
    assert "Deprecated. Only users on this license." in " ".join(option.stdout.split())
    kept = run([BIN / "partner-api", "get-user", "--help"], env=env)
    assert "Deprecated" not in kept.stdout
