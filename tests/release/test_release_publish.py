"""`make publish`: its refusals, and the end-to-end path publish -> real index -> fresh venv -> sandbox call.

The end-to-end test starts pypiserver on loopback and runs `make publish` exactly as a user types it, the test suite
inside its gate included. It is marked release_e2e: that gate's suite leaves it out (it would start itself again).
test_release_gate.py holds the gate's isolation and the end of every process a publish starts.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

from release import environment, provenance

from ._support import ROOT, Index, clean_env, make, make_command, project_copy, run, started

# Bounds for a hung server, pip or suite, far above a normal run even on a loaded machine: the first publish runs
# the whole test suite.
PUBLISH_TIMEOUT = 3000
E2E_TIMEOUT = 4000


def _credentials(index: Index) -> dict[str, str]:
    return {"TWINE_USERNAME": index.username, "TWINE_PASSWORD": index.password}


def test_publish_without_index_url_is_refused() -> None:
    done = make("publish")
    assert done.returncode != 0
    assert "INDEX_URL is not set" in done.stderr
    assert "make publish: REFUSED" in done.stderr


def test_publish_with_credentials_in_the_url_is_refused() -> None:
    done = make("publish", "INDEX_URL=https://bot:hunter2@pypi.example.internal/")
    assert done.returncode != 0
    assert "INDEX_URL carries credentials" in done.stderr


def test_publish_started_from_the_suite_of_its_own_publish_is_refused() -> None:
    # What the suite inside `make publish`'s gate sees: the checkout being published in PARTNER_API_PUBLISH_GATE.
    done = make(
        "publish", "INDEX_URL=http://127.0.0.1:9/",
        extra_env={environment.GATE_ENV: str(ROOT), "TWINE_USERNAME": "bot", "TWINE_PASSWORD": "pw"},
    )  # fmt: skip
    assert done.returncode != 0
    assert "a publish never starts another publish of the same checkout" in done.stderr
    assert "make publish: REFUSED: no usable INDEX_URL, or a publish inside a publish" in done.stderr
    assert "generated/ is up to date" not in done.stdout  # refused before the first gate


def test_publish_with_a_password_on_the_make_command_line_is_refused() -> None:
    done = make("publish", "INDEX_URL=https://pypi.example.internal/", "TWINE_PASSWORD=hunter2")
    assert done.returncode != 0
    assert "credentials on the make command line" in done.stderr
    assert "hunter2" not in done.stdout + done.stderr


@pytest.mark.slow
def test_publish_refuses_a_stale_generated_tree(tmp_path: Path) -> None:
    # A copy of the project whose generated/ no longer matches the spec. The index is never contacted.
    copy, reuse_venv = project_copy(tmp_path / "project")
    stale = copy / "generated" / "partner_api_client" / "client.py"
    stale.write_text(stale.read_text() + "\n# edited by hand\n")
    done = make(
        "publish", "INDEX_URL=http://127.0.0.1:9/", *reuse_venv,
        cwd=copy, extra_env={"TWINE_USERNAME": "bot", "TWINE_PASSWORD": "pw"},
    )  # fmt: skip
    assert done.returncode != 0
    assert "make publish: REFUSED: generated/ is stale" in done.stderr
    assert "twine upload" not in done.stdout


@pytest.mark.slow
def test_publish_refuses_a_changed_spec_under_the_old_version(tmp_path: Path) -> None:
    # generated/ is still up to date (a YAML comment changes no code), but the document is not the one recorded.
    copy, reuse_venv = project_copy(tmp_path / "project")
    spec = copy / "openapi" / "partner-api.yaml"
    spec.write_text(spec.read_text() + "# reviewed\n")
    done = make(
        "publish", "INDEX_URL=http://127.0.0.1:9/", *reuse_venv,
        cwd=copy, extra_env={"TWINE_USERNAME": "bot", "TWINE_PASSWORD": "pw"},
    )  # fmt: skip
    assert done.returncode != 0
    assert "generated/ is up to date" in done.stdout
    assert "openapi/partner-api.yaml changed" in done.stderr
    assert "make stamp" in done.stderr
    assert "make publish: REFUSED: the version was not bumped" in done.stderr


@pytest.mark.slow
@pytest.mark.release_e2e
@pytest.mark.publishes_the_suite  # `make test` leaves the other tests to this one's gate (tests/conftest.py)
@pytest.mark.timeout(E2E_TIMEOUT)
def test_publish_install_from_the_index_and_call_the_sandbox(index: Index, tmp_path: Path) -> None:
    version = provenance.recorded().version
    # What the gate's suite must hold: every test once, the release_e2e ones (this one among them) left out. Listed
    # beside the publish, as the fresh virtual environment of step 2 is made (seconds of one core each, that would
    # otherwise come before or after it).
    listing = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "not release_e2e"]
    venv = tmp_path / "fresh-venv"
    with (
        started(listing, output=tmp_path / "collect-only") as collecting,
        started([sys.executable, "-m", "venv", venv], output=tmp_path / "venv") as creating_venv,
    ):
        # 1. Publish as the docs say: credentials in the environment, the index URL on the make command line. Every
        #    gate runs, the whole test suite once among them; then the upload to the real index.
        first = make(
            "publish", f"INDEX_URL={index.url}", f"DIST={tmp_path / 'dist'}",
            extra_env=_credentials(index), timeout=PUBLISH_TIMEOUT,
        )  # fmt: skip
        collected = collecting(600)
        created = creating_venv(600)
    counts = re.search(r"^(\d+)/(\d+) tests collected \((\d+) deselected\)", collected.stdout, re.MULTILINE)
    assert counts, collected.stdout + collected.stderr
    in_gate, deselected = int(counts[1]), int(counts[3])
    assert in_gate > 0
    assert deselected > 0
    assert first.returncode == 0, _failures(first.stdout) + first.stdout + first.stderr
    assert first.stdout.count("test session starts") == 1, first.stdout
    summary = _pytest_summary(first.stdout)
    outcomes = {kind: int(n) for n, kind in re.findall(r"(\d+) (passed|skipped|xfailed|xpassed|deselected)", summary)}
    assert outcomes.pop("deselected") == deselected, summary
    assert sum(outcomes.values()) == in_gate, summary
    assert "generated/ is up to date" in first.stdout
    assert index.files() == [f"partner_api_client-{version}-py3-none-any.whl", f"partner_api_client-{version}.tar.gz"]
    assert index.password not in first.stdout + first.stderr

    # 4 (started now, checked last). The same version again: refused before anything is uploaded. It runs beside
    #    steps 2 and 3, which only read the index.
    again = make_command("publish", f"INDEX_URL={index.url}", f"DIST={tmp_path / 'dist-again'}")
    with started(again, output=tmp_path / "publish-again", env=clean_env(**_credentials(index))) as publishing_again:
        # 2. A fresh virtual environment installs it with pip from that index; dependencies come through the index
        #    (pypiserver redirects projects it lacks to PyPI) or the machine's own pip configuration.
        assert created.returncode == 0, created.stderr
        python = venv / "bin" / "python"
        report = tmp_path / "pip-report.json"
        install = run(
            [python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--report", report,
             "--index-url", index.simple_url, "partner-api-client[sandbox]"],
            timeout=600,
        )  # fmt: skip
        assert install.returncode == 0, install.stdout + install.stderr
        installed = {item["metadata"]["name"]: item for item in json.loads(report.read_text())["install"]}
        ours = installed["partner-api-client"]
        assert ours["metadata"]["version"] == version
        assert ours["download_info"]["url"].startswith(index.url), "partner-api-client did not come from the index"

        # 2b. The uv spelling from the docs reaches the same index (the package alone: no network beyond loopback).
        uv_venv = tmp_path / "uv-venv"
        uv = Path(sys.executable).parent / "uv"
        created = run([uv, "venv", "--quiet", "--python", sys.executable, uv_venv])
        assert created.returncode == 0, created.stderr
        uv_install = run(
            [uv, "pip", "install", "--python", uv_venv / "bin" / "python", "--no-deps",
             "--default-index", index.simple_url, f"partner-api-client=={version}"],
        )  # fmt: skip
        assert uv_install.returncode == 0, uv_install.stdout + uv_install.stderr
        assert f"partner-api-client=={version}" in uv_install.stderr

        # 3. In that environment (isolated mode: nothing from this checkout), call get_user against the sandbox.
        call = run([python, "-I", "-c", SANDBOX_CALL], cwd=tmp_path)
        assert call.returncode == 0, call.stdout + call.stderr
        result = json.loads(call.stdout.strip().splitlines()[-1])
        assert result["username"] == "e2e-release"
        assert result["version"] == version
        assert (
            result["api_version"]
            == yaml.safe_load((ROOT / "openapi" / "partner-api.yaml").read_text())["info"]["version"]
        )
        assert Path(result["module"]).is_relative_to(venv)
        assert Path(result["spec"]).is_relative_to(venv)
        assert result["spec_matches_recorded_hash"]

        second = publishing_again(PUBLISH_TIMEOUT)
    assert second.returncode != 0
    assert "test session starts" not in second.stdout  # refused before the suite
    assert f"version {version} of partner-api-client is already on the index" in second.stderr
    assert f"make publish: REFUSED: version {version} is already on the index; bump it" in second.stderr
    assert "twine upload" not in second.stdout
    assert len(index.files()) == 2


def _failures(output: str) -> str:
    """The short summary of the gate's suite (its failed tests, one a line) first, when it has one."""
    _, found, summary = output.partition("short test summary info")
    return f"the suite inside the gate: {summary.strip()}\n\n" if found else ""


def _pytest_summary(output: str) -> str:
    """The last line of pytest's final summary ("== 600 passed, 5 deselected in 99.0s ==")."""
    lines = [line for line in output.splitlines() if line.startswith("=") and " in " in line and "passed" in line]
    assert len(lines) == 1, output
    return lines[0]


SANDBOX_CALL = """
import hashlib, json
import partner_api
from partner_api import PartnerClient
from partner_api._version import SPEC_SHA256, spec_path
from partner_api.sandbox import SandboxServer

with SandboxServer() as sandbox:
    with PartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key) as client:
        client.create_user(username="e2e-release")
        user = client.get_user(username="e2e-release").user
print(json.dumps({
    "username": user.username,
    "version": partner_api.__version__,
    "api_version": partner_api.API_VERSION,
    "module": partner_api.__file__,
    "spec": str(spec_path()),
    "spec_matches_recorded_hash": hashlib.sha256(spec_path().read_bytes()).hexdigest() == SPEC_SHA256,
}))
"""
