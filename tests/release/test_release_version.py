"""One version source naming the API document: `<info.version>.<build>`, bumped when spec or generated/ change."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import ModuleType

import partner_api
import partner_api_client
import pytest
from partner_api import _version

from ._support import ROOT

SPEC = ROOT / "openapi" / "partner-api.yaml"


def test_recorded_hashes_match_the_spec_and_generated_tree(release: ModuleType) -> None:
    problems = release.version_problems(
        release.recorded(),
        release.spec_info_version(),
        release.spec_sha256(),
        release.tree_sha256(),
        release.committed_records(),
    )
    assert not problems, "\n".join(problems)


def test_version_starts_with_the_spec_info_version(release: ModuleType) -> None:
    info_version = release.spec_info_version()
    assert partner_api.API_VERSION == partner_api_client.API_VERSION == info_version
    prefix, _, build = partner_api.__version__.rpartition(".")
    assert prefix == info_version, f"__version__ {partner_api.__version__} does not start with {info_version}."
    assert build.isdigit()


def test_runtime_version_is_the_one_hatchling_reads(release: ModuleType) -> None:
    assert partner_api.__version__ == _version.__version__ == release.recorded().version
    assert release.recorded().spec_sha256 == _version.SPEC_SHA256


def test_spec_path_finds_the_document_in_a_source_or_editable_install() -> None:
    path = _version.spec_path()
    assert path.read_bytes() == SPEC.read_bytes()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == _version.SPEC_SHA256


def test_a_changed_spec_without_a_new_version_is_refused(release: ModuleType, tmp_path: Path) -> None:
    changed = tmp_path / "partner-api.yaml"
    changed.write_bytes(SPEC.read_bytes() + b"\n# a new operation would go here\n")
    record = release.recorded()
    problems = release.version_problems(
        record, release.spec_info_version(changed), release.spec_sha256(changed), record.generated_sha256, []
    )
    message = "\n".join(problems)
    assert "openapi/partner-api.yaml changed" in message
    assert "generator/release.py stamp" in message


def test_a_changed_generated_tree_without_a_new_version_is_refused(release: ModuleType) -> None:
    record = release.recorded()
    problems = release.version_problems(record, release.spec_info_version(), record.spec_sha256, "f" * 64, [])
    assert any("generated/ changed" in problem for problem in problems)


def test_a_version_committed_with_other_hashes_is_refused(release: ModuleType) -> None:
    now = release.Record("2.0.0.3", "a" * 64, "b" * 64)
    history = [("c0ffee" * 6, release.Record("2.0.0.3", "c" * 64, "b" * 64))]
    problems = release.version_problems(now, "2.0.0", "a" * 64, "b" * 64, history)
    assert any("was committed in c0ffeec0ff with other hashes" in problem for problem in problems)
    # The placeholder of a version nobody recorded yet freezes nothing.
    placeholder = [("c0ffee" * 6, release.Record("2.0.0.3", release.UNRECORDED, release.UNRECORDED))]
    assert release.version_problems(now, "2.0.0", "a" * 64, "b" * 64, placeholder) == []


@pytest.mark.parametrize("version", ["2.0.1.1", "2.0.0", "2.0.0.x", "2.0.0.1.dev0"])
def test_a_version_that_does_not_name_the_api_version_is_refused(release: ModuleType, version: str) -> None:
    record = release.Record(version, "a" * 64, "b" * 64)
    problems = release.version_problems(record, "2.0.0", "a" * 64, "b" * 64, [])
    assert any("<info.version>.<build>" in problem for problem in problems)


def test_stamp_chooses_the_next_free_build_number(release: ModuleType) -> None:
    spec_hash, generated_hash = "a" * 64, "b" * 64
    choose = release.choose_record
    # Not committed yet: the working-tree version is kept (it is already newer than every committed one).
    assert choose("2.0.0.4", "2.0.0", spec_hash, generated_hash, []).version == "2.0.0.4"
    # Committed with other hashes (2.0.0.4 and 2.0.0.5 both taken): the next free build.
    history = [
        ("1" * 40, release.Record("2.0.0.5", "c" * 64, "d" * 64)),
        ("2" * 40, release.Record("2.0.0.4", "e" * 64, "f" * 64)),
    ]
    assert choose("2.0.0.4", "2.0.0", spec_hash, generated_hash, history).version == "2.0.0.6"
    # Committed with these very hashes: nothing to do, unless a new build is asked for.
    same = [("3" * 40, release.Record("2.0.0.4", spec_hash, generated_hash))]
    assert choose("2.0.0.4", "2.0.0", spec_hash, generated_hash, same).version == "2.0.0.4"
    assert choose("2.0.0.4", "2.0.0", spec_hash, generated_hash, same, bump=True).version == "2.0.0.5"
    # A new API version starts its builds at 1.
    assert choose("2.0.0.4", "2.1.0", spec_hash, generated_hash, history).version == "2.1.0.1"


def test_write_record_rewrites_only_the_three_lines(release: ModuleType, tmp_path: Path) -> None:
    copy = tmp_path / "_version.py"
    original = (ROOT / "overlays" / "partner_api" / "_version.py").read_text()
    copy.write_text(original)
    release.write_record(release.Record("9.9.9.9", "1" * 64, "2" * 64), copy)
    rewritten = copy.read_text()
    assert release.parse_record(rewritten) == release.Record("9.9.9.9", "1" * 64, "2" * 64)
    changed = [line for line in rewritten.splitlines() if line not in original.splitlines()]
    assert len(changed) == 3


def test_tree_hash_ignores_caches_and_sees_every_file(release: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("x = 1\n")
    before = release.tree_sha256(tmp_path)
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    assert release.tree_sha256(tmp_path) == before
    (tmp_path / "pkg" / "b.py").write_text("")
    assert release.tree_sha256(tmp_path) != before
