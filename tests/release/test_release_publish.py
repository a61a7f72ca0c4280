"""`make publish`: its refusals, and the end-to-end path publish -> real index -> fresh venv -> sandbox call.

The end-to-end tests start pypiserver on loopback themselves. They run `make publish` with PUBLISH_SKIP_PYTEST=1:
they are part of the test suite that publish would otherwise run (and so start again, without end).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from ._support import Index, clean_env, make, project_copy

E2E_TIMEOUT = 900  # a bound for a hung server or pip, far above a normal run


def _publish_env(index: Index, **extra: str) -> dict[str, str]:
    return clean_env(TWINE_USERNAME=index.username, TWINE_PASSWORD=index.password, **extra)


def test_publish_without_index_url_is_refused() -> None:
    done = make("publish")
    assert done.returncode != 0
    assert "INDEX_URL is not set" in done.stderr
    assert "make publish: REFUSED" in done.stderr


def test_publish_with_credentials_in_the_url_is_refused() -> None:
    done = make("publish", "INDEX_URL=https://bot:hunter2@pypi.example.internal/")
    assert done.returncode != 0
    assert "INDEX_URL carries credentials" in done.stderr


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
        cwd=copy, env=clean_env(TWINE_USERNAME="bot", TWINE_PASSWORD="pw"),
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
        cwd=copy, env=clean_env(TWINE_USERNAME="bot", TWINE_PASSWORD="pw"),
    )  # fmt: skip
    assert done.returncode != 0
    assert "generated/ is up to date" in done.stdout
    assert "openapi/partner-api.yaml changed" in done.stderr
    assert "generator/release.py stamp" in done.stderr
    assert "make publish: REFUSED: the version was not bumped" in done.stderr


@pytest.mark.slow
@pytest.mark.timeout(E2E_TIMEOUT)
def test_publish_refuses_when_the_tests_fail(index: Index, tmp_path: Path) -> None:
    failing = tmp_path / "test_release_gate_fails.py"
    failing.write_text("def test_fails() -> None:\n    assert False, 'a failing test must stop a release'\n")
    dist = tmp_path / "dist"
    done = make(
        "publish", f"INDEX_URL={index.url}", f"DIST={dist}",
        env=_publish_env(index, PYTEST_ADDOPTS=f"{failing} -p no:cacheprovider"),
    )  # fmt: skip
    assert done.returncode != 0, done.stdout + done.stderr
    assert "a failing test must stop a release" in done.stdout
    assert "make publish: REFUSED: the test suite failed" in done.stderr
    assert index.files() == []
    assert not dist.exists()


@pytest.mark.slow
@pytest.mark.timeout(E2E_TIMEOUT)
def test_publish_install_from_the_index_and_call_the_sandbox(release: ModuleType, index: Index, tmp_path: Path) -> None:
    version = release.recorded().version
    env = _publish_env(index, PUBLISH_SKIP_PYTEST="1")

    # 1. Publish through every gate to the real index.
    first = make("publish", f"INDEX_URL={index.url}", f"DIST={tmp_path / 'dist'}", env=env, timeout=600)
    assert first.returncode == 0, first.stdout + first.stderr
    assert index.files() == [f"partner_api_client-{version}-py3-none-any.whl", f"partner_api_client-{version}.tar.gz"]
    assert index.password not in first.stdout + first.stderr

    # 2. A fresh virtual environment installs it with pip from that index; dependencies come through the index
    #    (pypiserver redirects projects it lacks to PyPI) or the machine's own pip configuration.
    venv = tmp_path / "fresh-venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=300)
    python = venv / "bin" / "python"
    report = tmp_path / "pip-report.json"
    install = subprocess.run(
        [python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--report", report,
         "--index-url", index.simple_url, "partner-api-client[sandbox]"],
        env=clean_env(), capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    installed = {item["metadata"]["name"]: item for item in json.loads(report.read_text())["install"]}
    ours = installed["partner-api-client"]
    assert ours["metadata"]["version"] == version
    assert ours["download_info"]["url"].startswith(index.url), "partner-api-client did not come from the index"

    # 2b. The uv spelling from the README reaches the same index (the package alone: no network beyond loopback).
    uv_venv = tmp_path / "uv-venv"
    uv = Path(sys.executable).parent / "uv"
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, uv_venv], check=True, timeout=300)
    uv_install = subprocess.run(
        [uv, "pip", "install", "--python", uv_venv / "bin" / "python", "--no-deps",
         "--default-index", index.simple_url, f"partner-api-client=={version}"],
        env=clean_env(), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert uv_install.returncode == 0, uv_install.stdout + uv_install.stderr
    assert f"partner-api-client=={version}" in uv_install.stderr

    # 3. In that environment (isolated mode: nothing from this checkout), call get_user against the sandbox.
    call = subprocess.run(
        [python, "-I", "-c", SANDBOX_CALL], cwd=tmp_path, env=clean_env(),
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert call.returncode == 0, call.stdout + call.stderr
    result = json.loads(call.stdout.strip().splitlines()[-1])
    assert result["username"] == "e2e-release"
    assert result["version"] == version
    assert result["api_version"] == release.spec_info_version()
    assert Path(result["module"]).is_relative_to(venv)
    assert Path(result["spec"]).is_relative_to(venv)
    assert result["spec_matches_recorded_hash"]

    # 4. The same version again: refused before anything is uploaded.
    second = make("publish", f"INDEX_URL={index.url}", f"DIST={tmp_path / 'dist-again'}", env=env, timeout=600)
    assert second.returncode != 0
    assert f"version {version} of partner-api-client is already on the index" in second.stderr
    assert f"make publish: REFUSED: version {version} is already on the index; bump it" in second.stderr
    assert "twine upload" not in second.stdout
    assert len(index.files()) == 2


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
