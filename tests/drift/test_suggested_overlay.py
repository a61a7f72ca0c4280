"""The docs' workflow: `partner-api check-spec --suggest overlay.yaml` against a drifted sandbox, the Overlay
applied to a copy of the spec with a standard Overlay tool (oas-patch's `oas-patch overlay`), the client regenerated
from it (generator/generate.py into a temporary folder), and check-spec again on the same drift, with that client:
what is left is exactly the type changes, which a user must decide on."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from partner_api import spec_path
from partner_api.sandbox import SandboxServer

from tests.cli._support import cli_env, run

ROOT = Path(__file__).resolve().parents[2]
OAS_PATCH = Path(sys.executable).with_name("oas-patch")
SEED = 2  # nulls on a field, a list item's field and an object, fields added at three levels, an unknown result code


def findings(done: subprocess.CompletedProcess[str]) -> set[tuple[str, str, str]]:
    return {(f["operation"], f["kind"], f["path"]) for f in json.loads(done.stdout)}


@pytest.mark.slow
def test_the_suggested_overlay_applied_and_regenerated_leaves_only_the_type_changes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    overlay = tmp_path / "overlay.yaml"
    with SandboxServer(seed=5, admin=True, drift=SEED) as sandbox:
        env = cli_env(home, sandbox)
        first = run(["check-spec", "--format", "json", "--user-id", "2", "--suggest", str(overlay)], env)
        assert first.returncode == 1, first.stderr
        before = findings(first)
        kinds = {kind for _operation, kind, _path in before}
        assert {"null", "unknown-field", "unknown-result", "type-mismatch"} <= kinds

        document = yaml.safe_load(overlay.read_text())
        assert document["overlay"] == "1.0.0" and document["actions"]
        spec = tmp_path / "partner-api.yaml"
        shutil.copyfile(spec_path(), spec)
        patched = tmp_path / "patched.yaml"
        applied = subprocess.run([str(OAS_PATCH), "overlay", str(spec), str(overlay), "-o", str(patched)],
                                 capture_output=True, text=True, check=False)  # fmt: skip
        assert applied.returncode == 0, applied.stdout + applied.stderr
        assert yaml.safe_load(patched.read_text()) != yaml.safe_load(spec.read_text())

        generated = tmp_path / "generated"
        subprocess.run([sys.executable, str(ROOT / "generator" / "generate.py"), "--spec", str(patched), "--output",
                        str(generated)], check=True, capture_output=True)  # fmt: skip
        env["PYTHONPATH"] = os.pathsep.join([str(generated), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        sandbox.reset()
        again = run(["check-spec", "--format", "json", "--user-id", "2", "--spec", str(patched)], env)
        # The regenerated client was the one that ran: it knows the fields the overlay added.
        probe = "import partner_api_client.models as m, json; print(json.dumps(m.__file__))"
        where = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
        assert json.loads(where.stdout).startswith(str(generated))

    type_changes = {finding for finding in before if finding[1] == "type-mismatch"}
    assert findings(again) == type_changes
    assert again.returncode == 1
