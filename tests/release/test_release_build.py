"""`make build`: sdist + wheel that pass `twine check`, hold what users need, and are byte-reproducible."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from release import artefacts, provenance

from ._support import ROOT, make, project_copy


def _digests(dist: Path) -> tuple[str, str]:
    wheel, sdist = artefacts.dist_files(dist, provenance.recorded().version)
    return hashlib.sha256(wheel.read_bytes()).hexdigest(), hashlib.sha256(sdist.read_bytes()).hexdigest()


@pytest.mark.slow
def test_build_is_complete_and_checked(tmp_path: Path) -> None:
    version = provenance.recorded().version
    done = make("build", f"DIST={tmp_path}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2  # twine check --strict, wheel and sdist
    assert artefacts.check_dist(tmp_path, version) == []

    wheel, _ = artefacts.dist_files(tmp_path, version)
    assert wheel.name == f"partner_api_client-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        spec = archive.read("partner_api/openapi/partner-api.yaml")
        metadata = archive.read(f"partner_api_client-{version}.dist-info/METADATA").decode()
        entry_points = archive.read(f"partner_api_client-{version}.dist-info/entry_points.txt").decode()
    assert (ROOT / "openapi" / "partner-api.yaml").read_bytes() == spec
    assert {"partner_api/py.typed", "partner_api_client/py.typed", "partner_api_sandbox_models/py.typed"} <= names
    assert not [name for name in names if name.startswith("tests/") or "__pycache__" in name]
    assert f"\nVersion: {version}\n" in metadata
    # The changelog: linked from the metadata, and shipped (the same file as the repository's).
    assert "\nProject-URL: Changelog, https://" in metadata
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("partner_api/CHANGELOG.md") == (ROOT / "CHANGELOG.md").read_bytes()
    assert "Provides-Extra: sandbox" in metadata
    # What the spec's facts, the token stores and the command line need at run time, and their extras.
    overlay = {
        path.relative_to(ROOT / "overlays").as_posix() for path in (ROOT / "overlays" / "partner_api").rglob("*.py")
    }
    assert overlay <= names
    assert {
        "partner_api_client/spec_facts.py",
        "partner_api/token_stores/_redis.py",
        "partner_api/cli/_bulk.py",
    } <= names
    assert "partner-api = partner_api.cli:main" in entry_points
    assert {"Provides-Extra: cli", "Provides-Extra: redis"} <= set(metadata.splitlines())


@pytest.mark.slow
def test_build_is_byte_reproducible(tmp_path: Path) -> None:
    # Twice from this tree with make's own SOURCE_DATE_EPOCH (the last commit's time).
    for name in ("first", "second"):
        done = make("build", f"DIST={tmp_path / name}")
        assert done.returncode == 0, done.stdout + done.stderr
    assert _digests(tmp_path / "first") == _digests(tmp_path / "second")

    # The same inputs elsewhere: another path, another umask, a given SOURCE_DATE_EPOCH.
    epoch = {"SOURCE_DATE_EPOCH": "1700000000"}
    here = make("build", f"DIST={tmp_path / 'here'}", extra_env=epoch)
    assert here.returncode == 0, here.stdout + here.stderr
    copy, reuse_venv = project_copy(tmp_path / "elsewhere")
    there = make("build", f"DIST={tmp_path / 'there'}", *reuse_venv, cwd=copy, extra_env=epoch, umask=0o077)
    assert there.returncode == 0, there.stdout + there.stderr
    assert _digests(tmp_path / "here") == _digests(tmp_path / "there")

    wheel, _ = artefacts.dist_files(tmp_path / "here", provenance.recorded().version)
    with zipfile.ZipFile(wheel) as archive:
        assert {info.date_time[:3] for info in archive.infolist()} == {(2023, 11, 14)}
