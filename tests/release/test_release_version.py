"""One version source: SemVer MAJOR.MINOR.PATCH, independent of the spec's info.version, with the spec's and
generated/'s hashes recorded beside it; a new version whenever either changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import partner_api
import partner_api_client
import pytest
import yaml
from packaging.version import Version
from partner_api import _version

from release import provenance, versions
from release.versions import Bump

from ._support import ROOT

SPEC = ROOT / "openapi" / "partner-api.yaml"


def test_recorded_hashes_match_the_spec_and_generated_tree() -> None:
    problems = provenance.version_problems(
        provenance.recorded(), provenance.spec_sha256(), provenance.tree_sha256(), provenance.committed_records()
    )
    assert not problems, "\n".join(problems)


def test_version_is_semver_and_independent_of_the_api_version() -> None:
    info_version = yaml.safe_load(SPEC.read_text())["info"]["version"]
    assert partner_api.API_VERSION == partner_api_client.API_VERSION == info_version
    assert versions.is_semver(partner_api.__version__)
    # The first SemVer release sorts above every `<info.version>.<build>` release before it.
    assert Version(partner_api.__version__) > Version("2.0.0.14")


def test_runtime_version_is_the_one_hatchling_reads() -> None:
    assert partner_api.__version__ == _version.__version__ == provenance.recorded().version
    assert provenance.recorded().spec_sha256 == _version.SPEC_SHA256


def test_spec_path_finds_the_document_in_a_source_or_editable_install() -> None:
    path = _version.spec_path()
    assert path.read_bytes() == SPEC.read_bytes()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == _version.SPEC_SHA256


def test_a_changed_spec_without_a_new_version_is_refused(tmp_path: Path) -> None:
    changed = tmp_path / "partner-api.yaml"
    changed.write_bytes(SPEC.read_bytes() + b"\n# a new operation would go here\n")
    record = provenance.recorded()
    problems = provenance.version_problems(record, provenance.spec_sha256(changed), record.generated_sha256, [])
    message = "\n".join(problems)
    assert "openapi/partner-api.yaml changed" in message
    assert "make stamp" in message


def test_a_changed_generated_tree_without_a_new_version_is_refused() -> None:
    record = provenance.recorded()
    problems = provenance.version_problems(record, record.spec_sha256, "f" * 64, [])
    assert any("generated/ changed" in problem for problem in problems)


def test_a_version_committed_with_other_hashes_is_refused() -> None:
    now = provenance.Record("2.1.0", "a" * 64, "b" * 64)
    history = [("c0ffee" * 6, provenance.Record("2.1.0", "c" * 64, "b" * 64))]
    problems = provenance.version_problems(now, "a" * 64, "b" * 64, history)
    assert any("was committed in c0ffeec0ff with other hashes" in problem for problem in problems)
    # The placeholder of a version nobody recorded yet freezes nothing.
    placeholder = [("c0ffee" * 6, provenance.Record("2.1.0", provenance.UNRECORDED, provenance.UNRECORDED))]
    assert provenance.version_problems(now, "a" * 64, "b" * 64, placeholder) == []


@pytest.mark.parametrize("version", ["2.0.0.14", "2.1", "2.1.0.dev0", "2.1.0rc1", "02.1.0", "v2.1.0"])
def test_a_version_that_is_not_semver_is_refused(version: str) -> None:
    record = provenance.Record(version, "a" * 64, "b" * 64)
    problems = provenance.version_problems(record, "a" * 64, "b" * 64, [])
    assert any("is not a semantic version MAJOR.MINOR.PATCH" in problem for problem in problems)


@pytest.mark.parametrize(
    ("base", "bump", "expected"),
    [
        ("2.1.3", Bump.NONE, "2.1.3"),
        ("2.1.3", Bump.PATCH, "2.1.4"),
        ("2.1.3", Bump.MINOR, "2.2.0"),
        ("2.1.3", Bump.MAJOR, "3.0.0"),
        # The last `<info.version>.<build>` release counts as 2.0.0, and always takes a new (SemVer) version.
        ("2.0.0.14", Bump.NONE, "2.0.1"),
        ("2.0.0.14", Bump.PATCH, "2.0.1"),
        ("2.0.0.14", Bump.MINOR, "2.1.0"),
        ("2.0.0.14", Bump.MAJOR, "3.0.0"),
    ],
)
def test_the_next_version_after_a_bump(base: str, bump: Bump, expected: str) -> None:
    assert versions.bumped(base, bump) == expected
    assert Version(expected) >= Version(base)


@pytest.mark.parametrize(
    ("old", "new", "step"),
    [
        ("2.0.0.14", "2.0.1", Bump.PATCH),
        ("2.0.0.14", "2.1.0", Bump.MINOR),
        ("2.0.0.14", "3.0.0", Bump.MAJOR),
        ("2.1.3", "2.1.9", Bump.PATCH),
        ("2.1.3", "2.4.0", Bump.MINOR),
        ("2.1.3", "2.1.3", None),
        ("2.1.3", "2.1.2", None),
        ("2.0.0.14", "2.0.0", None),
    ],
)
def test_the_step_between_two_versions(old: str, new: str, step: Bump | None) -> None:
    assert versions.bump_between(old, new) == step


def test_write_record_rewrites_only_the_three_lines(tmp_path: Path) -> None:
    copy = tmp_path / "_version.py"
    original = (ROOT / "overlays" / "partner_api" / "_version.py").read_text()
    copy.write_text(original)
    provenance.write_record(provenance.Record("9.9.9", "1" * 64, "2" * 64), copy)
    rewritten = copy.read_text()
    assert provenance.parse_record(rewritten) == provenance.Record("9.9.9", "1" * 64, "2" * 64)
    changed = [line for line in rewritten.splitlines() if line not in original.splitlines()]
    assert len(changed) == 3


def test_tree_hash_ignores_caches_and_sees_every_file(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("x = 1\n")
    before = provenance.tree_sha256(tmp_path)
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    assert provenance.tree_sha256(tmp_path) == before
    (tmp_path / "pkg" / "b.py").write_text("")
    assert provenance.tree_sha256(tmp_path) != before
