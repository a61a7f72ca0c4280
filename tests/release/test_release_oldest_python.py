"""The wheel works on the oldest Python it claims (`requires-python >= 3.10`), not only on the dev venv's."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

from release import artefacts, provenance

from ._support import ROOT, make

PROGRAM = """
import asyncio
from partner_api import AsyncPartnerClient, DefaultValueError
from partner_api.sandbox import SandboxServer

with SandboxServer(seed=2) as sandbox:
    with sandbox.client() as client:
        user = client.create_user(username="oldest").user
        assert client.get_user(user_id=user.id).user.username == "oldest"
        assert [u.username for u in client.iter_users(limit=1)][-1] == "oldest"
        try:
            client.get_user(user_id=0)
        except DefaultValueError:
            pass
        else:
            raise SystemExit("user_id=0 was not rejected")

    async def main() -> str:
        async with AsyncPartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key) as aclient:
            return (await aclient.get_user(username="oldest")).user.username

    assert asyncio.run(main()) == "oldest"
print("OK")
"""


def _oldest_python() -> str | None:
    claimed = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert claimed == ">=3.10", "update this test together with requires-python"
    found = shutil.which("python3.10")
    pyenv = sorted(Path.home().glob(".pyenv/versions/3.10.*/bin/python3.10"))
    for candidate in [found, *map(str, pyenv)]:
        if candidate and subprocess.run([candidate, "-c", "import sys"], capture_output=True).returncode == 0:
            return candidate
    return None


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX venv layout")
def test_wheel_runs_on_python_3_10(tmp_path: Path) -> None:
    python = _oldest_python()
    if python is None:
        pytest.skip("no Python 3.10 on this machine")
    done = make("build", f"DIST={tmp_path / 'dist'}")
    assert done.returncode == 0, done.stdout + done.stderr
    wheel, _ = artefacts.dist_files(tmp_path / "dist", provenance.recorded().version)
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", venv], check=True)
    install = subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", f"{wheel}[sandbox]"],
                             capture_output=True, text=True)  # fmt: skip
    assert install.returncode == 0, install.stderr
    run = subprocess.run([venv / "bin" / "python", "-c", PROGRAM], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "OK"
